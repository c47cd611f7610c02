package pep508

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/pylock/pylock/pep440"
)

// A version range on an edge is printed as comparisons of its variable. Any
// range between need (what the edge must allow) and allow (what it may
// allow, because the other edges it would take in lead to markers at least
// as permissive) will do, so the printer looks for the simplest: one
// comparison, then a lower and an upper bound, then bounds with != clauses,
// then a union of those. python_version comparisons are preferred where they
// fit (whole minor releases).
//
// Not every range can be written: PEP 508 has no "not", and no comparison
// ends just below a final release (below its pre-releases) or just above a
// release's post-releases, so the negation of python_full_version >= "3.10"
// (every version below 3.10, 3.10's pre-releases included) has no exact
// spelling. Such a range is printed rounded to the nearest spelling that
// differs only on pre-, post-, dev- or local releases of the versions it
// names, and the marker is flagged inexact.

// clause is one candidate comparison with the range it allows.
type clause struct {
	cmp  comparison
	r    pep440.Range
	py   bool // a python_version comparison
	text string
	op   string
}

// rangeKey memoizes printed ranges.
type rangeKey struct {
	name, need, allow string
}

type printedRange struct {
	need, allow pep440.Range
	out         *node
	exact       bool
}

// versionToken finds the versions in a Range's String.
var versionToken = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[0-9][0-9A-Za-z.!+_]*`) })

// printRange returns comparisons of name whose range lies between need and
// allow (nil when allow is every version), and whether that holds exactly.
func (a *algebra) printRange(name string, need, allow pep440.Range) (*node, bool) {
	if allow.IsFull() {
		return nil, true
	}
	key := rangeKey{name, need.String(), allow.String()}
	for _, p := range a.ranges[key] {
		if p.need.Equal(need) && p.allow.Equal(allow) {
			return p.out, p.exact
		}
	}
	cands := candidates(name, need, allow)
	out, ok := searchRange(cands, need, allow)
	exact := ok
	if !ok {
		gaps := gapRange(cands)
		out, ok = searchRange(cands, need.Difference(gaps), allow.Union(gaps))
	}
	if !ok {
		out = crudeRange(name, need)
	}
	a.ranges[key] = append(a.ranges[key], printedRange{need, allow, out, exact})
	return out, exact
}

// candidates lists the comparisons built from the versions need and allow
// name, ordered by preference.
func candidates(name string, rs ...pep440.Range) []clause {
	seen := map[string]bool{}
	var out []clause
	add := func(varName, op, value string) {
		c := newComparison(operand{variable: true, text: varName}, op, operand{text: value})
		var b strings.Builder
		c.write(&b)
		text := b.String()
		if seen[text] || !c.specOK {
			return
		}
		seen[text] = true
		cl := clause{cmp: c, text: text, op: op, py: varName == "python_version"}
		if cl.py {
			r, ok := pythonVersionRange(&c, value)
			if !ok {
				return
			}
			cl.r = r
		} else {
			cl.r = c.spec.Range()
		}
		out = append(out, cl)
	}
	for _, v := range rangeVersions(rs) {
		for _, t := range []string{canonText(v), canonText(v.BaseVersion())} {
			for _, op := range []string{">=", "<", "==", "!=", "<=", ">"} {
				add(name, op, t)
			}
		}
		base := canonText(v.BaseVersion())
		add(name, "==", base+".*")
		add(name, "!=", base+".*")
		if name == "python_full_version" {
			rel := append(v.Release(), 0)
			for _, minor := range []int{rel[1], rel[1] + 1} {
				if rel[0] >= maxMinor || minor >= maxMinor || v.Epoch() != 0 {
					continue
				}
				for _, op := range []string{">=", "<", "==", "!="} {
					add("python_version", op, fmt.Sprintf("%d.%d", rel[0], minor))
				}
			}
		}
	}
	slices.SortStableFunc(out, func(x, y clause) int {
		if x.py != y.py {
			if x.py {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(opRank[x.op], opRank[y.op]), cmp.Compare(len(x.text), len(y.text)),
			strings.Compare(x.text, y.text))
	})
	return out
}

// opRank orders the operators from the most readable.
var opRank = map[string]int{">=": 0, "<": 0, "==": 1, "!=": 2}

// releasePart splits a normalized version into epoch, release and the rest.
var releasePart = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([0-9]+!)?([0-9.]+?)((?:\.0)*)(\.?[^0-9.].*)?$`) })

