package pyproject

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/pylock/pylock/pep508"
)

// DependencyTarget names the dependency list an edit applies to: the main
// dependencies when both fields are empty, else one group or one extra.
type DependencyTarget struct {
	Group string // a dependency group ([dependency-groups] or Poetry's group)
	Extra string // an optional-dependency extra
}

// Addition is one requirement for AddDependencies to write.
type Addition struct {
	Requirement pep508.Requirement
	// LowerBound, when set and Requirement names no version, is written as
	// the lowest allowed version: ">=V" in PEP 508, "^V" in Poetry.
	LowerBound string
}

// EditChange is one entry an edit added, replaced or removed.
type EditChange struct {
	Name    string // the package, normalized
	Section string // the table, e.g. "[project.dependencies]"
	Old     string // the entry as it was written; "" when added
	New     string // the entry as it is now written; "" when removed
}

// NotDeclaredError reports a package that RemoveDependencies cannot find.
type NotDeclaredError struct {
	File       string
	Name       string   // as given
	Searched   []string // the tables searched, e.g. "[project.dependencies]"
	DeclaredIn []string // the other tables that declare it
}

func (e *NotDeclaredError) Error() string {
	msg := fmt.Sprintf("%s: package %q is not declared in %s", e.File, e.Name, strings.Join(e.Searched, " or "))
	if len(e.DeclaredIn) > 0 {
		msg += "; it is declared in " + strings.Join(e.DeclaredIn, ", ")
	}
	return msg
}

// EditError reports a pyproject.toml that cannot be edited as asked, such
// as a dependency list that is not an array.
type EditError struct {
	File    string
	Line    int // 0 when no line is to blame
	Section string
	Reason  string
	Err     error // the underlying error, if any
}

func (e *EditError) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	msg := fmt.Sprintf("%s: cannot edit %s: %s", where, e.Section, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *EditError) Unwrap() error { return e.Err }

// AddDependencies returns data, a pyproject.toml named file, with each
// requirement added to the target's list (at its place when the list is
// sorted by name, else at the end), or replacing the entry of the same
// package in that list. Everything else stays as written: comments,
// order, quoting, indentation. A PEP 621 / PEP 735 list gets a PEP 508
// string; a Poetry project gets a Poetry entry (with, for an extra, optional
// = true and the name listed in [tool.poetry.extras]). Missing tables are
// created.
func AddDependencies(file string, data []byte, adds []Addition, target DependencyTarget) ([]byte, []EditChange, error) {
	return editEach(file, data, target, adds, func(e *editor, add Addition) ([]EditChange, error) {
		c, err := e.add(add, target)
		return []EditChange{c}, err
	})
}

// RemoveDependencies returns data with every entry of the named packages
// removed from the target's list (for a Poetry project's main dependencies,
// also from [tool.poetry.extras]). A package the list does not declare is a
// *NotDeclaredError.
func RemoveDependencies(file string, data []byte, names []string, target DependencyTarget) ([]byte, []EditChange, error) {
	return editEach(file, data, target, names, func(e *editor, name string) ([]EditChange, error) {
		return e.remove(name, target)
	})
}

// editEach makes one edit per item, in order, and checks the result.
func editEach[T any](file string, data []byte, target DependencyTarget, items []T, edit func(*editor, T) ([]EditChange, error)) ([]byte, []EditChange, error) {
	for kind, name := range map[string]string{"group": target.Group, "extra": target.Extra} {
		if name != "" && !pep508.ValidName(name) {
			return nil, nil, &EditError{File: file, Section: "pyproject.toml", Reason: fmt.Sprintf("%q is not a valid %s name", name, kind)}
		}
	}
	e, err := newEditor(file, data)
	if err != nil {
		return nil, nil, err
	}
	var changes []EditChange
	for _, item := range items {
		cs, err := edit(e, item)
		if err != nil {
			return nil, nil, err
		}
		changes = append(changes, cs...)
	}
	return e.result(changes)
}

