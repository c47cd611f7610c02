package resolver

import (
	"slices"
	"sort"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// Resolution is a successful result: one version per package, or in
// universal mode one entry per distinct (name, version), each with the
// marker under which it is installed.
type Resolution struct {
	Packages []ResolvedPackage // sorted by Name, then Version
}

// ResolvedPackage is one chosen package.
type ResolvedPackage struct {
	Name    string // normalized
	Version pep440.Version
	Extras  []string // activated extras, normalized and sorted
	// Dependents lists the requirements that led to this package, sorted by
	// dependent (the root first) and requirement.
	Dependents []Edge
	// Marker, in universal mode, is where this version is installed: the
	// environments in which some chain of requirements from the root reaches
	// it. The zero Marker means everywhere.
	Marker pep508.Marker
}

// Edge is one requirement of a chosen package (or of the root) on another.
type Edge struct {
	From      string // normalized name of the dependent; "" for the root
	FromExtra string // the dependent's extra the requirement belongs to, or ""
	// Requirement is the requirement as written. For Options.RootRanges it
	// carries only the name and extras.
	Requirement pep508.Requirement
}

// Get returns the chosen package of that (normalized) name; in universal
// mode, the first (lowest) of its versions.
func (r *Resolution) Get(name string) (ResolvedPackage, bool) {
	i, ok := slices.BinarySearchFunc(r.Packages, name, func(p ResolvedPackage, n string) int {
		return strings.Compare(p.Name, n)
	})
	if !ok {
		return ResolvedPackage{}, false
	}
	return r.Packages[i], true
}

// result assembles the Resolution from the decisions.
func (s *solver) result() *Resolution {
	res := &Resolution{}
	for _, rp := range s.entries() {
		res.Packages = append(res.Packages, *rp)
	}
	sortPackages(res.Packages)
	return res
}

// entries returns the chosen packages by name, with their extras and the
// edges that reach them.
func (s *solver) entries() map[string]*ResolvedPackage {
	byName := map[string]*ResolvedPackage{}
	for p, v := range s.ps.decisions {
		if p.IsRoot() {
			continue
		}
		rp := byName[p.Name]
		if rp == nil {
			rp = &ResolvedPackage{Name: p.Name, Version: v}
			byName[p.Name] = rp
		}
		if p.Extra != "" {
			rp.Extras = append(rp.Extras, p.Extra)
		}
	}
	for p, v := range s.ps.decisions {
		ds := s.deps[p.String()+" "+v.String()]
		for _, e := range ds.edges {
			if rp := byName[e.target.Name]; rp != nil {
				rp.Dependents = addEdge(rp.Dependents, Edge{From: p.Name, FromExtra: p.Extra, Requirement: e.req})
			}
		}
	}
	for _, rp := range byName {
		sort.Strings(rp.Extras)
		sort.Slice(rp.Dependents, func(i, j int) bool { return edgeLess(rp.Dependents[i], rp.Dependents[j]) })
	}
	return byName
}

// sortPackages orders packages by name, then version.
func sortPackages(pkgs []ResolvedPackage) {
	sort.Slice(pkgs, func(i, j int) bool {
		if pkgs[i].Name != pkgs[j].Name {
			return pkgs[i].Name < pkgs[j].Name
		}
		return pkgs[i].Version.Compare(pkgs[j].Version) < 0
	})
}

// addEdge adds an edge unless an equal one is there.
func addEdge(list []Edge, e Edge) []Edge {
	if slices.ContainsFunc(list, func(x Edge) bool { return sameEdge(x, e) }) {
		return list
	}
	return append(list, e)
}

func sameEdge(a, b Edge) bool {
	return a.From == b.From && a.FromExtra == b.FromExtra && a.Requirement.String() == b.Requirement.String()
}

func edgeLess(a, b Edge) bool {
	if a.From != b.From {
		return a.From < b.From
	}
	if a.FromExtra != b.FromExtra {
		return a.FromExtra < b.FromExtra
	}
	return a.Requirement.String() < b.Requirement.String()
}

// newestFirst returns cands ordered newest first, without repeated
// versions: cands itself when it is so ordered already (as the index
// provider lists them), else a sorted copy.
func newestFirst(cands []Candidate) []Candidate {
	descending := true
	for i := 1; i < len(cands) && descending; i++ {
		descending = cands[i-1].Version.Compare(cands[i].Version) > 0
	}
	if descending {
		return cands
	}
	out := slices.Clone(cands)
	slices.SortStableFunc(out, func(a, b Candidate) int { return b.Version.Compare(a.Version) })
	return slices.CompactFunc(out, func(a, b Candidate) bool { return a.Version.Equal(b.Version) })
}
