package pyproject

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

var poetryExtras = []string{"tool", "poetry", "extras"}

// addPoetry adds a dependency to a Poetry table, replacing the package's
// entry, and for an extra lists it in [tool.poetry.extras].
func (e *editor) addPoetry(l depList, add Addition) (EditChange, error) {
	r := add.Requirement
	change := EditChange{Name: r.NormalizedName(), Section: l.section()}
	if change.Name == "python" {
		return change, &EditError{File: e.file, Section: l.section(), Reason: `"python" there is the project's Python range, not a package`}
	}
	value, err := poetryValue(add, l.extra != "")
	if err != nil {
		return change, &EditError{File: e.file, Section: l.section(), Reason: fmt.Sprintf("%s in poetry syntax", r), Err: err}
	}
	key := e.keyNamed(l.path, r.Name)
	switch {
	case key == "":
		change.New = quoteKey(r.Name) + " = " + value
		err = e.insertEntry(l.path, change.New)
	case e.doc.section(sub(l.path, key)) != nil:
		// A table of its own ([...dependencies.name]) becomes one line in
		// its parent table, as an inline table's entry is replaced whole.
		change.New = quoteKey(key) + " = " + value
		if change.Old, err = e.removeSection(sub(l.path, key)); err == nil {
			err = e.insertEntry(l.path, change.New)
		}
	default:
		entry := e.doc.entry(sub(l.path, key))
		if entry == nil {
			return change, &EditError{File: e.file, Line: e.src.line(sub(l.path, key)...), Section: l.section(),
				Reason: fmt.Sprintf("%q is not written as one key = value line; change it by hand", key)}
		}
		change.Old = string(e.data[entry.start:entry.end])
		change.New = string(e.data[entry.start:entry.value]) + value
		err = e.apply(textEdit{entry.value, entry.end, value})
	}
	if err != nil || l.extra == "" {
		return change, err
	}
	return change, e.listInExtra(l.extra, r.Name)
}

// listInExtra adds name to [tool.poetry.extras] extra unless it is there.
func (e *editor) listInExtra(extra, name string) error {
	l := depList{path: sub(poetryExtras, extra)}
	entry := e.doc.entry(l.path)
	if entry == nil {
		return e.insertEntry(poetryExtras, quoteKey(extra)+" = ["+tomlString(name, '"')+"]")
	}
	a, values, err := e.array(l, entry)
	if err != nil {
		return err
	}
	for _, v := range values {
		if pep508.NormalizeName(v) == pep508.NormalizeName(name) {
			return nil
		}
	}
	return e.apply(a.appendItem(tomlString(name, a.quote()))...)
}

// removePoetry deletes a package from a Poetry table. From an extra it
// takes the name out of [tool.poetry.extras] extra, and the dependency too
// when no other extra names it; from the main table it also takes the name
// out of every extra.
func (e *editor) removePoetry(l depList, name string) ([]EditChange, error) {
	if l.extra != "" {
		changes, err := e.removeAll(depList{path: sub(poetryExtras, l.extra)}, name)
		if err != nil || len(changes) == 0 || e.inSomeExtra(name) || !e.optionalIn(l.path, name) {
			return changes, err
		}
		more, err := e.removePoetryEntry(depList{path: l.path}, name)
		return append(changes, more...), err
	}
	changes, err := e.removePoetryEntry(l, name)
	if err != nil || len(changes) == 0 || !slices.Equal(l.path, []string{"tool", "poetry", "dependencies"}) {
		return changes, err
	}
	extras, _ := e.src.lookup(poetryExtras...).(map[string]any)
	for _, extra := range e.src.keys(poetryExtras, extras) {
		more, err := e.removeAll(depList{path: sub(poetryExtras, extra)}, name)
		if err != nil {
			return changes, err
		}
		changes = append(changes, more...)
	}
	return changes, nil
}

// inSomeExtra reports whether an entry of [tool.poetry.extras] names name.
func (e *editor) inSomeExtra(name string) bool {
	extras, _ := e.src.lookup(poetryExtras...).(map[string]any)
	for _, names := range extras {
		list, _ := names.([]any)
		for _, n := range list {
			if s, ok := n.(string); ok && pep508.NormalizeName(s) == pep508.NormalizeName(name) {
				return true
			}
		}
	}
	return false
}

// removeSection deletes the table at path, which must exist, header and
// entries, and returns its text. A table that ends the file takes the blank
// lines above it along.
func (e *editor) removeSection(path []string) (string, error) {
	s := e.doc.section(path)
	end := e.doc.trimmedEnd(s)
	old := strings.TrimSpace(string(e.data[s.header:end]))
	start, stop := s.header, overBlankLine(e.data, s.header, end)
	if stop == len(e.data) {
		start = blankLinesAbove(e.data, start)
	}
	return old, e.apply(textEdit{start, stop, ""})
}

