package pep508

import (
	"cmp"
	"slices"
	"strings"

	"github.com/pylock/pylock/pep440"
)

// printer turns a diagram back into a marker tree: for each node, one term
// per child that is not false, "label and child", joined with "or". A
// child's label may allow more than the edges that lead to it: every edge
// leading to a child that the first implies may be taken in, which keeps
// the marker equivalent and usually makes it much shorter (uv simplifies
// the same way). care limits python_full_version to the versions that
// matter (SimplifyPython); outside it anything goes.
type printer struct {
	a    *algebra
	care pep440.Range
	memo map[*dd]printed
}

// printed is a node's tree and whether its text says exactly what it means.
type printed struct {
	tree  *node
	exact bool
}

// print returns the tree of n (nil for true) and whether its text says
// exactly what n means on care.
func (a *algebra) print(n *dd, care pep440.Range) (*node, bool) {
	if n == ddFalse {
		return falseTree(), true
	}
	p := &printer{a: a, care: care, memo: map[*dd]printed{}}
	out := p.expr(n)
	return out.tree, out.exact
}

func (p *printer) expr(n *dd) printed {
	if n == ddTrue {
		return printed{nil, true}
	}
	if out, ok := p.memo[n]; ok {
		return out
	}
	var parts []part
	switch n.v.kind {
	case versionVar:
		parts = p.versionTerms(n)
	case stringVar:
		parts = p.stringTerms(n)
	default:
		parts = p.boolTerms(n)
	}
	terms, exact := p.terms(parts)
	out := printed{exact: exact}
	if !slices.Contains(terms, nil) {
		slices.SortFunc(terms, func(x, y *node) int {
			return cmp.Or(strings.Compare(leafRank(x), leafRank(y)), strings.Compare(treeText(x), treeText(y)))
		})
		out.tree = orOf(terms)
	}
	p.memo[n] = out
	return out
}

func treeText(n *node) string { return Marker{root: n}.String() }

// leafRank is the variable order key of a tree's first comparison, so that
// terms come in the order of their variables.
func leafRank(n *node) string {
	for n.kind != leafNode {
		n = n.kids[0]
	}
	c := n.cmp
	name := c.lhs.text
	if !c.lhs.variable {
		name = c.rhs.text
	}
	switch {
	case !c.lhs.variable && !c.rhs.variable:
		return rankOpaque
	case name == "python_version" || name == "python_full_version":
		return "0a"
	case name == "implementation_version":
		return "0b"
	case stringVariables[name]:
		return "1" + name
	case name == "extra":
		return rankExtra
	case name == "extras":
		return rankExtras
	case name == "dependency_groups":
		return rankGroups
	}
	return rankOpaque
}

// part is one term of a node: a label (nil when the term needs none) and
// the child it leads to.
type part struct {
	label *node
	kid   *dd
	exact bool // the label says exactly what it means
}

// terms prints each part as "label and child". An unlabelled part holds
// wherever its child does, so a labelled part's child only matters where no
// unlabelled child holds: it may be printed as any marker between "child
// and not covered" and "child or covered"; the shortest of those two and
// the child restricted to where nothing is covered is used.
func (p *printer) terms(parts []part) ([]*node, bool) {
	covered := ddFalse
	for _, pt := range parts {
		if pt.label == nil {
			covered = p.a.apply(opOr, covered, pt.kid)
		}
	}
	var out []*node
	exact := true
	for _, pt := range parts {
		sub := p.expr(pt.kid)
		if pt.label != nil && covered != ddFalse {
			rest := p.a.apply(opAnd, pt.kid, p.a.not(covered))
			if rest == ddFalse {
				continue // the unlabelled parts already say it all
			}
			alts := []*dd{rest, p.a.apply(opOr, pt.kid, covered), p.a.restrict(pt.kid, p.a.not(covered))}
			for _, alt := range alts {
				if t := p.expr(alt); len(treeText(t.tree)) < len(treeText(sub.tree)) {
					sub = t
				}
			}
		}
		exact = exact && pt.exact && sub.exact
		out = append(out, andOf(pt.label, sub.tree))
	}
	return out, exact
}

func (p *printer) versionTerms(n *dd) []part {
	care := pep440.Full()
	if n.v.name == "python_full_version" {
		care = p.care
	}
	var terms []part
	for i, c := range n.kids {
		need := n.ranges[i].Intersect(care)
		if c == ddFalse || need.IsEmpty() {
			continue
		}
		allow := care.Complement()
		for j, k := range n.kids {
			if j == i || p.a.implies(c, k) {
				allow = allow.Union(n.ranges[j])
			}
		}
		label, exact := p.a.printRange(n.v.name, need, allow)
		terms = append(terms, part{label, c, exact})
	}
	return terms
}

// strSet is a set of strings: vals, or every string but vals when co.
type strSet struct {
	vals []string
	co   bool
}

// edgeSet is the set of values whose edges lead to a child satisfying pred.
func edgeSet(n *dd, pred func(*dd) bool) strSet {
	s := strSet{co: pred(n.def)}
	for i, k := range n.kids {
		if pred(k) != s.co {
			s.vals = append(s.vals, n.vals[i])
		}
	}
	return s
}

func (p *printer) stringTerms(n *dd) []part {
	kids := []*dd{n.def}
	for _, k := range n.kids {
		if !slices.Contains(kids, k) {
			kids = append(kids, k)
		}
	}
	var terms []part
	for _, c := range kids {
		if c == ddFalse {
			continue
		}
		need := edgeSet(n, func(k *dd) bool { return k == c })
		allow := edgeSet(n, func(k *dd) bool { return k == c || p.a.implies(c, k) })
		s := need
		if len(allow.vals) <= len(need.vals) {
			s = allow
		}
		terms = append(terms, part{stringLabel(n.v.name, s), c, true})
	}
	return terms
}

// stringLabel writes a set of values of a string variable.
func stringLabel(name string, s strSet) *node {
	op := "=="
	if s.co {
		op = "!="
	}
	var parts []*node
	for _, v := range s.vals {
		parts = append(parts, leaf(newComparison(operand{variable: true, text: name}, op, operand{text: v})))
	}
	if s.co {
		var out *node
		for _, x := range parts {
			out = andOf(out, x)
		}
		return out
	}
	return orOf(parts)
}

func (p *printer) boolTerms(n *dd) []part {
	hi, lo := n.kids[0], n.kids[1]
	var terms []part
	if hi != ddFalse {
		var label *node
		if !p.a.implies(hi, lo) {
			label = leaf(n.v.pos)
		}
		terms = append(terms, part{label, hi, true})
	}
	if lo != ddFalse {
		label, exact := (*node)(nil), true
		if !p.a.implies(lo, hi) {
			label, exact = leaf(n.v.neg), n.v.negExact
		}
		terms = append(terms, part{label, lo, exact})
	}
	return terms
}

// marker wraps diagram n as a Marker whose text means n on care.
func (a *algebra) marker(n *dd, care pep440.Range) Marker {
	switch n {
	case ddTrue:
		return Marker{}
	case ddFalse:
		return Marker{root: falseTree(), alg: ddFalse, inexact: true}
	}
	root, exact := a.print(n, care)
	if root == nil {
		return Marker{}
	}
	switch {
	case !exact:
		n = a.apply(opAnd, n, a.rangeDD(a.versionVariable("python_full_version"), care))
	case !care.IsFull():
		n = a.treeDD(root)
	default:
		a.trees[root] = n
	}
	return Marker{root: root, alg: n, inexact: !exact}
}
