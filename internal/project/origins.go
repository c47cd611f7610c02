package project

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pyproject"
	"github.com/pylock/pylock/resolver"
)

// An origin is one reason to install packages: the project's dependencies,
// one of its extras, or one of its dependency groups. Each locked package
// gets the PEP 751 marker of the origins that need it.
type origin struct {
	marker string        // "" for the dependencies, else "'x' in extras" or "'g' in dependency_groups"
	cond   pep508.Marker // marker, parsed
	deps   []pyproject.Dependency
}

// originsOf lists the project's origins: dependencies first, then extras and
// groups in name order.
func originsOf(proj *pyproject.Project) ([]origin, error) {
	origins := []origin{{deps: proj.Dependencies}}
	add := func(marker string, deps []pyproject.Dependency) error {
		cond, err := pep508.ParseMarker(marker)
		origins = append(origins, origin{marker: marker, cond: cond, deps: deps})
		return err
	}
	for _, x := range proj.Extras {
		if err := add(fmt.Sprintf("'%s' in extras", x.Name), x.Dependencies); err != nil {
			return nil, err
		}
	}
	for _, g := range proj.Groups {
		if err := add(fmt.Sprintf("'%s' in dependency_groups", g.Name), g.Dependencies); err != nil {
			return nil, err
		}
	}
	return origins, nil
}

// rootRequirements turns every origin's dependencies into the resolver's root
// requirements: PEP 508 requirements, and explicit ranges for the Poetry
// unions no specifier set can spell. For a universal lock each requirement
// of an extra or group also carries the origin's marker ('x' in extras), so
// the markers the resolver computes say which extras and groups need a
// package.
func rootRequirements(origins []origin, universal bool) ([]pep508.Requirement, []resolver.RootRange) {
	var reqs []pep508.Requirement
	var ranges []resolver.RootRange
	for _, o := range origins {
		for _, d := range o.deps {
			r := d.Requirement
			if universal && o.marker != "" {
				r.Marker = pep508.And(r.Marker, o.cond)
			}
			if !d.Union.IsUnion() {
				reqs = append(reqs, r)
				continue
			}
			ranges = append(ranges, resolver.RootRange{Name: r.Name, Extras: r.Extras, Range: d.Range(), Marker: r.Marker})
		}
	}
	return reqs, ranges
}

// packageMarkers computes, for every resolved package, the marker under which
// an installer needs it: "" when the project's dependencies need it, else the
// "or" of the extras and groups that do. A package's extras count only along
// the edges that activated them for that origin.
func packageMarkers(res *resolver.Resolution, origins []origin, env pep508.Environment) map[string]string {
	next := forwardEdges(res)
	needs := map[string][]string{}
	for _, o := range origins {
		for name := range reach(o, next, env) {
			needs[name] = append(needs[name], o.marker)
		}
	}
	markers := map[string]string{}
	for name, ms := range needs {
		markers[name] = joinMarkers(ms)
	}
	return markers
}

// joinMarkers is the "or" of an origin's markers; "" (always) absorbs the rest.
func joinMarkers(ms []string) string {
	for _, m := range ms {
		if m == "" {
			return ""
		}
	}
	sort.Strings(ms)
	return strings.Join(ms, " or ")
}

// node names a package, or one of its extras, in the resolved graph.
func node(name, extra string) string {
	if extra == "" {
		return name
	}
	return name + "[" + extra + "]"
}

// forwardEdges maps each node to the requirements it made on other packages.
func forwardEdges(res *resolver.Resolution) map[string][]resolver.Edge {
	next := map[string][]resolver.Edge{}
	for _, pkg := range res.Packages {
		for _, e := range pkg.Dependents {
			if e.From == "" {
				continue
			}
			from := node(e.From, e.FromExtra)
			next[from] = append(next[from], e)
		}
	}
	return next
}

// reach returns the names of the packages an origin needs: its requirements
// whose markers hold in env, and everything they lead to.
func reach(o origin, next map[string][]resolver.Edge, env pep508.Environment) map[string]bool {
	names := map[string]bool{}
	seen := map[string]bool{}
	var queue []string
	visit := func(r pep508.Requirement) {
		name := r.NormalizedName()
		names[name] = true
		for _, n := range append([]string{name}, extraNodes(name, r.Extras)...) {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	for _, d := range o.deps {
		if d.Requirement.Marker.Evaluate(env) {
			visit(d.Requirement)
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, e := range next[n] {
			visit(e.Requirement)
		}
	}
	return names
}

func extraNodes(name string, extras []string) []string {
	nodes := make([]string, 0, len(extras))
	for _, x := range extras {
		nodes = append(nodes, node(name, pep508.NormalizeName(x)))
	}
	return nodes
}
