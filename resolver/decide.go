package resolver

import (
	"fmt"
	"slices"

	"github.com/pylock/pylock/pep440"
)

// decideNext picks the undecided package with the fewest candidate versions
// and either decides a version for it or records why none can be used. It
// returns the package to propagate from, and false when every package is
// decided.
func (s *solver) decideNext() (Package, bool, error) {
	p, ok, err := s.pickPackage()
	if err != nil || !ok {
		return Package{}, false, err
	}
	if p.IsRoot() {
		return p, true, s.tryDecide(p, rootVersion)
	}
	vl, err := s.prov.versions(s.ctx, p.Name)
	if err != nil {
		return Package{}, false, err
	}
	if vl.notFound {
		s.addNotFound(p, vl.where)
		return p, true, nil
	}
	acc := s.ps.acc[p]
	excluded := false
	for _, c := range s.ordered(p, vl.cands, acc.Range) {
		if reason, ok := s.unavailableReason(p, c); ok {
			s.addUnavailable(p, c.Version, reason)
			excluded = true
			continue
		}
		return p, true, s.tryDecide(p, c.Version)
	}
	if !excluded {
		s.ar.watch(&incompat{
			terms: []Term{{Package: p, Range: acc.Range, Positive: true}},
			cause: CauseNoVersions,
			only:  onlyVersions(vl.cands, acc.Range),
		})
	}
	return p, true, nil
}

// maxOnly is how many versions a "only these versions exist" fact may list.
const maxOnly = 4

// onlyVersions returns the versions the index has outside r when they are
// exactly r's complement (so "no version in r" can be said as "only these
// versions exist"), or nil.
func onlyVersions(cands []Candidate, r pep440.Range) []pep440.Version {
	comp := r.Complement()
	rest := pep440.Empty()
	var out []pep440.Version
	for _, c := range cands {
		if comp.Contains(c.Version) {
			out = append(out, c.Version)
			rest = rest.Union(pep440.Singleton(c.Version))
		}
	}
	if len(out) == 0 || len(out) > maxOnly || !rest.Equal(comp) {
		return nil
	}
	slices.Reverse(out)
	return out
}

// pickPackage returns the undecided package with a positive term to decide
// next: a prioritized one (see noteConflict) if any, else the one with the
// fewest versions in its range; ties go to the package seen first.
func (s *solver) pickPackage() (Package, bool, error) {
	var best Package
	bestCount, bestOrder, found := 0, 0, false
	bestBoost := -1
	for p, t := range s.ps.acc {
		if !t.Positive {
			continue
		}
		if _, done := s.ps.decisions[p]; done {
			continue
		}
		n, err := s.countVersions(p, t.Range)
		if err != nil {
			return Package{}, false, err
		}
		boost, ok := s.boosted[p]
		if !ok {
			boost = -1
		}
		order := s.ps.order[p]
		if !found || better(boost, n, order, bestBoost, bestCount, bestOrder) {
			best, bestCount, bestOrder, bestBoost, found = p, n, order, boost, true
		}
	}
	return best, found, nil
}

// better compares two packages' priorities: prioritized first (earliest
// first), then fewer versions, then seen earlier.
func better(boost, n, order, bBoost, bN, bOrder int) bool {
	switch {
	case (boost >= 0) != (bBoost >= 0):
		return boost >= 0
	case boost != bBoost:
		return boost < bBoost
	case n != bN:
		return n < bN
	}
	return order < bOrder
}

func (s *solver) countVersions(p Package, r pep440.Range) (int, error) {
	if p.IsRoot() {
		return 0, nil
	}
	if c, ok := s.counted[p]; ok && c.r.Same(r) {
		return c.n, nil
	}
	vl, err := s.prov.versions(s.ctx, p.Name)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range vl.cands {
		if r.Contains(c.Version) {
			n++
		}
	}
	s.counted[p] = rangeCount{r, n}
	return n, nil
}

// rangeCount is how many candidate versions a range holds. pickPackage
// counts them for every undecided package before each decision, while a
// package's range changes only when an assignment about it is made.
type rangeCount struct {
	r pep440.Range
	n int
}

// ordered returns the candidates in r in the order to try them: by the
// strategy, and final releases before pre-releases unless pre-releases are
// allowed like any other version. It points into cands: a Candidate is
// large, and a project can have a thousand in range of which the first is
// usually decided.
func (s *solver) ordered(p Package, cands []Candidate, r pep440.Range) []*Candidate {
	var finals, pres []*Candidate
	for i := range cands {
		c := &cands[i]
		if !r.Contains(c.Version) {
			continue
		}
		if c.Version.IsPrerelease() && s.opts.Prereleases != PrereleaseAllow {
			pres = append(pres, c)
		} else {
			finals = append(finals, c)
		}
	}
	if s.opts.Strategy == StrategyLowest || (s.opts.Strategy == StrategyLowestDirect && s.direct[p.Name]) {
		slices.Reverse(finals)
		slices.Reverse(pres)
	}
	return preferFirst(append(finals, pres...), s.opts.Preferences, p.Name)
}

