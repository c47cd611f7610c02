package pep508

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pylock/pylock/pep440"
)

// stringVariables are the variables whose == and != comparisons with a value
// that is not a version become string edges.
var stringVariables = map[string]bool{
	"os_name": true, "sys_platform": true, "platform_system": true, "platform_machine": true,
	"platform_python_implementation": true, "implementation_name": true,
	"platform_release": true, "platform_version": true,
}

// Ranks of the boolean atom families in the variable order.
const (
	rankExtra  = "2"
	rankExtras = "3"
	rankGroups = "4"
	rankOpaque = "5"
)

// complementOps pairs each operator with the one that is true exactly when
// it is false, for every pair of values.
var complementOps = map[string]string{"==": "!=", "!=": "==", "in": "not in", "not in": "in"}

// treeDD converts a marker tree to its diagram, memoized per tree.
func (a *algebra) treeDD(n *node) *dd {
	if n == nil {
		return ddTrue
	}
	if r, ok := a.trees[n]; ok {
		return r
	}
	var r *dd
	switch n.kind {
	case leafNode:
		r = a.leafDD(&n.cmp)
	default:
		op := opAnd
		if n.kind == orNode {
			op = opOr
		}
		r = a.treeDD(n.kids[0])
		for _, k := range n.kids[1:] {
			r = a.apply(op, r, a.treeDD(k))
		}
	}
	a.trees[n] = r
	return r
}

// leafDD converts one comparison.
func (a *algebra) leafDD(c *comparison) *dd {
	lv, rv := c.lhs.variable, c.rhs.variable
	switch {
	case !lv && !rv:
		return constant(c.eval(&Environment{}))
	case lv && !rv && c.op == "~=" && !c.specOK:
		return ddFalse // compared as strings, ~= is false
	case lv && isSetVariable(c.lhs.text), rv && isSetVariable(c.rhs.text) && (lv || c.op != "in" && c.op != "not in"):
		return ddFalse
	case rv && isSetVariable(c.rhs.text):
		rank := rankExtras
		if c.rhs.text == "dependency_groups" {
			rank = rankGroups
		}
		return a.boolAtom(rank, c)
	case lv && !rv && c.lhs.text == "extra" && (c.op == "==" || c.op == "!="):
		return a.boolAtom(rankExtra, c)
	case lv && !rv && c.lhs.text == "python_version" && c.specOK:
		if r, ok := pythonVersionRange(c, c.rhs.text); ok {
			return a.rangeDD(a.versionVariable("python_full_version"), r)
		}
	case !lv && rv && c.rhs.text == "python_version" && c.op != "in" && c.op != "not in":
		if _, err := pep440.Parse(c.lhs.text); err == nil {
			if r, ok := pythonVersionRange(c, c.lhs.text); ok {
				return a.rangeDD(a.versionVariable("python_full_version"), r)
			}
		}
	case lv && !rv && (c.lhs.text == "python_full_version" || c.lhs.text == "implementation_version"):
		if r, ok := versionClauseRange(c); ok {
			return a.rangeDD(a.versionVariable(c.lhs.text), r)
		}
	case lv && !rv && stringVariables[c.lhs.text] && (c.op == "==" || c.op == "!=") && plainString(c.rhs.text):
		v := a.stringVariable(c.lhs.text)
		in, out := ddTrue, ddFalse
		if c.op == "!=" {
			in, out = out, in
		}
		return a.mkString(v, []string{c.rhs.text}, []*dd{in}, out)
	}
	return a.boolAtom(rankOpaque, c)
}

// plainString reports whether == and != compare v as a string whatever the
// variable's value: neither forms a valid specifier with it.
func plainString(v string) bool {
	_, eq := singleSpecifier("==", v)
	_, ne := singleSpecifier("!=", v)
	return !eq && !ne
}

func constant(b bool) *dd {
	if b {
		return ddTrue
	}
	return ddFalse
}

// boolAtom returns the node of c as a boolean atom. A comparison whose
// operator has an exact complement shares its atom with the complement's
// (==, in, >= and <= are the positive forms).
func (a *algebra) boolAtom(rank string, c *comparison) *dd {
	pos := *c
	negated := false
	if op, ok := exactComplement(*c); ok && (c.op == "!=" || c.op == "not in" || c.op == "<" || c.op == ">") {
		pos = newComparison(c.lhs, op, c.rhs)
		negated = true
	}
	neg, exact := printNegation(pos)
	v := a.boolVariable(rank, pos, neg, exact)
	if negated {
		return a.mkBool(v, ddFalse, ddTrue)
	}
	return a.mkBool(v, ddTrue, ddFalse)
}

