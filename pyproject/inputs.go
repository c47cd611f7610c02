package pyproject

import (
	"slices"
	"sort"
	"strings"

	"github.com/pylock/pylock/pep508"
)

// Inputs is the canonical form of everything in a pyproject.toml that a lock
// depends on. The lockfile stores it; `pylock check` compares the stored
// Inputs with the project's current ones. Equivalent declarations give equal
// Inputs: lists are sorted and deduplicated, requirements and constraints are
// in canonical form (Dependency.Canonical, Constraint.Canonical), so
// reordering entries, respelling names or versions, or moving a dependency
// between [project] and [tool.poetry] is not a change.
type Inputs struct {
	RequiresPython string              `toml:"requires-python"`
	Dependencies   []string            `toml:"dependencies"`
	Extras         map[string][]string `toml:"extras"`          // by normalized extra name
	Groups         map[string][]string `toml:"groups"`          // by normalized group name
	OptionalGroups []string            `toml:"optional-groups"` // Poetry groups with optional = true, sorted
	Environments   []string            `toml:"environments"`    // [tool.pylock] environments, canonical markers, sorted
	Indexes        []string            `toml:"indexes"`         // declared indexes (Index.Canonical) in search order, explicit ones last
	Sources        []string            `toml:"sources"`         // package pins (Source.Canonical), sorted
}

// Inputs returns the project's canonical inputs.
func (p *Project) Inputs() Inputs {
	in := Inputs{
		RequiresPython: p.RequiresPython.Canonical(),
		Dependencies:   canonicalList(p.Dependencies),
		Extras:         map[string][]string{},
		Groups:         map[string][]string{},
		Environments:   canonicalEnvironments(p.Environments),
		Indexes:        canonicalIndexes(p),
		Sources:        canonicalSources(p.Sources),
	}
	for _, e := range p.Extras {
		in.Extras[e.Name] = canonicalList(e.Dependencies)
	}
	for _, g := range p.Groups {
		in.Groups[g.Name] = canonicalList(g.Dependencies)
		if g.Optional {
			in.OptionalGroups = append(in.OptionalGroups, g.Name)
		}
	}
	sort.Strings(in.OptionalGroups)
	return in
}

func canonicalList(deps []Dependency) []string {
	out := make([]string, 0, len(deps))
	for _, d := range deps {
		out = append(out, d.Canonical())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Scopes name where a requirement applies in Inputs and Changes; extras and
// groups have ExtraScope and GroupScope.
const (
	ScopeMain           = "dependencies"    // the main dependencies
	ScopeRequiresPython = "requires-python" // a requires-python change
	ScopeOptionalGroups = "optional-groups" // a change to the optional groups
	ScopeEnvironments   = "environments"    // a change to [tool.pylock] environments
	ScopeIndexes        = "indexes"         // a change to the declared indexes or their order
	ScopeSources        = "sources"         // a change to the packages pinned to indexes
)

// ExtraScope is the scope of an extra's requirements: "extra:<name>".
func ExtraScope(name string) string { return "extra:" + name }

// GroupScope is the scope of a dependency group's requirements: "group:<name>".
func GroupScope(name string) string { return "group:" + name }

// Change is one difference between two Inputs.
type Change struct {
	Scope string // ScopeMain, ExtraScope(...), GroupScope(...), ScopeRequiresPython, ScopeOptionalGroups, ScopeEnvironments, ScopeIndexes or ScopeSources
	Name  string // normalized package (or group) name; "" for requires-python
	Old   string // canonical text before; "" when added
	New   string // canonical text after; "" when removed
}

// Diff lists how now differs from old, sorted by scope and name. Within a
// scope, a package whose only entry changed is one Change with Old and New;
// other differences are separate additions and removals.
func Diff(old, now Inputs) []Change {
	var out []Change
	if old.RequiresPython != now.RequiresPython {
		out = append(out, Change{Scope: ScopeRequiresPython, Old: old.RequiresPython, New: now.RequiresPython})
	}
	out = append(out, diffList(ScopeMain, old.Dependencies, now.Dependencies)...)
	for _, scope := range scopeNames(old.Extras, now.Extras) {
		out = append(out, diffList(ExtraScope(scope), old.Extras[scope], now.Extras[scope])...)
	}
	for _, scope := range scopeNames(old.Groups, now.Groups) {
		out = append(out, diffList(GroupScope(scope), old.Groups[scope], now.Groups[scope])...)
	}
	for _, g := range setDifference(old.OptionalGroups, now.OptionalGroups) {
		out = append(out, Change{Scope: ScopeOptionalGroups, Name: g, Old: g})
	}
	for _, g := range setDifference(now.OptionalGroups, old.OptionalGroups) {
		out = append(out, Change{Scope: ScopeOptionalGroups, Name: g, New: g})
	}
	for _, m := range setDifference(old.Environments, now.Environments) {
		out = append(out, Change{Scope: ScopeEnvironments, Old: m})
	}
	for _, m := range setDifference(now.Environments, old.Environments) {
		out = append(out, Change{Scope: ScopeEnvironments, New: m})
	}
	out = append(out, diffIndexes(old.Indexes, now.Indexes)...)
	return append(out, diffList(ScopeSources, old.Sources, now.Sources)...)
}

func scopeNames(a, b map[string][]string) []string {
	var names []string
	for n := range a {
		names = append(names, n)
	}
	for n := range b {
		names = append(names, n)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// setDifference returns the entries of a not in b, in a's order.
func setDifference(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func diffList(scope string, old, now []string) []Change {
	removed, added := setDifference(old, now), setDifference(now, old)
	byName := func(list []string) map[string][]string {
		m := map[string][]string{}
		for _, r := range list {
			m[requirementName(r)] = append(m[requirementName(r)], r)
		}
		return m
	}
	rm, ad := byName(removed), byName(added)
	var out []Change
	for name, olds := range rm {
		news := ad[name]
		if len(olds) == 1 && len(news) == 1 {
			out = append(out, Change{Scope: scope, Name: name, Old: olds[0], New: news[0]})
			delete(ad, name)
			continue
		}
		for _, o := range olds {
			out = append(out, Change{Scope: scope, Name: name, Old: o})
		}
	}
	for name, news := range ad {
		for _, n := range news {
			out = append(out, Change{Scope: scope, Name: name, New: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Old+"\x00"+out[i].New < out[j].Old+"\x00"+out[j].New
	})
	return out
}

// requirementName is the normalized name at the start of a canonical
// requirement.
func requirementName(canonical string) string {
	end := strings.IndexAny(canonical, "[ ;<>=!~(@")
	if end < 0 {
		end = len(canonical)
	}
	return pep508.NormalizeName(canonical[:end])
}

// Declaration returns the project's dependency in scope whose canonical form
// is canonical, to point a Change at the line that declares it.
func (p *Project) Declaration(scope, canonical string) (Dependency, bool) {
	var deps []Dependency
	switch {
	case scope == ScopeMain:
		deps = p.Dependencies
	case strings.HasPrefix(scope, "extra:"):
		for _, e := range p.Extras {
			if ExtraScope(e.Name) == scope {
				deps = e.Dependencies
			}
		}
	case strings.HasPrefix(scope, "group:"):
		for _, g := range p.Groups {
			if GroupScope(g.Name) == scope {
				deps = g.Dependencies
			}
		}
	}
	for _, d := range deps {
		if d.Canonical() == canonical {
			return d, true
		}
	}
	return Dependency{}, false
}
