package resolver

import (
	"slices"
	"sort"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// mergeForks joins the forks' solutions: one entry per distinct (name,
// version), installed where some fork reaches it, with its extras and
// dependents from every fork. Entries no environment reaches are dropped.
func mergeForks(forks []*solver, python pep440.Range) *Resolution {
	merged := map[string]*ResolvedPackage{}
	var keys []string
	for _, s := range forks {
		reach := s.reach()
		for name, rp := range s.entries() {
			where, ok := reach[Package{Name: name}]
			if !ok {
				continue
			}
			key := name + " " + rp.Version.String()
			m := merged[key]
			if m == nil {
				cp := *rp
				cp.Marker = where
				merged[key] = &cp
				keys = append(keys, key)
				continue
			}
			m.Marker = pep508.Or(m.Marker, where)
			m.Extras = union(m.Extras, rp.Extras)
			for _, e := range rp.Dependents {
				m.Dependents = addEdge(m.Dependents, e)
			}
		}
	}
	res := &Resolution{}
	for _, key := range keys {
		rp := merged[key]
		if rp.Marker.IsFalse() {
			continue
		}
		rp.Marker = rp.Marker.SimplifyPython(python)
		sort.Slice(rp.Dependents, func(i, j int) bool { return edgeLess(rp.Dependents[i], rp.Dependents[j]) })
		res.Packages = append(res.Packages, *rp)
	}
	sortPackages(res.Packages)
	return res
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// reach computes, for every decided package node of the fork, where it is
// needed: the "or" over its incoming edges of the dependent's condition and
// the edge's marker, starting from the fork's marker at the root. An
// extra's node reaches its base package unconditionally. Nodes only reached
// under an empty condition are left out.
func (s *solver) reach() map[Package]pep508.Marker {
	nodes := s.decidedNodes()
	reach := map[Package]pep508.Marker{{}: s.fork.marker}
	for round := 0; round <= len(nodes); round++ {
		changed := false
		for _, p := range nodes {
			from, ok := reach[p]
			if !ok {
				continue
			}
			for _, e := range s.deps[p.String()+" "+s.ps.decisions[p].String()].edges {
				if _, decided := s.ps.decisions[e.target]; decided {
					changed = extendReach(reach, e.target, pep508.And(from, e.marker)) || changed
				}
			}
			if p.Extra != "" {
				changed = extendReach(reach, Package{Name: p.Name}, from) || changed
			}
		}
		if !changed {
			break
		}
	}
	for p, m := range reach {
		if m.IsFalse() {
			delete(reach, p)
		}
	}
	return reach
}

// decidedNodes lists the fork's decided packages, the root first, then by
// name and extra.
func (s *solver) decidedNodes() []Package {
	var nodes []Package
	for p := range s.ps.decisions {
		nodes = append(nodes, p)
	}
	sort.Slice(nodes, func(i, j int) bool {
		if nodes[i].Name != nodes[j].Name {
			return nodes[i].Name < nodes[j].Name
		}
		return nodes[i].Extra < nodes[j].Extra
	})
	return nodes
}

// extendReach adds m to where p is needed and reports whether that grew.
func extendReach(reach map[Package]pep508.Marker, p Package, m pep508.Marker) bool {
	cur, ok := reach[p]
	switch {
	case !ok:
		reach[p] = m
		return true
	case m.Implies(cur):
		return false
	}
	reach[p] = pep508.Or(cur, m).Simplify()
	return true
}
