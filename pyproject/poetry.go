package pyproject

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pylock/pylock/pep508"
)

// poetryKeys are the keys a Poetry dependency table may hold.
var poetryKeys = map[string]bool{
	"version": true, "extras": true, "markers": true, "python": true, "platform": true,
	"optional": true, "allow-prereleases": true, "source": true, "develop": true,
	"git": true, "branch": true, "tag": true, "rev": true, "subdirectory": true,
	"path": true, "file": true, "url": true,
}

// readPoetryMain reads [tool.poetry.dependencies] once; readMain and
// readExtras decide whether it is used.
func (b *builder) readPoetryMain() error {
	path := []string{"tool", "poetry", "dependencies"}
	tbl, err := b.src.table(path...)
	if err != nil || tbl == nil {
		return err
	}
	b.hasPoetryMain = true
	b.poetryOptional = map[string][]Dependency{}
	for _, name := range b.src.keys(path, tbl) {
		if strings.EqualFold(name, "python") {
			text, _, err := b.src.str(sub(path, name)...)
			if err != nil {
				return err
			}
			b.poetryPython = text
			continue
		}
		deps, err := b.poetryDeps(name, sub(path, name), "[tool.poetry.dependencies]")
		if err != nil {
			return err
		}
		for _, d := range deps {
			if d.Optional {
				norm := d.Requirement.NormalizedName()
				b.poetryOptional[norm] = append(b.poetryOptional[norm], d)
			} else {
				b.poetryMain = append(b.poetryMain, d)
			}
		}
	}
	return nil
}

// poetryDeps reads one Poetry dependency entry: a constraint string, a
// table, or an array of tables (multiple constraints, one per marker).
func (b *builder) poetryDeps(name string, path []string, section string) ([]Dependency, error) {
	v := b.src.lookup(path...)
	text := b.src.raw[pathKey(path)]
	if text == "" {
		text = quoteKey(name) + " = " + renderTOML(v)
	}
	line := b.src.line(path...)
	if !pep508.ValidName(name) {
		return nil, &RequirementError{File: b.src.file, Line: line, Section: section, Text: text,
			Err: fmt.Errorf("%q is not a valid project name", name)}
	}
	base := Dependency{Requirement: pep508.Requirement{Name: name}, Text: text, Section: section, Line: line}
	switch v := v.(type) {
	case string:
		d, err := b.withConstraint(base, v)
		return []Dependency{d}, err
	case map[string]any:
		d, err := b.poetryTable(base, path)
		return []Dependency{d}, err
	case []any:
		deps := make([]Dependency, 0, len(v))
		for i, e := range v {
			ep := sub(path, elem(i))
			if _, ok := e.(map[string]any); !ok {
				return nil, b.src.fieldError(ep, "must be a table, not %s", typeName(e))
			}
			d := base
			d.Line = b.src.line(ep...)
			d, err := b.poetryTable(d, ep)
			if err != nil {
				return nil, err
			}
			deps = append(deps, d)
		}
		return deps, nil
	}
	return nil, b.src.fieldError(path, "must be a version constraint string or a table, not %s", typeName(v))
}

// withConstraint sets d's version constraint from a Poetry constraint.
func (b *builder) withConstraint(d Dependency, constraint string) (Dependency, error) {
	c, err := ParsePoetryConstraint(constraint)
	if err != nil {
		return d, &RequirementError{File: b.src.file, Line: d.Line, Section: d.Section, Text: d.Text, Err: err}
	}
	if c.IsUnion() {
		d.Union = c
	} else if len(c) == 1 {
		d.Requirement.Specifier = c[0]
	}
	return d, nil
}

// poetryTable reads a dependency table (inline or [tool.poetry...name]).
func (b *builder) poetryTable(d Dependency, path []string) (Dependency, error) {
	tbl := b.src.lookup(path...).(map[string]any)
	for _, k := range b.src.keys(path, tbl) {
		if !poetryKeys[k] {
			return d, b.src.fieldError(sub(path, k), "unknown key %q in a poetry dependency", k)
		}
	}
	strs := map[string]string{}
	for _, k := range []string{"version", "markers", "python", "platform", "source", "git", "branch", "tag", "rev", "subdirectory", "path", "file", "url"} {
		v, _, err := b.src.str(sub(path, k)...)
		if err != nil {
			return d, err
		}
		strs[k] = v
	}
	bools := map[string]*bool{}
	for _, k := range []string{"optional", "allow-prereleases", "develop"} {
		if v := b.src.lookup(sub(path, k)...); v != nil {
			bv, ok := v.(bool)
			if !ok {
				return d, b.src.fieldError(sub(path, k), "must be a boolean, not %s", typeName(v))
			}
			bools[k] = &bv
		}
	}
	extras, _, err := b.src.strings(sub(path, "extras")...)
	if err != nil {
		return d, err
	}
	d.Optional = bools["optional"] != nil && *bools["optional"]
	d.Develop = bools["develop"] != nil && *bools["develop"]
	d.AllowPrereleases = bools["allow-prereleases"]
	d.Source = strs["source"]
	slices.Sort(extras)
	d.Requirement.Extras = slices.Compact(extras)
	d.Requirement.URL = poetryURL(strs)
	if d.Requirement.URL == "" {
		version := strs["version"]
		if version == "" {
			version = "*"
		}
		if d, err = b.withConstraint(d, version); err != nil {
			return d, err
		}
	}
	marker, err := poetryMarker(strs)
	if err != nil {
		return d, &RequirementError{File: b.src.file, Line: d.Line, Section: d.Section, Text: d.Text, Err: err}
	}
	d.Requirement.Marker = marker
	return d, nil
}