// printNegation returns the comparison that is false where c is true, and
// whether it is exact. PEP 508 has no "not": in has an exact complement,
// == has one against a literal (see exactComplement), and so do the
// ordering operators against a literal that is not a version (compared as
// strings). Otherwise the operator is swapped
// (off by the pre-, post- and local releases of the value: not >= V would
// be `<= V and != V`, but the algebra reads those as two independent
// atoms), and ~= and === become != (exact only for values that are not
// versions).
func printNegation(c comparison) (comparison, bool) {
	if op, ok := exactComplement(c); ok {
		return newComparison(c.lhs, op, c.rhs), true
	}
	swap := map[string]string{"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">", "~=": "!=", "===": "!="}
	return newComparison(c.lhs, swap[c.op], c.rhs), false
}

// exactComplement returns the operator that is true exactly where c's is
// false, when there is one. Evaluate builds a specifier by joining the
// operator and the value, so a value starting with "=" can make one of a
// pair a valid specifier and not the other: the pair is exact only when
// both are compared the same way.
func exactComplement(c comparison) (string, bool) {
	if c.op == "in" || c.op == "not in" {
		return complementOps[c.op], true
	}
	op, ok := complementOps[c.op]
	if !ok && c.lhs.variable && !c.rhs.variable && !c.specOK {
		op, ok = map[string]string{"<": ">=", ">=": "<", ">": "<=", "<=": ">"}[c.op]
		ok = ok && !newComparison(c.lhs, op, c.rhs).specOK
	}
	if !ok || c.rhs.variable || newComparison(c.lhs, op, c.rhs).specOK != c.specOK {
		return "", false
	}
	return op, true
}

// rangeDD is the node true exactly for versions of v in r.
func (a *algebra) rangeDD(v *variable, r pep440.Range) *dd {
	return a.mkVersion(v, []pep440.Range{r, r.Complement()}, []*dd{ddTrue, ddFalse})
}

// versionClauseRange is the range of `var op "V"` for python_full_version
// and implementation_version, when the algebra can use it exactly: a valid
// specifier other than === (and ~= written in normal form).
func versionClauseRange(c *comparison) (pep440.Range, bool) {
	if !c.specOK || c.op == "===" {
		return pep440.Range{}, false
	}
	if c.op == "~=" {
		v, err := pep440.Parse(c.rhs.text)
		if err != nil || v.String() != c.rhs.text {
			return pep440.Range{}, false
		}
	}
	return c.spec.Range(), true
}

// maxMinor bounds the release numbers pythonVersionRange works with.
const maxMinor = 1 << 20

// pythonVersionRange is the set of python_full_version values for which c,
// a comparison of python_version with the literal lit, holds, assuming
// python_version is the major.minor of python_full_version. The comparison
// can only change its value at the minors around lit's first two release
// numbers, so it is evaluated at one minor of each stretch between them and
// each stretch contributes its whole releases (pre-releases included).
func pythonVersionRange(c *comparison, lit string) (pep440.Range, bool) {
	v, err := pep440.Parse(strings.TrimSuffix(lit, ".*"))
	if err != nil {
		return pep440.Range{}, false
	}
	rel := append(v.Release(), 0)
	major, minor := rel[0], rel[1]
	if major >= maxMinor || minor >= maxMinor {
		return pep440.Range{}, false
	}
	if v.Epoch() != 0 {
		return constantRange(holdsAt(c, 3, 0)), true
	}
	points := slices.Compact([][2]int{{major, 0}, {major, minor}, {major, minor + 1}, {major + 1, 0}})
	out := pep440.Empty()
	if major > 0 && holdsAt(c, major-1, 0) {
		out = seriesFrom(0, 0, major, 0)
	}
	for i, p := range points {
		if !holdsAt(c, p[0], p[1]) {
			continue
		}
		end := [2]int{-1, -1}
		if i+1 < len(points) {
			end = points[i+1]
		}
		out = out.Union(seriesFrom(p[0], p[1], end[0], end[1]))
	}
	return out, true
}

func constantRange(b bool) pep440.Range {
	if b {
		return pep440.Full()
	}
	return pep440.Empty()
}

// holdsAt evaluates c with python_version set to major.minor.
func holdsAt(c *comparison, major, minor int) bool {
	return c.eval(&Environment{Vars: map[string]string{"python_version": fmt.Sprintf("%d.%d", major, minor)}})
}

// seriesStart is the first version of the release major.minor (its dev0).
func seriesStart(major, minor int) pep440.Version {
	return pep440.MustParse(fmt.Sprintf("%d.%d.dev0", major, minor))
}

// seriesFrom is every version of the releases from major.minor up to, not
// including, endMajor.endMinor (no end when endMajor is negative; from the
// start when major.minor is 0.0).
func seriesFrom(major, minor, endMajor, endMinor int) pep440.Range {
	r := pep440.Full()
	if major > 0 || minor > 0 {
		r = pep440.AtLeast(seriesStart(major, minor))
	}
	if endMajor >= 0 {
		r = r.Intersect(pep440.Below(seriesStart(endMajor, endMinor)))
	}
	return r
}