// preferFirst moves the preferred version of the package, when it is among
// the candidates, to the front.
func preferFirst(cands []*Candidate, prefs map[string]pep440.Version, name string) []*Candidate {
	want, ok := prefs[name]
	if !ok {
		return cands
	}
	i := slices.IndexFunc(cands, func(c *Candidate) bool { return c.Version.Equal(want) })
	if i <= 0 {
		return cands
	}
	out := make([]*Candidate, 0, len(cands))
	out = append(out, cands[i])
	out = append(out, cands[:i]...)
	return append(out, cands[i+1:]...)
}

// unavailableReason says why a candidate cannot be used; ok is false when
// it can.
func (s *solver) unavailableReason(p Package, c *Candidate) (reason Unavailability, ok bool) {
	switch {
	case c.Unavailable != "":
		return Unavailability{Kind: UnavailableByProvider, Text: c.Unavailable, Hint: c.UnavailableHint}, true
	case !s.pythonFits(c.RequiresPython):
		return s.pythonReason(c.RequiresPython), true
	case c.Yanked && !s.pinned(p.Name, c.Version):
		return Unavailability{Kind: UnavailableYanked, Text: "yanked; a yanked version is used only when pinned with =="}, true
	case c.Version.IsPrerelease() && s.opts.Prereleases == PrereleaseDisallow:
		return Unavailability{Kind: UnavailablePrerelease, Text: "pre-releases are not allowed"}, true
	}
	return Unavailability{}, false
}

// pythonReason says why a Requires-Python rules a candidate out.
func (s *solver) pythonReason(rp pep440.SpecifierSet) Unavailability {
	if s.fork != nil {
		project := pythonText(s.fork.python)
		return Unavailability{Kind: UnavailableByPython, PythonSpec: rp.String(), PythonTarget: "your project supports Python " + project,
			Text: fmt.Sprintf("requires Python %s, but your project supports Python %s", rp, project)}
	}
	return Unavailability{Kind: UnavailableByPython, PythonSpec: rp.String(), PythonTarget: "the lock is for Python " + s.opts.Python.String(),
		Text: fmt.Sprintf("requires Python %s; the target is %s", rp, s.opts.Python)}
}

// pythonFits reports whether the target Python (in universal mode, the
// lowest Python of the fork) meets a Requires-Python's lower bound. Upper
// bounds are ignored, as uv does: they are too often wrong, and a package
// that caps Python is usually installable anyway.
func (s *solver) pythonFits(rp pep440.SpecifierSet) bool {
	if !s.checkPython || len(rp) == 0 {
		return true
	}
	return !rp.Range().Intersect(s.atMostPython).IsEmpty()
}

func (s *solver) pinned(name string, v pep440.Version) bool {
	for _, r := range s.pins[name] {
		if r.Contains(v) {
			return true
		}
	}
	return false
}

func (s *solver) addUnavailable(p Package, v pep440.Version, reason Unavailability) {
	key := p.String() + " " + v.String()
	if s.unavail[key] {
		return
	}
	s.unavail[key] = true
	s.ar.watch(&incompat{
		terms:  []Term{{Package: p, Range: pep440.Singleton(v), Positive: true}},
		cause:  CauseUnavailable,
		reason: reason,
	})
}

func (s *solver) addNotFound(p Package, where string) {
	if s.notFound[p] {
		return
	}
	s.notFound[p] = true
	s.ar.watch(&incompat{
		terms:  []Term{{Package: p, Range: pep440.Full(), Positive: true}},
		cause:  CauseUnavailable,
		reason: notFound(p.Name, where),
	})
}

// tryDecide adds the dependencies of p at v and decides it, unless one of
// them is already impossible (then propagation excludes v instead).
func (s *solver) tryDecide(p Package, v pep440.Version) error {
	ds, err := s.dependencies(p, v)
	if err != nil {
		return err
	}
	for _, ic := range ds.incompats {
		if s.blocked(ic, p) {
			s.noteConflict(p, ic)
			return nil
		}
	}
	s.ps.decide(p, v)
	return nil
}

// conflictThreshold is how many versions of a package may be rejected
// because of decided packages before it is decided ahead of them.
const conflictThreshold = 5

// noteConflict counts a version of p rejected by ic. At the threshold, p is
// prioritized and the solver backjumps to before the decision that rejects
// it, so that p is decided first (uv's heuristic; it keeps PubGrub from
// settling on a very old version of p to keep a newer version of another
// package).
func (s *solver) noteConflict(p Package, ic *incompat) {
	s.affected[p]++
	if s.affected[p] != conflictThreshold {
		return
	}
	s.boosted[p] = len(s.boosted)
	level := s.ps.level
	for _, t := range ic.terms {
		if t.Package == p {
			continue
		}
		if l, ok := s.ps.decisionLevel(t.Package); ok && l-1 < level {
			level = l - 1
		}
	}
	if level >= 1 && level < s.ps.level {
		s.ps.backtrack(level)
	}
}

// blocked reports whether every term of ic except the one about p is
// satisfied already, so deciding p would conflict at once.
func (s *solver) blocked(ic *incompat, p Package) bool {
	for _, t := range ic.terms {
		if t.Package == p {
			continue
		}
		acc, ok := s.ps.acc[t.Package]
		if !ok || t.relationTo(acc) != relSatisfied {
			return false
		}
	}
	return true
}