// editor holds a file being edited, indexed afresh after every edit.
type editor struct {
	file string
	data []byte
	src  *source
	doc  *editDoc
	// crlf is set when the file's lines end in "\r\n": the text an edit
	// writes then ends its lines so too.
	crlf bool
}

func newEditor(file string, data []byte) (*editor, error) {
	if _, err := Parse(file, data); err != nil {
		return nil, err
	}
	firstBreak := bytes.IndexByte(data, '\n')
	e := &editor{file: file, crlf: firstBreak > 0 && data[firstBreak-1] == '\r'}
	return e, e.set(data)
}

// set replaces the text and indexes it.
func (e *editor) set(data []byte) error {
	src, err := decode(e.file, data)
	if err != nil {
		return &EditError{File: e.file, Section: "pyproject.toml", Reason: "the edit would break the file", Err: err}
	}
	doc, err := newEditDoc(data)
	if err != nil {
		return &EditError{File: e.file, Section: "pyproject.toml", Reason: "the edit would break the file", Err: err}
	}
	e.data, e.src, e.doc = data, src, doc
	return nil
}

// apply makes the edits, with the file's line breaks, and indexes the
// result.
func (e *editor) apply(edits ...textEdit) error {
	if e.crlf {
		for i := range edits {
			edits[i].text = crlfLines(edits[i].text)
		}
	}
	return e.set(applyEdits(e.data, edits...))
}

// crlfLines turns every "\n" of text not already preceded by "\r" into
// "\r\n".
func crlfLines(text string) string {
	var sb strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' && (i == 0 || text[i-1] != '\r') {
			sb.WriteByte('\r')
		}
		sb.WriteByte(text[i])
	}
	return sb.String()
}

// result checks that the edited file still reads as a project.
func (e *editor) result(changes []EditChange) ([]byte, []EditChange, error) {
	if _, err := Parse(e.file, e.data); err != nil {
		return nil, nil, &EditError{File: e.file, Section: "pyproject.toml", Reason: "the edited file would not read", Err: err}
	}
	return e.data, changes, nil
}

// depList is where a target's dependencies live in the file.
type depList struct {
	path   []string // the array of PEP 508 strings, or the Poetry table
	poetry bool
	extra  string // Poetry: the [tool.poetry.extras] entry naming the package
}

func (l depList) section() string {
	s := "[" + dotted(l.path) + "]"
	if l.extra != "" {
		s += " and [" + dotted([]string{"tool", "poetry", "extras", l.extra}) + "]"
	}
	return s
}

// listFor picks the list a target's dependencies go to: the one that
// already exists, else the one of the file's dialect (Poetry when
// [tool.poetry.dependencies] holds the main dependencies).
func (e *editor) listFor(t DependencyTarget) depList {
	poetry := e.src.lookup("project", "dependencies") == nil &&
		(e.src.lookup("tool", "poetry", "dependencies") != nil ||
			e.src.lookup("tool", "poetry") != nil && e.src.lookup("project") == nil)
	switch {
	case t.Group != "":
		if key := e.keyNamed([]string{"dependency-groups"}, t.Group); key != "" {
			return depList{path: []string{"dependency-groups", key}}
		}
		if key := e.keyNamed([]string{"tool", "poetry", "group"}, t.Group); key != "" {
			return depList{path: []string{"tool", "poetry", "group", key, "dependencies"}, poetry: true}
		}
		if e.src.lookup("dependency-groups") == nil && (poetry || e.src.lookup("tool", "poetry", "group") != nil) {
			return depList{path: []string{"tool", "poetry", "group", t.Group, "dependencies"}, poetry: true}
		}
		return depList{path: []string{"dependency-groups", t.Group}}
	case t.Extra != "":
		if e.src.lookup("project", "optional-dependencies") != nil || !poetry {
			return depList{path: []string{"project", "optional-dependencies", e.keyOr([]string{"project", "optional-dependencies"}, t.Extra)}}
		}
		return depList{path: []string{"tool", "poetry", "dependencies"}, poetry: true,
			extra: e.keyOr([]string{"tool", "poetry", "extras"}, t.Extra)}
	case poetry:
		return depList{path: []string{"tool", "poetry", "dependencies"}, poetry: true}
	}
	return depList{path: []string{"project", "dependencies"}}
}