// canonText spells v with its release's trailing zeros dropped, but at
// least two release numbers: 3.10.0 and 3.10 are both "3.10", 4 is "4.0".
// Equal versions get the same spelling, so equal ranges print the same.
func canonText(v pep440.Version) string {
	m := releasePart().FindStringSubmatch(v.String())
	if m == nil {
		return v.String()
	}
	rel := m[2]
	if !strings.Contains(rel, ".") {
		rel += ".0"
	}
	return m[1] + rel + m[4]
}

// rangeVersions parses the versions named in the ranges' String forms.
func rangeVersions(rs []pep440.Range) []pep440.Version {
	var out []pep440.Version
	for _, r := range rs {
		for _, tok := range versionToken().FindAllString(r.String(), -1) {
			if v, err := pep440.Parse(strings.TrimRight(tok, ".")); err == nil {
				out = append(out, v)
			}
		}
	}
	return out
}

// within reports need ⊆ r ⊆ allow.
func within(r, need, allow pep440.Range) bool {
	return need.SubsetOf(r) && r.SubsetOf(allow)
}

// searchRange tries the spellings from simplest to longest.
func searchRange(cands []clause, need, allow pep440.Range) (*node, bool) {
	for _, c := range cands {
		if within(c.r, need, allow) {
			return leaf(c.cmp), true
		}
	}
	pieces := boundPairs(cands)
	for _, p := range pieces {
		if within(p.r, need, allow) {
			return p.tree(), true
		}
	}
	if out, ok := withExclusions(cands, pieces, need, allow); ok {
		return out, true
	}
	return cover(append(singles(cands), pieces...), need, allow)
}

// piece is a conjunction of clauses.
type piece struct {
	parts []clause
	r     pep440.Range
}

func (p piece) tree() *node {
	var out *node
	for _, c := range p.parts {
		out = andOf(out, leaf(c.cmp))
	}
	return out
}

func singles(cands []clause) []piece {
	out := make([]piece, len(cands))
	for i, c := range cands {
		out[i] = piece{parts: []clause{c}, r: c.r}
	}
	return out
}

// boundPairs lists every lower bound joined with every upper bound. Besides
// single comparisons, `<= V and != V` bounds below V's pre-releases' end
// (every version below V) and `>= V and != V` above V's local versions.
func boundPairs(cands []clause) []piece {
	byText := map[string]clause{}
	for _, c := range cands {
		byText[c.op+"\x00"+c.cmp.rhs.text+"\x00"+c.cmp.lhs.text] = c
	}
	var lows, highs []piece
	for _, c := range cands {
		switch c.op {
		case ">=", ">":
			lows = append(lows, piece{parts: []clause{c}, r: c.r})
		case "<", "<=":
			highs = append(highs, piece{parts: []clause{c}, r: c.r})
		}
		ne, ok := byText["!=\x00"+c.cmp.rhs.text+"\x00"+c.cmp.lhs.text]
		if !ok || c.py {
			continue
		}
		switch c.op {
		case ">=":
			lows = append(lows, piece{parts: []clause{c, ne}, r: c.r.Intersect(ne.r)})
		case "<=":
			highs = append(highs, piece{parts: []clause{c, ne}, r: c.r.Intersect(ne.r)})
		}
	}
	out := slices.Clone(highs)
	out = append(out, lows...)
	for _, lo := range lows {
		for _, hi := range highs {
			if r := lo.r.Intersect(hi.r); !r.IsEmpty() {
				out = append(out, piece{parts: append(slices.Clone(lo.parts), hi.parts...), r: r})
			}
		}
	}
	return out
}

// withExclusions tries a bound (or none) narrowed by every != clause that
// keeps need, then drops the != clauses not needed.
func withExclusions(cands []clause, pieces []piece, need, allow pep440.Range) (*node, bool) {
	var excl []clause
	for _, c := range cands {
		if c.op == "!=" && need.SubsetOf(c.r) {
			excl = append(excl, c)
		}
	}
	if len(excl) == 0 {
		return nil, false
	}
	bases := append([]piece{{r: pep440.Full()}}, singles(cands)...)
	for _, b := range append(bases, pieces...) {
		if !need.SubsetOf(b.r) {
			continue
		}
		r := b.r
		for _, e := range excl {
			r = r.Intersect(e.r)
		}
		if !r.SubsetOf(allow) {
			continue
		}
		kept := slices.Clone(excl)
		for i := len(kept) - 1; i >= 0; i-- {
			trial := b.r
			for j, e := range kept {
				if j != i {
					trial = trial.Intersect(e.r)
				}
			}
			if trial.SubsetOf(allow) {
				kept = slices.Delete(kept, i, i+1)
			}
		}
		return piece{parts: append(slices.Clone(b.parts), kept...)}.tree(), true
	}
	return nil, false
}

