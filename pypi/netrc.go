package pypi

import (
	"fmt"
	"net"
	"strings"
)

// Netrc is a parsed .netrc file: login and password per machine, as curl,
// pip and requests read it. The grammar, over whitespace-separated tokens:
//
//	file    = entry*
//	entry   = ("machine" NAME | "default") field*
//	field   = ("login" | "password" | "account") VALUE
//	        | "macdef" NAME   (the macro body runs to the next blank line)
//
// A token may be written in double quotes, with backslash escaping the next
// character, to hold spaces. Fields before the first machine are ignored.
type Netrc struct {
	Machines []NetrcMachine // in file order; the first one for a host wins
	Default  *NetrcMachine  // the "default" entry, nil if none
}

// NetrcMachine is one machine entry.
type NetrcMachine struct {
	Name            string // host name, possibly with ":port"; "" for default
	Login, Password string
}

// NetrcError reports a .netrc file that cannot be read.
type NetrcError struct {
	File string
	Line int
	Msg  string
}

// Error implements error. It never shows a token's value.
func (e *NetrcError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// netrcToken is one token with its line.
type netrcToken struct {
	text string
	line int
}

// ParseNetrc parses the contents of a .netrc file; name is used in errors.
func ParseNetrc(name string, data []byte) (*Netrc, error) {
	toks, err := netrcTokens(name, string(data))
	if err != nil {
		return nil, err
	}
	n := &Netrc{}
	var cur *NetrcMachine
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.text {
		case "default":
			n.Default = &NetrcMachine{}
			cur = n.Default
			continue
		case "macdef":
			i++ // the macro's name; its body was dropped by netrcTokens
			continue
		}
		if i+1 >= len(toks) {
			return nil, &NetrcError{File: name, Line: t.line, Msg: "a keyword at the end of the file has no value"}
		}
		value := toks[i+1].text
		i++
		switch t.text {
		case "machine":
			n.Machines = append(n.Machines, NetrcMachine{Name: value})
			cur = &n.Machines[len(n.Machines)-1]
		case "login":
			if cur != nil {
				cur.Login = value
			}
		case "password":
			if cur != nil {
				cur.Password = value
			}
		case "account":
		default:
			// The token may be part of a password: never show it.
			return nil, &NetrcError{File: name, Line: t.line, Msg: "unknown keyword (want machine, default, login, password, account or macdef)"}
		}
	}
	return n, nil
}

// netrcTokens splits a .netrc file into tokens, dropping macro bodies.
func netrcTokens(name, s string) ([]netrcToken, error) {
	var toks []netrcToken
	line := 1
	lineStart := true // no token yet on this line
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\n':
			line++
			i++
			lineStart = true
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#' && lineStart:
			for i < len(s) && s[i] != '\n' {
				i++
			}
		default:
			tok, next, err := netrcWord(s, i)
			if err != nil {
				return nil, &NetrcError{File: name, Line: line, Msg: err.Error()}
			}
			toks = append(toks, netrcToken{text: tok, line: line})
			i, lineStart = next, false
			if n := len(toks); n >= 2 && toks[n-2].text == "macdef" {
				i, line = skipMacro(s, i, line)
				lineStart = true
			}
		}
	}
	return toks, nil
}

// skipMacro skips the rest of a macdef line and the macro body after it,
// which ends at the first empty line; it returns where to resume and the
// line number there.
func skipMacro(s string, i, line int) (int, int) {
	for {
		end := strings.IndexByte(s[i:], '\n')
		if end < 0 {
			return len(s), line
		}
		i += end + 1
		line++
		next := strings.IndexByte(s[i:], '\n')
		if next < 0 {
			next = len(s) - i
		}
		if strings.TrimSpace(s[i:i+next]) == "" {
			return i, line
		}
	}
}

// netrcWord reads one token starting at i: a bare word, or a double-quoted
// one with backslash escapes.
func netrcWord(s string, i int) (string, int, error) {
	if s[i] != '"' {
		j := i
		for j < len(s) && !strings.ContainsRune(" \t\r\n\f\v", rune(s[j])) {
			j++
		}
		return s[i:j], j, nil
	}
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '"':
			return b.String(), j + 1, nil
		case '\\':
			j++
			if j < len(s) {
				b.WriteByte(s[j])
			}
		default:
			b.WriteByte(s[j])
		}
	}
	return "", 0, fmt.Errorf("unterminated quoted token")
}

// Lookup returns the entry for host ("name" or "name:port"): an entry naming
// host exactly, else one naming its host name without the port, else the
// default entry.
func (n *Netrc) Lookup(host string) (NetrcMachine, bool) {
	if n == nil {
		return NetrcMachine{}, false
	}
	hostname := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		hostname = h
	}
	for _, want := range []string{host, hostname} {
		for _, m := range n.Machines {
			if strings.EqualFold(m.Name, want) {
				return m, true
			}
		}
	}
	if n.Default != nil {
		return *n.Default, true
	}
	return NetrcMachine{}, false
}
