package pyproject

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/pylock/pylock/pep508"
)

// IndexPriority says when an index is searched for a package.
type IndexPriority string

// Index priorities, in search order. Within one priority, indexes are
// searched in file order.
const (
	// PriorityPrimary indexes are searched before the default index.
	PriorityPrimary IndexPriority = "primary"
	// PriorityDefault is the default index: it replaces PyPI and is searched
	// after the primary indexes.
	PriorityDefault IndexPriority = "default"
	// PrioritySupplemental indexes are searched after the default index
	// (Poetry's supplemental and legacy secondary sources).
	PrioritySupplemental IndexPriority = "supplemental"
	// PriorityExplicit indexes are never searched: only packages pinned to
	// them through sources use them.
	PriorityExplicit IndexPriority = "explicit"
)

// rank orders priorities for searching.
func (p IndexPriority) rank() int {
	switch p {
	case PriorityPrimary:
		return 0
	case PriorityDefault:
		return 1
	case PrioritySupplemental:
		return 2
	}
	return 3
}

// Index is one package index: a [[tool.pylock.index]] table
//
//	[[tool.pylock.index]]
//	name = "internal"                       # letters, digits, "-", "_", "."
//	url = "https://pypi.example.com/simple" # http or https Simple API URL
//	default = true                          # optional: replaces PyPI
//	explicit = true                         # optional: only for pinned packages
//
// or a [[tool.poetry.source]] table (name, url, priority = "primary" |
// "supplemental" | "explicit", and the legacy default = true, secondary =
// true, priority = "default" | "secondary").
type Index struct {
	Name     string // as written
	URL      string // as written; may hold credentials, which Inputs never shows
	Priority IndexPriority
	Section  string // "[[tool.pylock.index]]" or "[[tool.poetry.source]]"
	Line     int
}

// Canonical is the index as Inputs records it: "name=url", then the
// priority in parentheses unless primary; the name lower-cased, the URL
// without credentials or trailing slash.
func (ix Index) Canonical() string {
	s := strings.ToLower(ix.Name) + "=" + cleanURL(ix.URL)
	if ix.Priority != PriorityPrimary {
		s += " (" + string(ix.Priority) + ")"
	}
	return s
}

// Source pins a package to one index: [tool.pylock.sources] name = { index
// = "..." }, or a Poetry dependency's source = "...".
type Source struct {
	Package string // normalized
	Index   string // the index name as written
	Section string
	Line    int
}

// Canonical is the source as Inputs records it: "package=index".
func (s Source) Canonical() string { return s.Package + "=" + strings.ToLower(s.Index) }

// IndexURLError reports an index whose URL is missing or not an http(s) URL.
type IndexURLError struct {
	File  string
	Line  int
	Index string // the index name
	URL   string // credentials redacted
}

func (e *IndexURLError) Error() string {
	if e.URL == "" {
		return fmt.Sprintf("%s:%d: index '%s' has no url", e.File, e.Line, e.Index)
	}
	return fmt.Sprintf("%s:%d: index '%s': invalid url %q: want an http or https URL", e.File, e.Line, e.Index, e.URL)
}

// DuplicateIndexError reports two indexes with the same name (compared
// case-insensitively), or a second default index.
type DuplicateIndexError struct {
	File      string
	Line      int
	Index     string
	FirstLine int  // the line of the first one
	Default   bool // two indexes are marked default (Index is the second)
}

func (e *DuplicateIndexError) Error() string {
	if e.Default {
		return fmt.Sprintf("%s:%d: index '%s' is a second default index (the first is on line %d)", e.File, e.Line, e.Index, e.FirstLine)
	}
	return fmt.Sprintf("%s:%d: index name '%s' is already used on line %d", e.File, e.Line, e.Index, e.FirstLine)
}

// UnknownIndexError reports a source naming an index that is not declared.
type UnknownIndexError struct {
	File    string
	Line    int
	Package string
	Index   string
	Known   []string // the declared index names
}

func (e *UnknownIndexError) Error() string {
	known := "none are declared"
	if len(e.Known) > 0 {
		known = "declared: " + strings.Join(e.Known, ", ")
	}
	return fmt.Sprintf("%s:%d: %s is pinned to index '%s', which is not declared (%s)", e.File, e.Line, e.Package, e.Index, known)
}

