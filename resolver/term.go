package resolver

import (
	"strings"

	"github.com/pylock/pylock/pep440"
)

// Package identifies a node of the dependency graph: a project (Extra ""),
// the virtual package of one of its extras ("name[extra]", which depends on
// the project at the same version), or the root (Name "").
type Package struct {
	Name  string // normalized; "" for the root
	Extra string // normalized extra name, or ""
}

// IsRoot reports whether p is the project being resolved.
func (p Package) IsRoot() bool { return p.Name == "" }

// String is the package's name for messages: "name", "name[extra]" or
// "your project".
func (p Package) String() string {
	switch {
	case p.IsRoot():
		return "your project"
	case p.Extra != "":
		return p.Name + "[" + p.Extra + "]"
	}
	return p.Name
}

// Term is a statement about one package: that its version is in Range
// (Positive), or that it is not (a negative term, which also holds when the
// package is not selected at all).
type Term struct {
	Package  Package
	Range    pep440.Range
	Positive bool
}

// rootVersion is the only version of the root package.
var rootVersion = pep440.MustParse("0")

// negate returns the term that holds exactly when t does not.
func (t Term) negate() Term {
	return Term{Package: t.Package, Range: t.Range, Positive: !t.Positive}
}

// allowed is the set of versions the term accepts for a selected package.
func (t Term) allowed() pep440.Range {
	if t.Positive {
		return t.Range
	}
	return t.Range.Complement()
}

// intersect returns the term that holds when both t and o hold; both refer to
// the same package.
func (t Term) intersect(o Term) Term {
	switch {
	case t.Positive || o.Positive:
		return Term{Package: t.Package, Range: t.allowed().Intersect(o.allowed()), Positive: true}
	default:
		return Term{Package: t.Package, Range: t.Range.Union(o.Range)}
	}
}

// difference returns the term that holds when t holds and o does not.
func (t Term) difference(o Term) Term { return t.intersect(o.negate()) }

func (t Term) equal(o Term) bool {
	return t.Positive == o.Positive && t.Range.Equal(o.Range)
}

type relation int

const (
	relInconclusive relation = iota
	relSatisfied
	relContradicted
)

// relationTo tells whether the accumulated term acc (what the partial
// solution says about the package) satisfies, contradicts, or leaves open t.
// It is the set relation between t∩acc and acc, computed without building
// complements.
func (t Term) relationTo(acc Term) relation {
	switch {
	case acc.Positive && t.Positive:
		return subsetOrDisjoint(acc.Range, t.Range, relSatisfied, relContradicted)
	case acc.Positive:
		return subsetOrDisjoint(acc.Range, t.Range, relContradicted, relSatisfied)
	case t.Positive:
		// acc allows the package to be absent, which t does not.
		if t.Range.SubsetOf(acc.Range) {
			return relContradicted
		}
	case t.Range.SubsetOf(acc.Range):
		return relSatisfied
	}
	return relInconclusive
}

// subsetOrDisjoint returns ifSubset when a ⊆ b, ifDisjoint when a ∩ b = ∅,
// and relInconclusive otherwise.
func subsetOrDisjoint(a, b pep440.Range, ifSubset, ifDisjoint relation) relation {
	switch {
	case a.SubsetOf(b):
		return ifSubset
	case a.Intersect(b).IsEmpty():
		return ifDisjoint
	}
	return relInconclusive
}

// String renders the term for messages, e.g. "foo>=1.0, <2.0" or "not foo==1.0".
func (t Term) String() string {
	s := describe(t.Package, t.Range)
	if !t.Positive {
		return "not " + s
	}
	return s
}

// describe renders a package with a set of its versions.
func describe(p Package, r pep440.Range) string {
	if p.IsRoot() {
		return p.String()
	}
	if r.IsFull() {
		return p.String()
	}
	s := r.String()
	if s != "" && strings.ContainsRune("<>=!~", rune(s[0])) {
		return p.String() + s
	}
	return p.String() + " " + s
}
