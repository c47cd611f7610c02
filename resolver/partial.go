package resolver

import (
	"github.com/pylock/pylock/pep440"
)

// assignment is one entry of the partial solution: a decision (cause -1,
// term is a single version) or a derivation caused by an incompatibility.
type assignment struct {
	term    Term
	level   int
	cause   int
	version pep440.Version // decisions only
}

func (a assignment) isDecision() bool { return a.cause < 0 }

// partial is the partial solution: the ordered assignments, the decision
// level, and per package the intersection of its assignments.
type partial struct {
	assigns   []assignment
	level     int
	acc       map[Package]Term
	decisions map[Package]pep440.Version
	order     map[Package]int // when a package first got a positive term
	nextOrder int
	// contradicted remembers incompatibilities known to be contradicted,
	// with the decision level at which that became true.
	contradicted map[int]int
}

func newPartial() *partial {
	return &partial{
		acc: map[Package]Term{}, decisions: map[Package]pep440.Version{},
		order: map[Package]int{}, contradicted: map[int]int{},
	}
}

func (ps *partial) push(a assignment) {
	ps.assigns = append(ps.assigns, a)
	p := a.term.Package
	if cur, ok := ps.acc[p]; ok {
		ps.acc[p] = cur.intersect(a.term)
	} else {
		ps.acc[p] = a.term
	}
	if _, seen := ps.order[p]; !seen && ps.acc[p].Positive {
		ps.order[p] = ps.nextOrder
		ps.nextOrder++
	}
}

// decide records that p is selected at version v, opening a decision level.
func (ps *partial) decide(p Package, v pep440.Version) {
	ps.level++
	ps.decisions[p] = v
	ps.push(assignment{term: Term{Package: p, Range: pep440.Singleton(v), Positive: true}, level: ps.level, cause: -1, version: v})
}

// derive records a term implied by incompatibility cause.
func (ps *partial) derive(t Term, cause int) {
	ps.push(assignment{term: t, level: ps.level, cause: cause})
}

// backtrack removes every assignment above the given decision level.
func (ps *partial) backtrack(level int) {
	keep := 0
	for keep < len(ps.assigns) && ps.assigns[keep].level <= level {
		keep++
	}
	ps.assigns = ps.assigns[:keep]
	ps.level = level
	for id, l := range ps.contradicted {
		if l > level {
			delete(ps.contradicted, id)
		}
	}
	ps.acc = map[Package]Term{}
	ps.decisions = map[Package]pep440.Version{}
	for _, a := range ps.assigns {
		p := a.term.Package
		if cur, ok := ps.acc[p]; ok {
			ps.acc[p] = cur.intersect(a.term)
		} else {
			ps.acc[p] = a.term
		}
		if a.isDecision() {
			ps.decisions[p] = a.version
		}
	}
}

// relation tells how the partial solution relates to an incompatibility:
// satisfied, contradicted, or inconclusive; for an almost satisfied one (all
// terms satisfied but one, which is inconclusive) it returns that term's index.
func (ps *partial) relation(ic *incompat) (relation, int) {
	if _, ok := ps.contradicted[ic.id]; ok {
		return relContradicted, -1
	}
	open := -1
	for i, t := range ic.terms {
		acc, ok := ps.acc[t.Package]
		if !ok {
			if open >= 0 {
				return relInconclusive, -1
			}
			open = i
			continue
		}
		switch t.relationTo(acc) {
		case relContradicted:
			ps.contradicted[ic.id] = ps.level
			return relContradicted, -1
		case relInconclusive:
			if open >= 0 {
				return relInconclusive, -1
			}
			open = i
		}
	}
	if open < 0 {
		return relSatisfied, -1
	}
	return relInconclusive, open
}

// satisfier finds the earliest assignment index at which the assignments up
// to it, starting from the accumulator start, satisfy t. It returns -1 when
// none does.
func (ps *partial) satisfier(t Term, start *Term, limit int) int {
	var acc Term
	have := start != nil
	if have {
		acc = *start
		if t.relationTo(acc) == relSatisfied {
			return -1
		}
	}
	for i := 0; i < limit; i++ {
		a := ps.assigns[i]
		if a.term.Package != t.Package {
			continue
		}
		if have {
			acc = acc.intersect(a.term)
		} else {
			acc, have = a.term, true
		}
		if t.relationTo(acc) == relSatisfied {
			return i
		}
	}
	return -1
}

// decisionLevel returns the level at which p was decided.
func (ps *partial) decisionLevel(p Package) (int, bool) {
	if _, ok := ps.decisions[p]; !ok {
		return 0, false
	}
	for _, a := range ps.assigns {
		if a.isDecision() && a.term.Package == p {
			return a.level, true
		}
	}
	return 0, false
}