// readIndexes reads [[tool.pylock.index]], [[tool.poetry.source]] and the
// sources, and sorts the indexes by priority.
func (b *builder) readIndexes() error {
	if err := b.readIndexTables([]string{"tool", "pylock", "index"}, "[[tool.pylock.index]]", b.pylockIndex); err != nil {
		return err
	}
	if err := b.readIndexTables([]string{"tool", "poetry", "source"}, "[[tool.poetry.source]]", b.poetrySource); err != nil {
		return err
	}
	b.moveFirst(b.poetryFirst)
	sort.SliceStable(b.p.Indexes, func(i, j int) bool {
		return b.p.Indexes[i].Priority.rank() < b.p.Indexes[j].Priority.rank()
	})
	seen := map[string]int{}
	defaultLine := 0
	for _, ix := range b.p.Indexes {
		key := strings.ToLower(ix.Name)
		if first, ok := seen[key]; ok {
			return &DuplicateIndexError{File: b.src.file, Line: max(first, ix.Line), Index: ix.Name, FirstLine: min(first, ix.Line)}
		}
		seen[key] = ix.Line
		if ix.Priority == PriorityDefault {
			if defaultLine != 0 {
				return &DuplicateIndexError{File: b.src.file, Line: ix.Line, Index: ix.Name, FirstLine: defaultLine, Default: true}
			}
			defaultLine = ix.Line
		}
	}
	return b.readSources()
}

// pypiSimple is PyPI's Simple API, the URL of a Poetry "PyPI" source.
const pypiSimple = "https://pypi.org/simple"

// moveFirst moves the named index to the front (Poetry's legacy default
// source comes before every other).
func (b *builder) moveFirst(name string) {
	for i, ix := range b.p.Indexes {
		if name != "" && ix.Name == name {
			copy(b.p.Indexes[1:i+1], b.p.Indexes[:i])
			b.p.Indexes[0] = ix
			return
		}
	}
}

// allDependencies lists every dependency read, Poetry's optional ones
// included.
func (b *builder) allDependencies() []Dependency {
	deps := append(append([]Dependency{}, b.p.Dependencies...), b.poetryMain...)
	for _, e := range b.p.Extras {
		deps = append(deps, e.Dependencies...)
	}
	for _, g := range b.p.Groups {
		deps = append(deps, g.Dependencies...)
	}
	for _, name := range sortedNames(b.poetryOptional) {
		deps = append(deps, b.poetryOptional[name]...)
	}
	return deps
}

// sortedNames returns the keys of m, sorted.
func sortedNames(m map[string][]Dependency) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// readIndexTables reads an array of index tables with read.
func (b *builder) readIndexTables(path []string, section string, read func([]string, map[string]any) (Index, error)) error {
	v := b.src.lookup(path...)
	if v == nil {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		return b.src.fieldError(path, "must be an array of tables, not %s", typeName(v))
	}
	for i, e := range arr {
		at := sub(path, elem(i))
		m, ok := e.(map[string]any)
		if !ok {
			return b.src.fieldError(at, "must be a table, not %s", typeName(e))
		}
		ix, err := read(at, m)
		if err != nil {
			return err
		}
		ix.Section, ix.Line = section, b.src.line(at...)
		if err := b.checkIndex(ix); err != nil {
			return err
		}
		b.p.Indexes = append(b.p.Indexes, ix)
	}
	return nil
}

// pylockIndex reads one [[tool.pylock.index]] table.
func (b *builder) pylockIndex(at []string, m map[string]any) (Index, error) {
	if err := b.onlyKeys(at, m, "name", "url", "default", "explicit"); err != nil {
		return Index{}, err
	}
	ix, err := b.nameAndURL(at, false)
	if err != nil {
		return Index{}, err
	}
	def, err := b.boolean(sub(at, "default"))
	if err != nil {
		return Index{}, err
	}
	explicit, err := b.boolean(sub(at, "explicit"))
	if err != nil {
		return Index{}, err
	}
	ix.Priority = PriorityPrimary
	switch {
	case def && explicit:
		return Index{}, b.src.fieldError(sub(at, "explicit"), "an index cannot be both default and explicit")
	case def:
		ix.Priority = PriorityDefault
	case explicit:
		ix.Priority = PriorityExplicit
	}
	return ix, nil
}

