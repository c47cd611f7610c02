package venv

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// EntryPoint is one entry of entry_points.txt:
//
//	name = module.path:object.attr [extra1, extra2]
type EntryPoint struct {
	Group  string
	Name   string
	Module string
	Attr   string // "" when the reference names only a module
	Extras []string
}

// EntryPointError reports a malformed entry_points.txt line.
type EntryPointError struct {
	Line   int
	Text   string
	Reason string
}

// Error implements error.
func (e *EntryPointError) Error() string {
	return fmt.Sprintf("venv: entry_points.txt:%d: %s: %q", e.Line, e.Reason, e.Text)
}

// dottedName matches a dotted Python name; compiled on first use, not at
// start-up.
var dottedName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*$`)
})

// ParseEntryPoints reads entry_points.txt, an INI file: "[group]" headers, then
// "name = reference" lines; blank lines and lines starting with '#' or ';' are ignored.
func ParseEntryPoints(data []byte) ([]EntryPoint, error) {
	var out []EntryPoint
	group := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			if !strings.HasSuffix(line, "]") || len(line) < 3 {
				return nil, &EntryPointError{Line: n, Text: line, Reason: "bad section header"}
			}
			group = strings.TrimSpace(line[1 : len(line)-1])
			continue
		}
		if group == "" {
			return nil, &EntryPointError{Line: n, Text: line, Reason: "entry outside a section"}
		}
		ep, reason := parseEntry(line)
		if reason != "" {
			return nil, &EntryPointError{Line: n, Text: line, Reason: reason}
		}
		ep.Group = group
		out = append(out, ep)
	}
	if err := sc.Err(); err != nil {
		return nil, &EntryPointError{Line: 0, Text: err.Error(), Reason: "unreadable"}
	}
	return out, nil
}

// parseEntry parses "name = module:attr [extras]"; a non-empty string says what is wrong.
func parseEntry(line string) (EntryPoint, string) {
	name, ref, ok := strings.Cut(line, "=")
	name, ref = strings.TrimSpace(name), strings.TrimSpace(ref)
	if !ok || name == "" || ref == "" {
		return EntryPoint{}, "expected \"name = reference\""
	}
	ep := EntryPoint{Name: name}
	if i := strings.IndexByte(ref, '['); i >= 0 {
		if !strings.HasSuffix(ref, "]") {
			return ep, "unclosed extras"
		}
		for _, x := range strings.Split(ref[i+1:len(ref)-1], ",") {
			if x = strings.TrimSpace(x); x != "" {
				ep.Extras = append(ep.Extras, x)
			}
		}
		ref = strings.TrimSpace(ref[:i])
	}
	mod, attr, hasAttr := strings.Cut(ref, ":")
	ep.Module, ep.Attr = strings.TrimSpace(mod), strings.TrimSpace(attr)
	if !dottedName().MatchString(ep.Module) {
		return ep, "bad module name"
	}
	if hasAttr && !dottedName().MatchString(ep.Attr) {
		return ep, "bad object reference"
	}
	return ep, ""
}

// validScriptName reports whether an entry point name can name a file in bin/.
func validScriptName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\\\x00")
}

// launcher is the text of a console or GUI script for ep run by python.
func launcher(python string, ep EntryPoint) []byte {
	top, _, _ := strings.Cut(ep.Attr, ".")
	var b strings.Builder
	b.WriteString(shebang(python, ""))
	b.WriteString("# -*- coding: utf-8 -*-\n")
	b.WriteString("import sys\n")
	fmt.Fprintf(&b, "from %s import %s\n", ep.Module, top)
	b.WriteString("if __name__ == \"__main__\":\n")
	fmt.Fprintf(&b, "    sys.exit(%s())\n", ep.Attr)
	return []byte(b.String())
}

// maxShebang is the longest "#!" line every supported kernel runs.
const maxShebang = 127

// shebang returns the first line(s) that make a script run with python; args
// (with a leading space, or "") follow the interpreter. Paths that are too long
// or contain spaces go through /bin/sh.
func shebang(python, args string) string {
	line := "#!" + python + args
	if len(line) <= maxShebang && !strings.ContainsAny(python, " \t") {
		return line + "\n"
	}
	return "#!/bin/sh\n'''exec' " + shellQuote(python) + args + " \"$0\" \"$@\"\n' '''\n"
}

// rewriteShebang replaces a leading "#!python..." line by one naming python,
// keeping the arguments after the interpreter; ok is false if there was none.
func rewriteShebang(data []byte, python string) ([]byte, bool) {
	if !bytes.HasPrefix(data, []byte("#!python")) {
		return data, false
	}
	end := bytes.IndexByte(data, '\n')
	first, rest := data, []byte(nil)
	if end >= 0 {
		first, rest = data[:end], data[end+1:]
	}
	first = bytes.TrimRight(first, "\r")
	args := ""
	if i := bytes.IndexAny(first, " \t"); i >= 0 {
		args = " " + strings.TrimSpace(string(first[i:]))
	}
	return append([]byte(shebang(python, args)), rest...), true
}
