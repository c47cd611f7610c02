package pyproject

import (
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// Project is the dependency model of one pyproject.toml, the same whichever
// dialect ([project], [dependency-groups], [tool.poetry]) declared it.
type Project struct {
	File    string   // the name Parse was given
	Name    string   // as written; "" when neither [project] nor [tool.poetry] names it
	Version string   // as written; "" when absent or dynamic
	Dynamic []string // project.dynamic as written

	// RequiresPython is the Python versions the project supports: from
	// project.requires-python, else the "python" entry of
	// [tool.poetry.dependencies]. nil allows every version.
	RequiresPython     Constraint
	RequiresPythonLine int // 0 when not declared

	Dependencies []Dependency // always installed
	Extras       []Extra      // sorted by name
	Groups       []Group      // sorted by name
	// Environments are [tool.pylock] environments: when not empty, the lock
	// serves only environments satisfying one of them.
	Environments []Environment
	// Indexes are the declared package indexes ([[tool.pylock.index]], then
	// [[tool.poetry.source]]), sorted by priority, file order within one.
	Indexes []Index
	// Sources pin packages to indexes, in file order.
	Sources []Source
	// DefaultIndexOff is true when the file turns the default index (PyPI)
	// off without naming another, as Poetry's primary sources do.
	DefaultIndexOff bool
	Warnings        []Warning // declarations that were read but have no effect
}

// Dependency is one declared dependency.
type Dependency struct {
	// Requirement is the PEP 508 form. Its Specifier is empty when Union is
	// set: then the version constraint is Union, which no single specifier
	// set can express. Use Constraint or Range, which are exact either way.
	Requirement pep508.Requirement
	Union       Constraint

	Text    string // as written: the PEP 508 string, or the Poetry `name = ...` entry
	Section string // the table it came from, e.g. "[project.dependencies]"
	Line    int    // 1-based line in the file

	// Poetry-only details; zero for PEP 508 dependencies.
	Optional         bool   // optional = true: installed only through an extra
	AllowPrereleases *bool  // allow-prereleases, nil when not given
	Source           string // source = name of a [[tool.poetry.source]]
	Develop          bool   // develop = true (editable path dependency)
}

// Extra is one optional feature: [project.optional-dependencies.<name>] or
// [tool.poetry.extras].
type Extra struct {
	Name         string // normalized (PEP 685)
	Dependencies []Dependency
}

// Group is one dependency group: [dependency-groups] (PEP 735) and
// [tool.poetry.group.<name>] (legacy dev-dependencies are group "dev").
// Groups of both tables with the same normalized name are one group.
type Group struct {
	Name     string   // normalized (PEP 503)
	Optional bool     // [tool.poetry.group.<name>] optional = true
	Includes []string // normalized names of the groups it includes
	// Dependencies are the group's own dependencies followed by those of
	// the groups it includes (recursively, each dependency once); included
	// dependencies keep the Section and Line of their own group.
	Dependencies []Dependency
}

// Warning is a declaration that was read but has no effect, such as a
// Poetry optional dependency that no extra names.
type Warning struct {
	Line    int
	Message string
}

// Constraint returns the dependency's version constraint (nil for any
// version, and for URL dependencies).
func (d Dependency) Constraint() Constraint {
	if d.Union != nil {
		return d.Union
	}
	if len(d.Requirement.Specifier) == 0 {
		return nil
	}
	return Constraint{d.Requirement.Specifier}
}

// Range returns the exact set of versions the dependency allows.
func (d Dependency) Range() pep440.Range { return d.Constraint().Range() }

// Canonical prints the dependency so that equivalent declarations print
// alike: normalized name, normalized sorted extras, the canonical constraint
// (a union in parentheses) or "@ url", and the marker in packaging's form.
func (d Dependency) Canonical() string {
	r := d.Requirement
	var b strings.Builder
	b.WriteString(pep508.NormalizeName(r.Name))
	if len(r.Extras) > 0 {
		extras := make([]string, len(r.Extras))
		for i, e := range r.Extras {
			extras[i] = pep508.NormalizeName(e)
		}
		slices.Sort(extras)
		b.WriteString("[" + strings.Join(slices.Compact(extras), ",") + "]")
	}
	c := d.Constraint()
	switch {
	case r.URL != "":
		b.WriteString(" @ " + r.URL)
		if !r.Marker.IsTrue() {
			b.WriteString(" ")
		}
	case c.IsUnion():
		b.WriteString(" (" + c.Canonical() + ")")
	default:
		b.WriteString(c.Canonical())
	}
	if !r.Marker.IsTrue() {
		b.WriteString("; " + r.Marker.String())
	}
	return b.String()
}

// Load reads and parses the pyproject.toml at path.
func Load(path string) (*Project, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses the contents of a pyproject.toml; name is used in errors.
func Parse(name string, data []byte) (*Project, error) {
	src, err := decode(name, data)
	if err != nil {
		return nil, err
	}
	b := &builder{src: src, p: &Project{File: name}}
	steps := []func() error{b.readMeta, b.readPoetryMain, b.readMain, b.readRequiresPython, b.readExtras, b.readGroups, b.readEnvironments, b.readIndexes}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return b.p, nil
}

// builder holds the state of one Parse.
type builder struct {
	src     *source
	p       *Project
	dynamic map[string]bool
	// Poetry's main dependencies, read once: the required ones and the
	// optional ones by normalized name; python is the "python" entry.
	poetryMain     []Dependency
	poetryOptional map[string][]Dependency
	poetryPython   string
	hasPoetryMain  bool
	poetryFirst    string // the name of Poetry's legacy default source
}

// warn records a declaration without effect.
func (b *builder) warn(path []string, msg string) {
	b.p.Warnings = append(b.p.Warnings, Warning{Line: b.src.line(path...), Message: msg})
}

func sortExtras(extras []Extra) {
	sort.Slice(extras, func(i, j int) bool { return extras[i].Name < extras[j].Name })
}
