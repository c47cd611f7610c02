package resolver

import (
	"context"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// solver holds the state of one resolution (in universal mode, of one fork).
type solver struct {
	ctx      context.Context
	prov     *cachedProvider
	opts     Options
	roots    []pep508.Requirement
	ar       *arena
	ps       *partial
	direct   map[string]bool
	pins     map[string][]pep440.Range // exact root pins, which may select yanked versions
	unavail  map[string]bool           // "pkg version" keys with an unavailable incompatibility
	deps     map[string]*depSet        // "pkg version" keys with their dependencies
	notFound map[Package]bool
	affected map[Package]int        // versions rejected by decided packages
	boosted  map[Package]int        // prioritized packages, in order
	counted  map[Package]rangeCount // countVersions' last answer per package
	// checkPython says whether candidates' Requires-Python is checked, and
	// atMostPython is every version up to the target (or lowest) Python.
	checkPython  bool
	atMostPython pep440.Range
	// fork is the universal fork being resolved; nil in single-environment
	// mode.
	fork *fork
}

// Resolve finds one version of every package the root requirements need,
// using PubGrub. In universal mode (Options.Universal) it resolves every
// fork of the environments the project allows and merges them. It returns a
// *NoSolutionError when there is none, a *ProviderError when the provider
// fails, or the context's error.
func Resolve(ctx context.Context, p Provider, roots []pep508.Requirement, opts Options) (*Resolution, error) {
	prov := newCachedProvider(p)
	prov.prefetchPreferred(ctx, opts.Preferences)
	if opts.Universal {
		return resolveUniversal(ctx, prov, roots, opts)
	}
	s := newSolver(ctx, prov, roots, opts, nil)
	if opts.Python != nil {
		s.checkPython, s.atMostPython = true, atMost(*opts.Python)
	}
	if err := s.run(); err != nil {
		return nil, err
	}
	return s.result(), nil
}

// newSolver prepares a resolution; f is the universal fork, or nil.
func newSolver(ctx context.Context, prov *cachedProvider, roots []pep508.Requirement, opts Options, f *fork) *solver {
	s := &solver{
		ctx: ctx, prov: prov, opts: opts, roots: roots, fork: f,
		ar: newArena(), ps: newPartial(),
		direct: map[string]bool{}, pins: map[string][]pep440.Range{},
		unavail: map[string]bool{}, deps: map[string]*depSet{}, notFound: map[Package]bool{},
		affected: map[Package]int{}, boosted: map[Package]int{}, counted: map[Package]rangeCount{},
	}
	s.collectRootFacts()
	return s
}

// run solves until every package is decided or no solution exists.
func (s *solver) run() error {
	s.ar.watch(rootIncompat())
	next := Package{}
	for {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		if err := s.propagate(next); err != nil {
			return err
		}
		p, more, err := s.decideNext()
		if err != nil || !more {
			return err
		}
		next = p
	}
}

// collectRootFacts records which packages the root requires directly and
// which versions it pins exactly (in universal mode, by the requirements
// that apply in the fork).
func (s *solver) collectRootFacts() {
	for _, r := range s.roots {
		if s.fork != nil && pep508.Disjoint(s.fork.marker, r.Marker) {
			continue
		}
		name := pep508.NormalizeName(r.Name)
		s.direct[name] = true
		for _, spec := range r.Specifier {
			if spec.Op != "==" && spec.Op != "===" {
				continue
			}
			one, err := pep440.ParseSpecifierSet(spec.Op + spec.Version)
			if err == nil {
				s.pins[name] = append(s.pins[name], one.Range())
			}
		}
	}
	for _, r := range s.opts.RootRanges {
		s.direct[pep508.NormalizeName(r.Name)] = true
	}
}

// atMost returns the versions at or below v.
func atMost(v pep440.Version) pep440.Range {
	set, err := pep440.ParseSpecifierSet("<=" + v.String())
	if err != nil {
		return pep440.Empty()
	}
	return set.Range()
}

// propagate runs unit propagation from a changed package, resolving any
// conflict it finds.
func (s *solver) propagate(start Package) error {
	changed := []Package{start}
	for len(changed) > 0 {
		p := changed[len(changed)-1]
		changed = changed[:len(changed)-1]
		ids := s.ar.byPkg[p]
		for i := len(ids) - 1; i >= 0; i-- {
			ic := s.ar.get(ids[i])
			rel, open := s.ps.relation(ic)
			if rel == relSatisfied {
				learned, err := s.resolveConflict(ic)
				if err != nil {
					return err
				}
				_, open = s.ps.relation(learned)
				t := learned.terms[open]
				s.ps.derive(t.negate(), learned.id)
				changed = []Package{t.Package}
				break
			}
			if open >= 0 {
				t := ic.terms[open]
				s.ps.derive(t.negate(), ic.id)
				changed = appendOnce(changed, t.Package)
			}
		}
	}
	return nil
}

func appendOnce(list []Package, p Package) []Package {
	for _, q := range list {
		if q == p {
			return list
		}
	}
	return append(list, p)
}

// resolveConflict derives, from an incompatibility the partial solution
// satisfies, one that it almost satisfies after backjumping; or fails with
// the derivation tree when the conflict reaches the root.
func (s *solver) resolveConflict(ic *incompat) (*incompat, error) {
	created := false
	for {
		if ic.isTerminal() {
			return nil, &NoSolutionError{Tree: buildTree(s.ar, ic.id)}
		}
		satIdx, satTerm, prevIdx := s.findSatisfiers(ic)
		sat := s.ps.assigns[satIdx]
		if j := s.ps.satisfier(satTerm, &sat.term, satIdx); j > prevIdx {
			prevIdx = j
		}
		prevLevel := 1
		if prevIdx >= 0 && s.ps.assigns[prevIdx].level > prevLevel {
			prevLevel = s.ps.assigns[prevIdx].level
		}
		if sat.isDecision() || prevLevel != sat.level {
			if created {
				s.ar.watchStored(ic)
			}
			s.ps.backtrack(prevLevel)
			return ic, nil
		}
		cause := s.ar.get(sat.cause)
		var terms []Term
		for _, t := range ic.terms {
			if t.Package != satTerm.Package {
				terms = append(terms, t)
			}
		}
		for _, t := range cause.terms {
			if t.Package != satTerm.Package {
				terms = append(terms, t)
			}
		}
		if satTerm.relationTo(sat.term) != relSatisfied {
			terms = append(terms, sat.term.difference(satTerm).negate())
		}
		derived := &incompat{terms: mergeTerms(terms), cause: CauseDerived, left: ic.id, right: cause.id}
		s.ar.store(derived)
		ic, created = derived, true
	}
}

// findSatisfiers returns the index of the assignment that completes the
// satisfaction of ic, the term it satisfies, and the latest index among the
// satisfiers of the other terms (-1 if none).
func (s *solver) findSatisfiers(ic *incompat) (int, Term, int) {
	satIdx, prevIdx := -1, -1
	var satTerm Term
	n := len(s.ps.assigns)
	for _, t := range ic.terms {
		i := s.ps.satisfier(t, nil, n)
		if i > satIdx {
			prevIdx = max(prevIdx, satIdx)
			satIdx, satTerm = i, t
		} else {
			prevIdx = max(prevIdx, i)
		}
	}
	return satIdx, satTerm, prevIdx
}
