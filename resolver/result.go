package resolver

import (
	"slices"
	"sort"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// Resolution is a successful result: one version per package.
type Resolution struct {
	Packages []ResolvedPackage // sorted by Name
}

// ResolvedPackage is one chosen package.
type ResolvedPackage struct {
	Name    string // normalized
	Version pep440.Version
	Extras  []string // activated extras, normalized and sorted
	// Dependents lists the requirements that led to this package, sorted by
	// dependent (the root first) and requirement.
	Dependents []Edge
}

// Edge is one requirement of a chosen package (or of the root) on another.
type Edge struct {
	From      string // normalized name of the dependent; "" for the root
	FromExtra string // the dependent's extra the requirement belongs to, or ""
	// Requirement is the requirement as written. For Options.RootRanges it
	// carries only the name and extras.
	Requirement pep508.Requirement
}

// Get returns the chosen package of that (normalized) name.
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
			rp := byName[e.target.Name]
			if rp == nil {
				continue
			}
			edge := Edge{From: p.Name, FromExtra: p.Extra, Requirement: e.req}
			if !slices.ContainsFunc(rp.Dependents, func(x Edge) bool { return sameEdge(x, edge) }) {
				rp.Dependents = append(rp.Dependents, edge)
			}
		}
	}
	res := &Resolution{}
	for _, rp := range byName {
		sort.Strings(rp.Extras)
		sort.Slice(rp.Dependents, func(i, j int) bool { return edgeLess(rp.Dependents[i], rp.Dependents[j]) })
		res.Packages = append(res.Packages, *rp)
	}
	sort.Slice(res.Packages, func(i, j int) bool { return res.Packages[i].Name < res.Packages[j].Name })
	return res
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

// sortCandidates orders candidates newest first and drops repeated versions.
func sortCandidates(cands []Candidate) []Candidate {
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].Version.Compare(cands[j].Version) > 0 })
	return slices.CompactFunc(cands, func(a, b Candidate) bool { return a.Version.Equal(b.Version) })
}