// optionalIn reports whether the Poetry table at path declares name with
// optional = true.
func (e *editor) optionalIn(path []string, name string) bool {
	key := e.keyNamed(path, name)
	if key == "" {
		return false
	}
	tbl, _ := e.src.lookup(sub(path, key)...).(map[string]any)
	optional, _ := tbl["optional"].(bool)
	return optional
}

// removePoetryEntry deletes the package's key-value, or its table, from a
// Poetry dependency table.
func (e *editor) removePoetryEntry(l depList, name string) ([]EditChange, error) {
	key := e.keyNamed(l.path, name)
	if key == "" || strings.EqualFold(key, "python") {
		return nil, nil
	}
	change := EditChange{Name: pep508.NormalizeName(name), Section: l.section()}
	if e.doc.section(sub(l.path, key)) != nil {
		old, err := e.removeSection(sub(l.path, key))
		change.Old = old
		return []EditChange{change}, err
	}
	entry := e.doc.entry(sub(l.path, key))
	if entry == nil {
		return nil, &EditError{File: e.file, Line: e.src.line(sub(l.path, key)...), Section: l.section(),
			Reason: fmt.Sprintf("%q is not written as one key = value line; remove it by hand", key)}
	}
	change.Old = string(e.data[entry.start:entry.end])
	start := entry.line0
	if !e.doc.startsEntry(entry.line1) {
		start = e.doc.commentsAbove(start)
	}
	return []EditChange{change}, e.apply(textEdit{start, overBlankLine(e.data, start, entry.line1), ""})
}

// poetryValue writes an addition as the value of a Poetry dependency: a
// constraint string, or an inline table when it has extras, a marker, a
// URL or is optional.
func poetryValue(add Addition, optional bool) (string, error) {
	r := add.Requirement
	var fields []string
	if r.URL != "" {
		fields = poetryURLFields(r.URL)
	} else {
		c, err := poetryConstraintText(r.Specifier, add.LowerBound)
		if err != nil {
			return "", err
		}
		if len(r.Extras) == 0 && r.Marker.IsTrue() && !optional {
			return tomlString(c, '"'), nil
		}
		fields = append(fields, "version = "+tomlString(c, '"'))
	}
	if len(r.Extras) > 0 {
		extras := slices.Sorted(slices.Values(r.Extras))
		for i, x := range extras {
			extras[i] = tomlString(x, '"')
		}
		fields = append(fields, "extras = ["+strings.Join(extras, ", ")+"]")
	}
	if !r.Marker.IsTrue() {
		fields = append(fields, "markers = "+tomlString(r.Marker.String(), '"'))
	}
	if optional {
		fields = append(fields, "optional = true")
	}
	return "{" + strings.Join(fields, ", ") + "}", nil
}

// poetryConstraintText writes a specifier set as a Poetry constraint: "^V"
// for a lower bound alone, "*" for none, "V" for "==V", else the PEP 440
// clauses, which Poetry reads alike.
func poetryConstraintText(set pep440.SpecifierSet, lower string) (string, error) {
	switch {
	case len(set) == 0 && lower != "":
		return "^" + lower, nil
	case len(set) == 0:
		return "*", nil
	case len(set) == 1 && set[0].Op == "==" && !strings.HasSuffix(set[0].Version, ".*"):
		return set[0].Version, nil
	}
	for _, s := range set {
		if s.Op == "===" {
			return "", errors.New("poetry has no arbitrary equality (===)")
		}
	}
	text := specifierText(set)
	_, err := ParsePoetryConstraint(text)
	return text, err
}

// poetryURLFields writes a PEP 508 URL as Poetry's git, path or url keys.
func poetryURLFields(url string) []string {
	u, subdir, _ := strings.Cut(url, "#subdirectory=")
	var fields []string
	switch {
	case strings.HasPrefix(u, "git+"):
		repo, rev := strings.TrimPrefix(u, "git+"), ""
		if at := strings.LastIndex(repo, "@"); at > strings.LastIndex(repo, "/") {
			repo, rev = repo[:at], repo[at+1:]
		}
		fields = append(fields, "git = "+tomlString(repo, '"'))
		if rev != "" {
			fields = append(fields, "rev = "+tomlString(rev, '"'))
		}
	case strings.HasPrefix(u, "file:"):
		fields = append(fields, "path = "+tomlString(strings.TrimPrefix(strings.TrimPrefix(u, "file:"), "//"), '"'))
	default:
		fields = append(fields, "url = "+tomlString(u, '"'))
	}
	if subdir != "" {
		fields = append(fields, "subdirectory = "+tomlString(subdir, '"'))
	}
	return fields
}