// poetrySource reads one [[tool.poetry.source]] table. Poetry's legacy
// default source (default = true or priority = "default") is the first
// primary index; a "PyPI" source without url is PyPI.
func (b *builder) poetrySource(at []string, m map[string]any) (Index, error) {
	if err := b.onlyKeys(at, m, "name", "url", "priority", "default", "secondary", "links", "indexed"); err != nil {
		return Index{}, err
	}
	ix, err := b.nameAndURL(at, true)
	if err != nil {
		return Index{}, err
	}
	priority, _, err := b.src.str(sub(at, "priority")...)
	if err != nil {
		return Index{}, err
	}
	def, err := b.boolean(sub(at, "default"))
	if err != nil {
		return Index{}, err
	}
	secondary, err := b.boolean(sub(at, "secondary"))
	if err != nil {
		return Index{}, err
	}
	switch {
	case priority == "explicit":
		ix.Priority = PriorityExplicit
	case priority == "supplemental" || priority == "secondary" || (priority == "" && secondary):
		ix.Priority = PrioritySupplemental
	case priority == "primary" || priority == "default" || priority == "":
		ix.Priority = PriorityPrimary
		b.p.DefaultIndexOff = true
		if priority == "default" || def {
			b.poetryFirst = ix.Name
		}
	default:
		return Index{}, b.src.fieldError(sub(at, "priority"), "unknown priority %q (want primary, supplemental or explicit)", priority)
	}
	return ix, nil
}

// nameAndURL reads the name and url of an index table; with pypiDefault, an
// index named "PyPI" without url is PyPI.
func (b *builder) nameAndURL(at []string, pypiDefault bool) (Index, error) {
	name, ok, err := b.src.str(sub(at, "name")...)
	if err != nil {
		return Index{}, err
	}
	if !ok || !validIndexName(name) {
		return Index{}, b.src.fieldError(sub(at, "name"), "an index needs a name of letters, digits, \"-\", \"_\" and \".\"")
	}
	raw, ok, err := b.src.str(sub(at, "url")...)
	if err != nil {
		return Index{}, err
	}
	if !ok && pypiDefault && strings.EqualFold(name, "pypi") {
		raw = pypiSimple
	}
	return Index{Name: name, URL: raw}, nil
}

// checkIndex checks the URL of an index.
func (b *builder) checkIndex(ix Index) error {
	u, err := url.Parse(ix.URL)
	if ix.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &IndexURLError{File: b.src.file, Line: ix.Line, Index: ix.Name, URL: redactURL(ix.URL)}
	}
	return nil
}

// readSources reads [tool.pylock.sources] and the Poetry dependencies'
// source keys, and checks that each names a declared index.
func (b *builder) readSources() error {
	path := []string{"tool", "pylock", "sources"}
	tbl, err := b.src.table(path...)
	if err != nil {
		return err
	}
	for _, name := range b.src.keys(path, tbl) {
		at := sub(path, name)
		m, ok := tbl[name].(map[string]any)
		if !ok {
			return b.src.fieldError(at, "must be a table such as { index = \"name\" }, not %s", typeName(tbl[name]))
		}
		if err := b.onlyKeys(at, m, "index"); err != nil {
			return err
		}
		index, ok, err := b.src.str(sub(at, "index")...)
		if err != nil {
			return err
		}
		if !ok {
			return b.src.fieldError(at, "needs index = \"<name>\"")
		}
		if !pep508.ValidName(name) {
			return b.src.fieldError(at, "%q is not a valid project name", name)
		}
		b.addSource(Source{Package: pep508.NormalizeName(name), Index: index, Section: "[tool.pylock.sources]", Line: b.src.line(at...)})
	}
	for _, d := range b.allDependencies() {
		if d.Source != "" {
			b.addSource(Source{Package: d.Requirement.NormalizedName(), Index: d.Source, Section: d.Section, Line: d.Line})
		}
	}
	return b.checkSources()
}

// addSource records a source once per package and index.
func (b *builder) addSource(s Source) {
	for _, old := range b.p.Sources {
		if old.Package == s.Package && strings.EqualFold(old.Index, s.Index) {
			return
		}
	}
	b.p.Sources = append(b.p.Sources, s)
}