// keyNamed returns the key of the table at path whose normalized name is
// name's, or "".
func (e *editor) keyNamed(path []string, name string) string {
	tbl, _ := e.src.lookup(path...).(map[string]any)
	for _, k := range e.src.keys(path, tbl) {
		if pep508.NormalizeName(k) == pep508.NormalizeName(name) {
			return k
		}
	}
	return ""
}

func (e *editor) keyOr(path []string, name string) string {
	if key := e.keyNamed(path, name); key != "" {
		return key
	}
	return name
}

// lineOf is the 1-based line of offset i.
func (e *editor) lineOf(i int) int { return strings.Count(string(e.data[:i]), "\n") + 1 }

// insertEntry adds the key-value text to the table at path, after its last
// key-value, creating the table after its nearest relative when missing.
func (e *editor) insertEntry(path []string, kv string) error {
	if s := e.doc.section(path); s != nil {
		at := s.entriesEnd()
		return e.apply(textEdit{at, at, e.lineBreakBefore(at) + kv + "\n"})
	}
	if e.doc.keyDefined(path) {
		return &EditError{File: e.file, Section: dotted(path),
			Reason: "it is written with dotted keys or as an inline table; write it as a [" + dotted(path) + "] table to let pylock edit it"}
	}
	at := e.doc.newTableAt(path)
	lead := e.lineBreakBefore(at)
	if before := string(e.data[:at]); at > 0 && !strings.HasSuffix(before, "\n\n") && !strings.HasSuffix(before, "\n\r\n") {
		lead += "\n"
	}
	return e.apply(textEdit{at, at, lead + "[" + dotted(path) + "]\n" + kv + "\n"})
}

// lineBreakBefore is "\n" when offset at is not the start of a line.
func (e *editor) lineBreakBefore(at int) string {
	if at > 0 && e.data[at-1] != '\n' {
		return "\n"
	}
	return ""
}

// add writes one requirement to the target's list.
func (e *editor) add(add Addition, t DependencyTarget) (EditChange, error) {
	l := e.listFor(t)
	if !pep508.ValidName(add.Requirement.Name) {
		return EditChange{}, &EditError{File: e.file, Section: l.section(), Reason: fmt.Sprintf("%q is not a valid project name", add.Requirement.Name)}
	}
	if l.poetry {
		return e.addPoetry(l, add)
	}
	return e.addPEP508(l, add)
}

// remove deletes a package from the target's list.
func (e *editor) remove(name string, t DependencyTarget) ([]EditChange, error) {
	l := e.listFor(t)
	var changes []EditChange
	var err error
	if l.poetry {
		changes, err = e.removePoetry(l, name)
	} else {
		changes, err = e.removeAll(l, name)
	}
	if err == nil && len(changes) == 0 {
		err = e.notDeclared(name, l)
	}
	return changes, err
}

// notDeclared builds the error for a package l does not hold, naming the
// tables that do declare it.
func (e *editor) notDeclared(name string, l depList) error {
	err := &NotDeclaredError{File: e.file, Name: name, Searched: []string{l.section()}}
	p, perr := Parse(e.file, e.data)
	if perr != nil {
		return err
	}
	norm := pep508.NormalizeName(name)
	lists := [][]Dependency{p.Dependencies}
	for _, x := range p.Extras {
		lists = append(lists, x.Dependencies)
	}
	for _, g := range p.Groups {
		lists = append(lists, g.Dependencies)
	}
	for _, deps := range lists {
		for _, d := range deps {
			if d.Requirement.NormalizedName() == norm && !slices.Contains(err.DeclaredIn, d.Section) {
				err.DeclaredIn = append(err.DeclaredIn, d.Section)
			}
		}
	}
	return err
}
