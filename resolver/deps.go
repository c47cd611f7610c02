package resolver

import (
	"maps"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// depEdge is one active requirement of a package version, and the package
// node it points to.
type depEdge struct {
	target Package
	req    pep508.Requirement
	rng    pep440.Range // the versions the requirement allows
	// marker, in universal mode, is where the requirement applies (its
	// marker with "extra" resolved); zero in single-environment mode.
	marker pep508.Marker
}

// depSet is what one package version depends on.
type depSet struct {
	incompats []*incompat
	edges     []depEdge
}

// dependencies returns (once per package version) the dependency
// incompatibilities of p at v, watching them for propagation.
func (s *solver) dependencies(p Package, v pep440.Version) (*depSet, error) {
	key := p.String() + " " + v.String()
	if ds, ok := s.deps[key]; ok {
		return ds, nil
	}
	edges, err := s.activeEdges(p, v)
	if err != nil {
		return nil, err
	}
	if s.fork != nil {
		if by := s.fork.forkNeeded(edges); len(by) > 0 {
			return nil, &forkSignal{markers: by}
		}
	}
	ds := &depSet{edges: edges}
	s.prov.prefetch(s.ctx, s.wants(edges))
	self := Term{Package: p, Range: pep440.Singleton(v), Positive: true}
	if p.Extra != "" {
		base := Package{Name: p.Name}
		ds.incompats = append(ds.incompats, &incompat{
			terms: []Term{self, {Package: base, Range: pep440.Singleton(v)}},
			cause: CauseDependency,
			reqs:  []string{p.Name + "==" + v.String()},
		})
	}
	ds.incompats = append(ds.incompats, s.groupEdges(self, v, edges)...)
	for _, ic := range ds.incompats {
		s.ar.watch(ic)
	}
	s.deps[key] = ds
	return ds, nil
}

// wants are the packages edges point to, for Prefetch.
func (s *solver) wants(edges []depEdge) []Want {
	out := make([]Want, 0, len(edges))
	for _, e := range edges {
		w := Want{Name: e.target.Name, Range: e.rng}
		if v, ok := s.opts.Preferences[w.Name]; ok {
			w.Prefer = &v
		}
		out = append(out, w)
	}
	return out
}

// groupEdges turns edges into one incompatibility per target package (the
// intersection of every requirement on it).
func (s *solver) groupEdges(self Term, v pep440.Version, edges []depEdge) []*incompat {
	var out []*incompat
	byTarget := map[Package]*incompat{}
	for _, e := range edges {
		r := e.rng
		if ic, ok := byTarget[e.target]; ok {
			ic.terms[1].Range = ic.terms[1].Range.Intersect(r)
			ic.reqs = append(ic.reqs, requirementText(e.req))
			continue
		}
		if e.target == self.Package {
			if !r.Contains(v) {
				out = append(out, &incompat{
					terms:  []Term{self},
					cause:  CauseUnavailable,
					reason: Unavailability{Kind: UnavailableSelfDependency, Text: "depends on itself as " + e.req.String()},
				})
			}
			continue
		}
		ic := &incompat{
			terms: []Term{self, {Package: e.target, Range: r}},
			cause: CauseDependency,
			reqs:  []string{requirementText(e.req)},
		}
		byTarget[e.target] = ic
		out = append(out, ic)
	}
	return out
}

// requirementText is a requirement without its marker, for messages.
func requirementText(r pep508.Requirement) string {
	r.Marker = pep508.Marker{}
	return r.String()
}

// activeEdges lists the requirements of p at v whose markers hold in the
// target environment (in universal mode, somewhere in the fork), one edge
// per (requirement, extra) target.
func (s *solver) activeEdges(p Package, v pep440.Version) ([]depEdge, error) {
	var reqs []pep508.Requirement
	if p.IsRoot() {
		reqs = s.roots
	} else {
		r, err := s.prov.requirements(s.ctx, p.Name, v)
		if err != nil {
			return nil, err
		}
		reqs = r
	}
	if s.fork != nil {
		edges := s.forkEdges(p, reqs)
		if p.IsRoot() {
			edges = append(edges, s.rootRangeEdges()...)
		}
		return edges, nil
	}
	withExtra := s.env(p.Extra)
	without := s.env("")
	var edges []depEdge
	for _, r := range reqs {
		if !r.Marker.Evaluate(withExtra) {
			continue
		}
		if p.Extra != "" && r.Marker.Evaluate(without) {
			continue // a base requirement: the base package has it
		}
		edges = append(edges, targets(r)...)
	}
	if p.IsRoot() {
		edges = append(edges, s.rootRangeEdges()...)
	}
	return edges, nil
}

// targets returns the package nodes a requirement points to: the project,
// or one virtual package per extra.
func targets(r pep508.Requirement) []depEdge {
	return targetsIn(r, r.Specifier.Range())
}

func targetsIn(r pep508.Requirement, rng pep440.Range) []depEdge {
	name := pep508.NormalizeName(r.Name)
	if len(r.Extras) == 0 {
		return []depEdge{{target: Package{Name: name}, req: r, rng: rng}}
	}
	out := make([]depEdge, 0, len(r.Extras))
	for _, e := range r.Extras {
		out = append(out, depEdge{target: Package{Name: name, Extra: pep508.NormalizeName(e)}, req: r, rng: rng})
	}
	return out
}

// rootRangeEdges turns Options.RootRanges into edges whose requirement
// carries no specifier but whose range is the given one; a range whose
// marker does not hold (in universal mode, meets no environment of the fork)
// gives none.
func (s *solver) rootRangeEdges() []depEdge {
	var edges []depEdge
	for _, rr := range s.opts.RootRanges {
		req := pep508.Requirement{Name: rr.Name, Extras: rr.Extras, Marker: rr.Marker}
		if s.fork == nil {
			if rr.Marker.Evaluate(s.env("")) {
				edges = append(edges, targetsIn(req, rr.Range)...)
			}
			continue
		}
		cond, ok := s.fork.condition("", rr.Marker)
		if !ok {
			continue
		}
		for _, e := range targetsIn(req, rr.Range) {
			e.marker = cond
			edges = append(edges, e)
		}
	}
	return edges
}

// env returns the target environment with "extra" set.
func (s *solver) env(extra string) pep508.Environment {
	env := s.opts.Environment
	env.Vars = maps.Clone(env.Vars)
	if env.Vars == nil {
		env.Vars = map[string]string{}
	}
	env.Vars["extra"] = extra
	return env
}