// checkSources checks that every source names a declared index, and no
// package is pinned to two.
func (b *builder) checkSources() error {
	declared := map[string]bool{}
	var known []string
	for _, ix := range b.p.Indexes {
		declared[strings.ToLower(ix.Name)] = true
		known = append(known, ix.Name)
	}
	pinned := map[string]Source{}
	for _, s := range b.p.Sources {
		if !declared[strings.ToLower(s.Index)] {
			return &UnknownIndexError{File: b.src.file, Line: s.Line, Package: s.Package, Index: s.Index, Known: known}
		}
		if old, ok := pinned[s.Package]; ok {
			return &FieldError{File: b.src.file, Line: s.Line, Field: s.Package,
				Message: fmt.Sprintf("pinned to index '%s' here and to '%s' on line %d", s.Index, old.Index, old.Line)}
		}
		pinned[s.Package] = s
	}
	return nil
}

// onlyKeys rejects keys of an index or source table pylock does not know.
func (b *builder) onlyKeys(at []string, m map[string]any, allowed ...string) error {
	for _, k := range b.src.keys(at, m) {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			return b.src.fieldError(sub(at, k), "unknown key (allowed: %s)", strings.Join(allowed, ", "))
		}
	}
	return nil
}

// boolean reads an optional boolean.
func (b *builder) boolean(path []string) (bool, error) {
	v := b.src.lookup(path...)
	if v == nil {
		return false, nil
	}
	x, ok := v.(bool)
	if !ok {
		return false, b.src.fieldError(path, "must be a boolean, not %s", typeName(v))
	}
	return x, nil
}

// validIndexName reports whether name is a non-empty run of ASCII letters,
// digits, "-", "_" and ".".
func validIndexName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// cleanURL is raw without credentials or trailing slashes.
func cleanURL(raw string) string {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return "(invalid URL)"
	}
	u.User = nil
	return u.String()
}

// redactURL hides the credentials of raw as "****".
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	if u.User == nil {
		return raw
	}
	u.User = nil
	return strings.Replace(u.String(), "://", "://****@", 1)
}

// canonicalIndexes is the search order's canonical form, for Inputs.
func canonicalIndexes(p *Project) []string {
	var out []string
	for _, ix := range p.Indexes {
		out = append(out, ix.Canonical())
	}
	if p.DefaultIndexOff && !hasDefault(p.Indexes) {
		out = append(out, noDefaultIndex)
	}
	return out
}

// diffIndexes compares two search orders: entries removed and added, or, when
// only the order changed, one change holding both orders.
func diffIndexes(old, now []string) []Change {
	var out []Change
	for _, x := range setDifference(old, now) {
		out = append(out, Change{Scope: ScopeIndexes, Name: indexName(x), Old: x})
	}
	for _, x := range setDifference(now, old) {
		out = append(out, Change{Scope: ScopeIndexes, Name: indexName(x), New: x})
	}
	if len(out) == 0 && !slices.Equal(old, now) {
		out = append(out, Change{Scope: ScopeIndexes, Old: strings.Join(old, ", "), New: strings.Join(now, ", ")})
	}
	return out
}

// indexName is the name in a canonical index entry.
func indexName(canonical string) string {
	name, _, _ := strings.Cut(canonical, "=")
	return name
}

// IndexDeclaration returns the section and line that declare the index or
// source whose canonical form is canonical (in scope ScopeIndexes or
// ScopeSources), to point a Change at it.
func (p *Project) IndexDeclaration(scope, canonical string) (section string, line int, ok bool) {
	if scope == ScopeIndexes {
		for _, ix := range p.Indexes {
			if ix.Canonical() == canonical {
				return ix.Section, ix.Line, true
			}
		}
	}
	if scope == ScopeSources {
		for _, s := range p.Sources {
			if s.Canonical() == canonical {
				return s.Section, s.Line, true
			}
		}
	}
	return "", 0, false
}

// noDefaultIndex is the Inputs entry saying the default index (PyPI) is off.
const noDefaultIndex = "(no default index)"

func hasDefault(list []Index) bool {
	for _, ix := range list {
		if ix.Priority == PriorityDefault {
			return true
		}
	}
	return false
}

// canonicalSources is the sorted canonical form of the sources, for Inputs.
func canonicalSources(list []Source) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, s.Canonical())
	}
	sort.Strings(out)
	return out
}
