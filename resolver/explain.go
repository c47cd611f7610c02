package resolver

import (
	"fmt"
	"strings"
)

// Explain turns a derivation tree into plain sentences, one per line, as
// dart pub's and pubgrub-rs's reporters do. Facts about one package that
// the solver learned version by version are first merged into ranges
// ("every version of foo depends on bar>=2"), and ranges are written with
// the versions the tree knows to exist. Each line then derives one fact
// from two earlier ones; a line whose conclusion is used again later ends
// with a number, "(1)", by which it is referred to; a blank line starts an
// independent chain of reasoning; the last line concludes that no lock can
// be made. Final "hint:" lines name what the user can change.
func Explain(tree *Node) string {
	if tree == nil {
		return "The requirements are unsatisfiable, so " + noLock + "."
	}
	k := newVersionKnowledge(tree)
	x := &explainer{
		w:       &wording{k: k},
		refs:    map[*reportNode]int{},
		numbers: map[*reportNode]int{},
	}
	top := buildReport(tree, k)
	x.countRefs(top)
	if top.isDerived() {
		x.visit(top)
	} else {
		x.lines = append(x.lines, "Because "+x.w.fact(top)+", "+noLock+".")
	}
	return strings.Join(append(x.lines, x.w.hints(top)...), "\n")
}

// explainer writes the lines of an explanation.
type explainer struct {
	w       *wording
	lines   []string
	refs    map[*reportNode]int // how many derivations use a node
	numbers map[*reportNode]int // line numbers of explained nodes
}

func (x *explainer) countRefs(n *reportNode) {
	if !n.isDerived() {
		return
	}
	for _, c := range n.causes {
		x.refs[c]++
		if x.refs[c] == 1 {
			x.countRefs(c)
		}
	}
}

// write adds the line concluding n, numbered when n is used again later.
func (x *explainer) write(n *reportNode, format string, args ...any) {
	x.lines = append(x.lines, fmt.Sprintf(format, args...))
	if x.refs[n] > 1 {
		x.number(n)
	}
}

// number gives the last line, which concludes n, a number.
func (x *explainer) number(n *reportNode) int {
	if num, ok := x.numbers[n]; ok {
		return num
	}
	num := len(x.numbers) + 1
	x.numbers[n] = num
	x.lines[len(x.lines)-1] += fmt.Sprintf(" (%d)", num)
	return num
}

// ref names an explained node by its conclusion and line number.
func (x *explainer) ref(n *reportNode) string {
	return fmt.Sprintf("%s (%d)", x.w.conclusion(n.terms), x.numbers[n])
}

func (x *explainer) numbered(n *reportNode) bool {
	_, ok := x.numbers[n]
	return ok
}

// visit explains a derived node after explaining what it needs.
func (x *explainer) visit(n *reportNode) {
	a, b := n.causes[0], n.causes[1]
	concl := x.w.conclusion(n.terms)
	switch {
	case a.isDerived() && b.isDerived():
		x.visitTwoDerived(n, a, b, concl)
	case a.isDerived():
		x.visitOneDerived(n, a, b, concl)
	case b.isDerived():
		x.visitOneDerived(n, b, a, concl)
	default:
		x.write(n, "Because %s, %s.", x.w.pair(a, b), concl)
	}
}

func (x *explainer) visitTwoDerived(n, a, b *reportNode, concl string) {
	switch {
	case x.numbered(a) && x.numbered(b):
		x.write(n, "Because %s and %s, %s.", x.ref(a), x.ref(b), concl)
	case x.numbered(a) || x.numbered(b):
		done, other := a, b
		if !x.numbered(a) {
			done, other = b, a
		}
		x.visit(other)
		x.write(n, "And because %s, %s.", x.ref(done), concl)
	default:
		x.visitUnnumbered(n, a, b, concl)
	}
}

// visitUnnumbered explains a node whose two derived causes have no line
// yet (dart pub's rules 1.iii): when one follows from two facts, it is
// explained right after the other and the conclusion follows "thus";
// otherwise the first gets a number and a blank line starts the second.
func (x *explainer) visitUnnumbered(n, a, b *reportNode, concl string) {
	simple, rest, isSimple := simpleCause(a, b)
	if !isSimple {
		simple, rest = b, a
	}
	x.visit(rest)
	switch {
	case x.numbered(simple):
		// Explained (and numbered, being shared) within rest.
		x.write(n, "And because %s, %s.", x.ref(simple), concl)
	case isSimple:
		x.visit(simple)
		x.write(n, "Thus, %s.", concl)
	default:
		x.number(rest)
		x.lines = append(x.lines, "")
		x.visit(simple)
		x.write(n, "And because %s, %s.", x.ref(rest), concl)
	}
}

// simpleCause returns, of two derived nodes, one that follows from two
// external facts (it takes one line, so the other need not be numbered).
func simpleCause(a, b *reportNode) (simple, rest *reportNode, ok bool) {
	switch {
	case followsFromFacts(a):
		return a, b, true
	case followsFromFacts(b):
		return b, a, true
	}
	return nil, nil, false
}

func followsFromFacts(n *reportNode) bool {
	return !n.causes[0].isDerived() && !n.causes[1].isDerived()
}

func (x *explainer) visitOneDerived(n, d, e *reportNode, concl string) {
	if x.numbered(d) {
		x.write(n, "Because %s and %s, %s.", x.w.fact(e), x.ref(d), concl)
		return
	}
	if x.refs[d] <= 1 {
		if pd, pe, ok := splitCauses(d); ok && !x.numbered(pd) {
			x.visit(pd)
			x.write(n, "And because %s, %s.", x.w.pair(pe, e), concl)
			return
		}
	}
	x.visit(d)
	x.write(n, "And because %s, %s.", x.w.fact(e), concl)
}

// splitCauses returns the derived and the external cause of a node that
// has one of each.
func splitCauses(n *reportNode) (derived, external *reportNode, ok bool) {
	a, b := n.causes[0], n.causes[1]
	switch {
	case a.isDerived() && !b.isDerived():
		return a, b, true
	case b.isDerived() && !a.isDerived():
		return b, a, true
	}
	return nil, nil, false
}

func walk(n *Node, seen map[*Node]bool, f func(*Node)) {
	if seen[n] {
		return
	}
	seen[n] = true
	f(n)
	for _, c := range n.Causes {
		walk(c, seen, f)
	}
}
