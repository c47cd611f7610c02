package resolver

import "github.com/pylock/pylock/pep440"

// Cause says where an incompatibility comes from.
type Cause int

// The causes of an incompatibility.
const (
	// CauseRoot: the root project must be selected.
	CauseRoot Cause = iota
	// CauseNoVersions: the index has no version of the package in the range.
	CauseNoVersions
	// CauseUnavailable: versions exist but cannot be used (Reason says why:
	// an unknown package, Requires-Python, yanked, no usable distribution).
	CauseUnavailable
	// CauseDependency: one package version requires another package.
	CauseDependency
	// CauseDerived: learned by the solver from two other incompatibilities.
	CauseDerived
)

// incompat is a set of terms that must not all hold at once.
type incompat struct {
	id     int
	terms  []Term
	cause  Cause
	reason Unavailability   // CauseUnavailable
	only   []pep440.Version // CauseNoVersions: the versions outside the range, when few
	reqs   []string         // CauseDependency: the requirement strings as written
	left   int              // CauseDerived: ids of the two causes
	right  int
}

// isTerminal reports whether the incompatibility proves there is no solution:
// it has no terms, or only says the root cannot be selected.
func (ic *incompat) isTerminal() bool {
	switch len(ic.terms) {
	case 0:
		return true
	case 1:
		return ic.terms[0].Package.IsRoot() && ic.terms[0].Positive
	}
	return false
}

// arena owns every incompatibility of a resolution; they are referred to by
// id, and indexed by the packages they mention.
type arena struct {
	all   []*incompat
	byPkg map[Package][]int
}

func newArena() *arena { return &arena{byPkg: map[Package][]int{}} }

// store gives ic an id without using it for propagation (an intermediate
// step of conflict resolution, kept for the explanation).
func (a *arena) store(ic *incompat) {
	ic.id = len(a.all)
	a.all = append(a.all, ic)
}

// watch stores ic and uses it for propagation.
func (a *arena) watch(ic *incompat) {
	a.store(ic)
	a.watchStored(ic)
}

// watchStored uses an already stored ic for propagation.
func (a *arena) watchStored(ic *incompat) {
	for _, t := range ic.terms {
		a.byPkg[t.Package] = append(a.byPkg[t.Package], ic.id)
	}
}

func (a *arena) get(id int) *incompat { return a.all[id] }

// mergeTerms builds an incompatibility's term list, intersecting terms about
// the same package and dropping terms that always hold (a negative term with an
// empty range). Terms keep their first-appearance order.
func mergeTerms(terms []Term) []Term {
	var out []Term
	idx := map[Package]int{}
	for _, t := range terms {
		if i, ok := idx[t.Package]; ok {
			out[i] = out[i].intersect(t)
			continue
		}
		idx[t.Package] = len(out)
		out = append(out, t)
	}
	kept := out[:0]
	for _, t := range out {
		if !t.Positive && t.Range.IsEmpty() {
			continue
		}
		kept = append(kept, t)
	}
	return kept
}

func rootIncompat() *incompat {
	return &incompat{
		terms: []Term{{Package: Package{}, Range: pep440.Singleton(rootVersion), Positive: false}},
		cause: CauseRoot,
	}
}
