package resolver

import (
	"fmt"
	"strings"
)

// Explain turns a derivation tree into plain sentences, one per line, in the
// style of the PubGrub paper: each line derives one fact from two earlier
// ones, facts used more than once are numbered and referred to by number,
// and the last line concludes that the requirements are unsatisfiable. A
// final "hint:" line suggests what to change.
func Explain(tree *Node) string {
	if tree == nil {
		return "the requirements are unsatisfiable"
	}
	x := &explainer{refs: map[*Node]int{}, numbers: map[*Node]int{}}
	x.countRefs(tree)
	if tree.isDerived() {
		x.visit(tree, false)
	} else {
		x.lines = append(x.lines, capitalize(tree.String())+".")
	}
	x.lines = append(x.lines, hint(tree))
	return strings.Join(x.lines, "\n")
}

type explainer struct {
	lines   []string
	refs    map[*Node]int // how many derived parents use a node
	numbers map[*Node]int // line numbers given to shared derived nodes
}

func (x *explainer) countRefs(n *Node) {
	for _, c := range n.Causes {
		x.refs[c]++
		if x.refs[c] == 1 {
			x.countRefs(c)
		}
	}
}

// write adds the line concluding n, numbering it when n is used again later.
func (x *explainer) write(n *Node, line string, number bool) {
	if number || x.refs[n] > 1 {
		x.numbers[n] = len(x.numbers) + 1
		line = fmt.Sprintf("%s (%d)", line, x.numbers[n])
	}
	x.lines = append(x.lines, line)
}

// ref names an already explained node with its line number.
func (x *explainer) ref(n *Node) string {
	return fmt.Sprintf("%s (%d)", n, x.numbers[n])
}

func (x *explainer) numbered(n *Node) bool {
	_, ok := x.numbers[n]
	return ok
}

// visit explains a derived node after explaining what it needs.
func (x *explainer) visit(n *Node, number bool) {
	a, b := n.Causes[0], n.Causes[1]
	concl := n.String()
	switch {
	case a.isDerived() && b.isDerived():
		x.visitTwoDerived(n, a, b, concl, number)
	case a.isDerived() || b.isDerived():
		d, e := a, b
		if !d.isDerived() {
			d, e = b, a
		}
		x.visitOneDerived(n, d, e, concl, number)
	default:
		x.write(n, fmt.Sprintf("Because %s, %s.", facts(a, b), concl), number)
	}
}

// facts joins two external facts, sharing the subject when both are
// dependencies of the same package version ("your project depends on a and b").
func facts(a, b *Node) string {
	if a.Cause == CauseDependency && b.Cause == CauseDependency && a.Terms[0].equal(b.Terms[0]) {
		return fmt.Sprintf("%s and %s", a, describe(b.Terms[1].Package, b.Terms[1].Range))
	}
	return fmt.Sprintf("%s and %s", a, b)
}

func (x *explainer) visitTwoDerived(n, a, b *Node, concl string, number bool) {
	if !x.numbered(a) && !x.numbered(b) {
		x.visit(a, true)
	}
	if x.numbered(a) && x.numbered(b) {
		x.write(n, fmt.Sprintf("Because %s and %s, %s.", x.ref(a), x.ref(b), concl), number)
		return
	}
	done, other := a, b
	if !x.numbered(a) {
		done, other = b, a
	}
	x.visit(other, false)
	x.write(n, fmt.Sprintf("And because %s, %s.", x.ref(done), concl), number)
}

func (x *explainer) visitOneDerived(n, d, e *Node, concl string, number bool) {
	if x.numbered(d) {
		x.write(n, fmt.Sprintf("Because %s and %s, %s.", e, x.ref(d), concl), number)
		return
	}
	if x.refs[d] <= 1 {
		dd, de, ok := splitCauses(d)
		if ok && !x.numbered(dd) {
			x.visit(dd, false)
			x.write(n, fmt.Sprintf("And because %s, %s.", facts(de, e), concl), number)
			return
		}
	}
	x.visit(d, false)
	x.write(n, fmt.Sprintf("And because %s, %s.", e, concl), number)
}

// splitCauses returns the derived and the external cause of a node that has
// one of each.
func splitCauses(n *Node) (derived, external *Node, ok bool) {
	a, b := n.Causes[0], n.Causes[1]
	switch {
	case a.isDerived() && !b.isDerived():
		return a, b, true
	case b.isDerived() && !a.isDerived():
		return b, a, true
	}
	return nil, nil, false
}

// hint suggests what to change, from the facts the tree rests on.
func hint(tree *Node) string {
	var notFound []string
	python, yanked := false, false
	walk(tree, map[*Node]bool{}, func(n *Node) {
		if n.Cause != CauseUnavailable {
			return
		}
		switch {
		case isNotFound(n.Reason):
			notFound = append(notFound, "'"+n.Terms[0].Package.Name+"'")
		case strings.Contains(n.Reason, "requires Python"):
			python = true
		case strings.Contains(n.Reason, "yanked"):
			yanked = true
		}
	})
	switch {
	case len(notFound) > 0:
		return "hint: check the spelling of " + joinAnd(notFound)
	case python:
		return "hint: some versions need another Python; target a Python version they support, or require older versions"
	case yanked:
		return "hint: yanked versions are used only when pinned with == in your requirements"
	}
	return "hint: loosen one of the requirements named above"
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

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
