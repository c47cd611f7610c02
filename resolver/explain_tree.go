package resolver

import (
	"slices"

	"github.com/pylock/pylock/pep440"
)

// factKind is what a node of the report tree states.
type factKind int

// The kinds of report nodes: the external facts, and derivations.
const (
	factRoot        factKind = iota // the project must be selected
	factNoVersions                  // the index has no version in a range
	factUnavailable                 // versions exist but cannot be used
	factNotFound                    // the index has no such package
	factDependency                  // versions of a package require another
	factConflicting                 // a version requires an empty range of another
	factDerived                     // follows from its two causes
)

// reportNode is one incompatibility of the report tree: the derivation tree
// after facts that say the same thing about one package have been merged
// (see collapse). Nodes stay shared where the derivation tree shares them.
type reportNode struct {
	kind   factKind
	terms  []Term
	reqs   []string       // factDependency, factConflicting: the requirements
	reason Unavailability // factUnavailable, factNotFound
	// only lists, for factNoVersions, every version the index has of the
	// package, when the solver recorded them.
	only   []pep440.Version
	causes [2]*reportNode
	// count is, for a dependency fact or a derivation made only of
	// dependencies of one package on another, how many versions' facts
	// it gathers.
	count int
	// summary marks a dependency fact gathered from versions whose
	// requirements differ: it states the union of their ranges.
	summary bool
}

// maxListed is how many versions' dependencies an explanation lists one by
// one before it states them as one fact about a range.
const maxListed = 2

// buildReport turns a derivation tree into a report tree.
func buildReport(tree *Node, k *versionKnowledge) *reportNode {
	memo := map[*Node]*reportNode{}
	var build func(n *Node) *reportNode
	build = func(n *Node) *reportNode {
		if r, ok := memo[n]; ok {
			return r
		}
		var r *reportNode
		if n.isDerived() && len(n.Causes) == 2 {
			r = collapse(n.Terms, build(n.Causes[0]), build(n.Causes[1]))
			if r.isDerived() {
				r = reassociate(r, k)
			}
		} else {
			r = externalFact(n)
		}
		memo[n] = r
		return r
	}
	return build(tree)
}

func externalFact(n *Node) *reportNode {
	r := &reportNode{terms: n.Terms, reqs: n.Requirements, reason: n.Reason, only: n.Only}
	switch {
	case n.Cause == CauseRoot:
		r.kind = factRoot
	case n.Cause == CauseNoVersions:
		r.kind = factNoVersions
	case n.Cause == CauseUnavailable && n.Reason.Kind == UnavailableNotFound:
		r.kind = factNotFound
	case n.Cause == CauseUnavailable:
		r.kind = factUnavailable
	case n.Cause == CauseDependency && len(n.Terms) == 2 && !n.Terms[1].Range.IsEmpty():
		r.kind, r.count = factDependency, 1
	case n.Cause == CauseDependency:
		r.kind = factConflicting
	default:
		r.kind = factDerived
	}
	return r
}

// collapse builds the report node for a derivation with the given terms
// from causes a and b. Where the causes are facts about the same package
// that the derivation only widens, the result is one fact:
//   - the root fact ("your project is required") adds nothing: the other
//     cause, which mentions the project, says the same;
//   - "there is no version of p in R" widens the other cause's range of
//     p by versions that do not exist (as pubgrub-rs's
//     collapse_no_versions, which leaves derived causes alone);
//   - two dependencies of versions of p on the same range of q, or two
//     versions of p unavailable for the same reason, are one fact about
//     both ranges of p;
//   - dependencies of more than maxListed versions of p on q, whatever
//     their ranges, are one summary fact: p R requires q S.
func collapse(terms []Term, a, b *reportNode) *reportNode {
	switch {
	case a.kind == factRoot:
		return b
	case b.kind == factRoot:
		return a
	}
	if b.kind == factNoVersions {
		a, b = b, a
	}
	if a.kind == factNoVersions {
		if m := widened(b, terms); m != nil {
			return m
		}
	}
	if a.kind == b.kind && sameFact(a, b) {
		if m := widened(a, terms); m != nil {
			if !slices.Equal(a.reqs, b.reqs) {
				m.reqs = nil // same range, spelled differently: name the range
			}
			m.count, m.summary = a.count+b.count, a.summary || b.summary
			return m
		}
	}
	d := &reportNode{kind: factDerived, terms: terms, causes: [2]*reportNode{a, b}}
	d.count = chainCount(terms, a, b)
	if d.count > maxListed {
		ordered := terms
		if !terms[0].Positive {
			ordered = []Term{terms[1], terms[0]}
		}
		return &reportNode{kind: factDependency, terms: ordered, count: d.count, summary: true}
	}
	return d
}