// poetryURL builds the PEP 508 URL of a git, url, path or file dependency:
// "git+<repo>@<rev|tag|branch>#subdirectory=<dir>", the url as written, or
// "file:<path>" with the path as written (relative to the project).
func poetryURL(s map[string]string) string {
	var url string
	switch {
	case s["git"] != "":
		url = s["git"]
		if !strings.HasPrefix(url, "git+") {
			url = "git+" + url
		}
		for _, ref := range []string{s["rev"], s["tag"], s["branch"]} {
			if ref != "" {
				url += "@" + ref
				break
			}
		}
	case s["url"] != "":
		url = s["url"]
	case s["path"] != "" || s["file"] != "":
		url = "file:" + s["path"] + s["file"]
	default:
		return ""
	}
	if s["subdirectory"] != "" {
		url += "#subdirectory=" + s["subdirectory"]
	}
	return url
}

// poetryMarker combines markers, python (a python_version marker) and
// platform (a sys_platform marker).
func poetryMarker(s map[string]string) (pep508.Marker, error) {
	var m pep508.Marker
	if s["markers"] != "" {
		mk, err := pep508.ParseMarker(s["markers"])
		if err != nil {
			return m, err
		}
		m = mk
	}
	if s["python"] != "" {
		c, err := ParsePoetryConstraint(s["python"])
		if err != nil {
			return m, err
		}
		mk, err := pythonMarker(c)
		if err != nil {
			return m, err
		}
		m = pep508.And(m, mk)
	}
	if s["platform"] != "" {
		mk, err := platformMarker(s["platform"])
		if err != nil {
			return m, err
		}
		m = pep508.And(m, mk)
	}
	return m, nil
}

// pythonMarker writes a Python constraint as a marker the way poetry-core's
// create_nested_marker does: python_version where two release parts decide
// (">=3.8", "<4.0", "==3.8", "3.8.*"), python_full_version otherwise.
func pythonMarker(c Constraint) (pep508.Marker, error) {
	if c.IsAny() {
		return pep508.Marker{}, nil
	}
	ors := make([]string, len(c))
	for i, set := range c {
		ands := make([]string, len(set))
		for j, spec := range set {
			ands[j] = pythonClause(spec.Op, spec.Version)
		}
		ors[i] = strings.Join(ands, " and ")
		if len(c) > 1 && len(set) > 1 {
			ors[i] = "(" + ors[i] + ")"
		}
	}
	return pep508.ParseMarker(strings.Join(ors, " or "))
}

func pythonClause(op, version string) string {
	prefix, wildcard := strings.CutSuffix(version, ".*")
	v, err := parseVersion(prefix)
	short := err == nil && len(v.Release()) < 3
	switch {
	case short && (op == ">=" || op == "<") && !wildcard:
		return fmt.Sprintf("python_version %s %q", op, stable(v).text())
	case short && (op == "==" || (wildcard && op == "!=")):
		return fmt.Sprintf("python_version %s %q", op, version)
	}
	return fmt.Sprintf("python_full_version %s %q", op, version)
}

// platformMarker turns Poetry's platform constraint ("linux", "!=win32",
// "linux || darwin") into sys_platform comparisons.
func platformMarker(s string) (pep508.Marker, error) {
	var ors []string
	for _, group := range orSplitRE().Split(strings.TrimSpace(s), -1) {
		var ands []string
		for _, part := range strings.Split(group, ",") {
			op, value := "==", strings.TrimSpace(part)
			if rest, ok := strings.CutPrefix(value, "!="); ok {
				op, value = "!=", strings.TrimSpace(rest)
			} else if rest, ok := strings.CutPrefix(value, "=="); ok {
				value = strings.TrimSpace(rest)
			}
			if value == "" || strings.ContainsAny(value, `"'\`) {
				return pep508.Marker{}, fmt.Errorf("invalid platform %q", s)
			}
			ands = append(ands, fmt.Sprintf("sys_platform %s %q", op, value))
		}
		ors = append(ors, strings.Join(ands, " and "))
	}
	if len(ors) > 1 {
		for i, o := range ors {
			ors[i] = "(" + o + ")"
		}
	}
	return pep508.ParseMarker(strings.Join(ors, " or "))
}

// renderTOML prints a value in TOML's inline syntax, for Dependency.Text of
// entries written as separate tables.
func renderTOML(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = renderTOML(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = quoteKey(k) + " = " + renderTOML(v[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}
