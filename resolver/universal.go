package resolver

import (
	"context"
	"errors"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// maxForks bounds how many forks one universal resolution may create;
// past it, requirements on one package under different markers are
// intersected as in single-environment mode.
const maxForks = 64

// fork is one part of a universal resolution: the environments it covers
// and their Python versions.
type fork struct {
	marker pep508.Marker
	python pep440.Range // the Python versions marker allows
	split  bool         // whether this fork may split further
	sub    bool         // whether this fork came from splitting the start
}

// forkSignal stops a fork's solver when a package's requirements call for
// separate forks (see forkNeeded); markers are what to split the fork by.
type forkSignal struct {
	markers []pep508.Marker
}

func (f *forkSignal) Error() string { return "resolver: the resolution forks" }

// resolveUniversal resolves every fork of the environments the project
// allows, splitting a fork where requirements diverge by marker, and merges
// the forks' solutions.
func resolveUniversal(ctx context.Context, prov *cachedProvider, roots []pep508.Requirement, opts Options) (*Resolution, error) {
	start := startMarker(opts)
	if start.IsFalse() {
		return &Resolution{}, nil
	}
	pending := []*fork{{marker: start, python: start.PythonRange()}}
	var done []*solver
	for n := 1; len(pending) > 0; {
		f := pending[0]
		pending = pending[1:]
		f.split = n < maxForks
		s, err := solveFork(ctx, prov, roots, opts, f)
		var sig *forkSignal
		switch {
		case errors.As(err, &sig):
			parts := splitFork(f.marker, sig.markers)
			n += len(parts) - 1
			pending = append(parts, pending...)
			continue
		case err != nil:
			return nil, forkError(err, f, projectPython(opts))
		}
		done = append(done, s)
	}
	return mergeForks(done, projectPython(opts)), nil
}

// projectPython is the project's Python versions; an empty range (none
// given) means every version.
func projectPython(opts Options) pep440.Range {
	if opts.RequiresPython.IsEmpty() {
		return pep440.Full()
	}
	return opts.RequiresPython
}

// startMarker is where a universal resolution applies: the project's
// Python versions and, when given, one of its environments.
func startMarker(opts Options) pep508.Marker {
	m := pep508.PythonMarker(projectPython(opts))
	if len(opts.Environments) == 0 {
		return m
	}
	envs := pep508.False()
	for _, e := range opts.Environments {
		envs = pep508.Or(envs, e)
	}
	return pep508.And(m, envs)
}

// solveFork runs PubGrub for one fork.
func solveFork(ctx context.Context, prov *cachedProvider, roots []pep508.Requirement, opts Options, f *fork) (*solver, error) {
	s := newSolver(ctx, prov, roots, opts, f)
	if low, ok := pythonFloor(f.python); ok {
		s.checkPython, s.atMostPython = true, atMost(low)
	}
	return s, s.run()
}

// forkError names the fork in a failure of one of several forks, leaving
// out what the project's Python versions imply.
func forkError(err error, f *fork, python pep440.Range) error {
	var ns *NoSolutionError
	if f.sub && errors.As(err, &ns) {
		ns.Fork = f.marker.SimplifyPython(python)
	}
	return err
}

// splitFork partitions a fork's marker by each of the given markers,
// keeping the parts that are not empty.
func splitFork(parent pep508.Marker, by []pep508.Marker) []*fork {
	parts := []pep508.Marker{parent}
	for _, m := range by {
		var next []pep508.Marker
		for _, p := range parts {
			for _, q := range []pep508.Marker{pep508.And(p, m), pep508.And(p, pep508.Not(m))} {
				if !q.IsFalse() {
					next = append(next, q.Simplify())
				}
			}
		}
		parts = next
	}
	out := make([]*fork, len(parts))
	for i, p := range parts {
		out[i] = &fork{marker: p, python: p.PythonRange(), sub: true}
	}
	return out
}

// forkEdges lists the requirements that apply somewhere in the fork, each
// edge carrying the condition (without "extra") under which it applies.
func (s *solver) forkEdges(p Package, reqs []pep508.Requirement) []depEdge {
	var edges []depEdge
	for _, r := range reqs {
		cond, ok := s.fork.condition(p.Extra, r.Marker)
		if !ok {
			continue
		}
		for _, e := range targets(r) {
			e.marker = cond
			edges = append(edges, e)
		}
	}
	return edges
}

// condition is where a requirement of a package (or of one of its extras)
// applies, and whether that meets the fork. An extra's requirement applies
// where it holds with the extra set and does not hold without it (there
// the base package has it).
func (f *fork) condition(extra string, m pep508.Marker) (pep508.Marker, bool) {
	if m.IsTrue() {
		return m, extra == ""
	}
	cond := withExtra(m, "")
	if extra != "" {
		cond = pep508.And(withExtra(m, extra), pep508.Not(cond))
	}
	if pep508.Disjoint(f.marker, cond) {
		return pep508.Marker{}, false
	}
	return cond, true
}

// forkNeeded returns the markers to split the fork by: those of the edges
// that name one package more than once with different ranges under markers
// that differ within the fork, and (as uv does) the marker of a lone edge
// that raises the lowest Python, so that versions needing that Python may
// be chosen where the edge applies. It is nil when no split is needed.
func (f *fork) forkNeeded(edges []depEdge) []pep508.Marker {
	if !f.split {
		return nil
	}
	var out []pep508.Marker
	for _, group := range groupByTarget(edges) {
		if len(group) == 1 && f.raisesPython(group[0].marker) {
			out = appendMarker(out, group[0].marker)
		}
		if len(group) < 2 || sameRanges(group) || !f.markersDiffer(group) {
			continue
		}
		for _, e := range group {
			if !f.marker.Implies(e.marker) {
				out = appendMarker(out, e.marker)
			}
		}
	}
	return out
}

// raisesPython reports whether, within the fork, m holds only from a
// higher lowest Python than the fork's.
func (f *fork) raisesPython(m pep508.Marker) bool {
	if m.IsTrue() {
		return false
	}
	r := pep508.And(f.marker, m).PythonRange()
	if r.Equal(f.python) {
		return false
	}
	low, ok := pythonFloor(r)
	if !ok {
		return false
	}
	cur, bounded := pythonFloor(f.python)
	return !bounded || low.Compare(cur) > 0
}

// markersDiffer reports whether the edges' markers, within the fork, are
// not all the same.
func (f *fork) markersDiffer(group []depEdge) bool {
	first := pep508.And(f.marker, group[0].marker)
	for _, e := range group[1:] {
		if !pep508.And(f.marker, e.marker).Equivalent(first) {
			return true
		}
	}
	return false
}

func appendMarker(list []pep508.Marker, m pep508.Marker) []pep508.Marker {
	for _, x := range list {
		if x.Equivalent(m) {
			return list
		}
	}
	return append(list, m)
}

// groupByTarget groups edges by target, in order of first appearance.
func groupByTarget(edges []depEdge) [][]depEdge {
	idx := map[Package]int{}
	var out [][]depEdge
	for _, e := range edges {
		i, ok := idx[e.target]
		if !ok {
			i = len(out)
			idx[e.target] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], e)
	}
	return out
}

func sameRanges(group []depEdge) bool {
	for _, e := range group[1:] {
		if !e.rng.Equal(group[0].rng) {
			return false
		}
	}
	return true
}