// cover joins pieces inside allow with "or" until need is covered, then
// drops the pieces the others make redundant.
func cover(pieces []piece, need, allow pep440.Range) (*node, bool) {
	var chosen []piece
	covered := pep440.Empty()
	for _, p := range pieces {
		if need.SubsetOf(covered) {
			break
		}
		if p.r.SubsetOf(allow) && !need.Difference(covered).Intersect(p.r).IsEmpty() {
			chosen = append(chosen, p)
			covered = covered.Union(p.r)
		}
	}
	if !need.SubsetOf(covered) {
		return nil, false
	}
	for i := len(chosen) - 1; i >= 0; i-- {
		rest := pep440.Empty()
		for j, p := range chosen {
			if j != i {
				rest = rest.Union(p.r)
			}
		}
		if need.SubsetOf(rest) {
			chosen = slices.Delete(chosen, i, i+1)
		}
	}
	var terms []*node
	for _, p := range chosen {
		terms = append(terms, p.tree())
	}
	return orOf(terms), true
}

// gapRange is every pre-, dev-, post- and local release of the candidates'
// base versions: the versions no comparison can separate from their
// release.
func gapRange(cands []clause) pep440.Range {
	gaps := pep440.Empty()
	for _, c := range cands {
		if c.py {
			continue
		}
		v, err := pep440.Parse(strings.TrimSuffix(c.cmp.rhs.text, ".*"))
		if err != nil {
			continue
		}
		b := v.BaseVersion()
		dev0, err := pep440.Parse(b.String() + ".dev0")
		if err != nil {
			continue
		}
		pre := pep440.AtLeast(dev0).Intersect(pep440.Below(b))
		after := pep440.AtLeast(b).Difference(pep440.Singleton(b))
		gaps = gaps.Union(pre).Union(after.Difference(specRange(">", b)))
	}
	return gaps
}

// specRange is the range of one specifier clause on v.
func specRange(op string, v pep440.Version) pep440.Range {
	s, err := pep440.ParseSpecifier(op + v.String())
	if err != nil {
		return pep440.Empty()
	}
	return s.Range()
}

// crudeRange writes the intervals of r's String as comparisons, for ranges
// no search could spell.
func crudeRange(name string, r pep440.Range) *node {
	var terms []*node
	for _, part := range strings.Split(r.String(), " or ") {
		var term *node
		for _, bound := range strings.Split(part, ", ") {
			bound = strings.TrimSuffix(strings.TrimSuffix(bound, " with a local label"), ".post*")
			for _, op := range []string{"===", "==", "!=", "<=", ">=", "<", ">"} {
				if value, ok := strings.CutPrefix(bound, op); ok {
					term = andOf(term, leaf(newComparison(operand{variable: true, text: name}, op, operand{text: value})))
					break
				}
			}
		}
		terms = append(terms, term)
	}
	return orOf(terms)
}

// leaf wraps a comparison in a tree node.
func leaf(c comparison) *node { return &node{kind: leafNode, cmp: c} }

// andOf joins two trees with "and"; nil is true.
func andOf(x, y *node) *node { return combine(andNode, Marker{root: x}, Marker{root: y}).root }

// orOf joins trees with "or"; an empty list is false.
func orOf(terms []*node) *node {
	if len(terms) == 0 {
		return falseTree()
	}
	out := terms[0]
	for _, t := range terms[1:] {
		if out == nil || t == nil {
			return nil
		}
		out = combine(orNode, Marker{root: out}, Marker{root: t}).root
	}
	return out
}

// falseTree is the marker no environment satisfies, as uv writes it.
func falseTree() *node {
	return leaf(newComparison(operand{variable: true, text: "python_full_version"}, "<", operand{text: "0"}))
}