// chainCount returns, when terms say "p R requires q S" and both causes
// are dependencies of p on q (or such derivations, or "no versions of p"
// facts), how many versions' dependencies they gather; else 0.
func chainCount(terms []Term, a, b *reportNode) int {
	if len(terms) != 2 || terms[0].Positive == terms[1].Positive {
		return 0
	}
	from, to := terms[0].Package, terms[1].Package
	if !terms[0].Positive {
		from, to = to, from
	}
	if from.IsRoot() {
		return 0
	}
	n := 0
	for _, c := range []*reportNode{a, b} {
		switch {
		case c.kind == factNoVersions && c.terms[0].Package == from:
		case (c.kind == factDependency || c.kind == factDerived) && c.count > 0 && len(c.terms) == 2 &&
			hasTermOn(c.terms, from, true) && hasTermOn(c.terms, to, false):
			n += c.count
		default:
			return 0
		}
	}
	return n
}

// widened returns node f restated over terms, when terms mention the same
// packages with the same signs as f's (but for a term that always holds,
// which the solver drops); else nil. For a derived f, the restated node
// keeps f's causes: terms differ from f's only by versions that do not
// exist, so they read the same.
func widened(f *reportNode, terms []Term) *reportNode {
	kept := 0
	for _, t := range f.terms {
		if !t.Positive && t.Range.IsEmpty() {
			continue
		}
		if !hasTermOn(terms, t.Package, t.Positive) {
			return nil
		}
		kept++
	}
	if kept != len(terms) {
		return nil
	}
	m := *f
	m.terms = reorderLike(terms, f.terms)
	if f.kind == factNoVersions && !m.terms[0].Range.Equal(f.terms[0].Range) {
		m.only = nil
	}
	if f.kind == factDependency && len(m.terms) < 2 {
		m.kind = factConflicting
	}
	return &m
}

func hasTermOn(terms []Term, p Package, positive bool) bool {
	for _, t := range terms {
		if t.Package == p && t.Positive == positive {
			return true
		}
	}
	return false
}

// reorderLike returns terms in the order of the packages of like.
func reorderLike(terms, like []Term) []Term {
	out := make([]Term, 0, len(terms))
	for _, l := range like {
		for _, t := range terms {
			if t.Package == l.Package {
				out = append(out, t)
			}
		}
	}
	return out
}

// sameFact reports whether two external facts of one kind say the same
// thing about (possibly different) versions of one package: the same
// dependency range, or the same reason for being unavailable.
func sameFact(a, b *reportNode) bool {
	switch a.kind {
	case factDependency:
		return a.terms[0].Package == b.terms[0].Package && a.terms[1].Package == b.terms[1].Package &&
			a.terms[1].Range.Equal(b.terms[1].Range)
	case factUnavailable:
		return a.terms[0].Package == b.terms[0].Package && a.reason == b.reason
	case factNoVersions:
		return a.terms[0].Package == b.terms[0].Package
	case factConflicting:
		return a.terms[0].Package == b.terms[0].Package && slices.Equal(a.reqs, b.reqs)
	}
	return false
}

// isDerived reports whether the report node follows from two others (a
// malformed derived node without causes reads as a fact).
func (r *reportNode) isDerived() bool { return r.kind == factDerived && r.causes[0] != nil }

// reassociate rewrites "your project requires p, which depends on q S, so
// your project requires q S; and it requires q S', which no version of q
// in S satisfies" into the order a person tells it: "every version of p
// depends on q S and your project requires q S', so p cannot be used; and
// your project requires p". Both derivations are resolution steps over
// the same three facts; n is returned unchanged unless the sets line up
// exactly (modulo versions that do not exist).
func reassociate(n *reportNode, k *versionKnowledge) *reportNode {
	x, e := n.causes[0], n.causes[1]
	if !x.isDerived() {
		x, e = e, x
	}
	if !x.isDerived() || !isRootDependency(e) || hasNonRootTerm(n.terms) {
		return n
	}
	a, b := x.causes[0], x.causes[1]
	if !isRootDependency(a) {
		a, b = b, a
	}
	if !isRootDependency(a) || b.kind != factDependency || b.terms[0].Package.IsRoot() {
		return n
	}
	p, q := a.terms[1].Package, e.terms[1].Package
	if b.terms[0].Package != p || b.terms[1].Package != q || p == q {
		return n
	}
	conflict := b.terms[1].Range.Intersect(e.terms[1].Range).SubsetOf(k.absent[q.Name])
	covered := a.terms[1].Range.Difference(b.terms[0].Range).SubsetOf(k.absent[p.Name])
	if !conflict || !covered {
		return n
	}
	unusable := &reportNode{kind: factDerived, terms: []Term{a.terms[0], b.terms[0]}, causes: [2]*reportNode{b, e}}
	return &reportNode{kind: factDerived, terms: n.terms, causes: [2]*reportNode{unusable, a}}
}

func isRootDependency(n *reportNode) bool {
	return n.kind == factDependency && n.terms[0].Package.IsRoot()
}

func hasNonRootTerm(terms []Term) bool {
	for _, t := range terms {
		if !t.Package.IsRoot() {
			return true
		}
	}
	return false
}
