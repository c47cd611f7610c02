package pep440

import (
	"sort"
	"strings"
)

// Range is a set of versions: a sorted sequence of cuts and, for each segment
// between consecutive cuts, the universes (see universe.go) it includes. It
// is closed under Union, Intersect and Complement and exact for every
// specifier operator, packaging 24.2's special cases included. The zero Range
// is empty. Ranges are immutable.
type Range struct {
	cuts  []cut  // strictly increasing
	masks []mask // len(cuts)+1 entries when non-nil; masks[i] lies below cuts[i]
}

// Full returns the range of every version.
func Full() Range { return Range{masks: []mask{allUniverses}} }

// Empty returns the range of no version.
func Empty() Range { return Range{} }

// Singleton returns the range holding exactly v (not its local variants when
// v is public).
func Singleton(v Version) Range { return interval(before(v), after(v), allUniverses) }

// interval is the range between lo and hi limited to the universes in m.
func interval(lo, hi cut, m mask) Range {
	r := Range{}
	if lo.kind != cutNegInf {
		r.cuts = append(r.cuts, lo)
		r.masks = append(r.masks, 0)
	}
	r.masks = append(r.masks, m)
	if hi.kind != cutPosInf {
		r.cuts = append(r.cuts, hi)
		r.masks = append(r.masks, 0)
	}
	return r.normalize()
}

// AtLeast returns the versions at or above v (its local variants included).
func AtLeast(v Version) Range { return interval(before(v), posInf, allUniverses) }

// Below returns the versions strictly below v, by plain ordering.
func Below(v Version) Range { return interval(negInf, before(v), allUniverses) }

func (r Range) mask(i int) mask {
	if i < len(r.masks) {
		return r.masks[i]
	}
	return 0
}

// Contains reports whether v is in r.
func (r Range) Contains(v Version) bool {
	i := sort.Search(len(r.cuts), func(i int) bool { return !r.cuts[i].below(v) })
	return r.mask(i)&(1<<universeOf(v)) != 0
}

// combine merges the cuts of r and o and applies f to each segment's masks.
func (r Range) combine(o Range, f func(a, b mask) mask) Range {
	out := Range{}
	i, j := 0, 0
	for i < len(r.cuts) || j < len(o.cuts) {
		out.masks = append(out.masks, f(r.mask(i), o.mask(j)))
		switch {
		case j == len(o.cuts) || i < len(r.cuts) && compareCuts(r.cuts[i], o.cuts[j]) < 0:
			out.cuts = append(out.cuts, r.cuts[i])
			i++
		case i == len(r.cuts) || compareCuts(r.cuts[i], o.cuts[j]) > 0:
			out.cuts = append(out.cuts, o.cuts[j])
			j++
		default:
			out.cuts = append(out.cuts, r.cuts[i])
			i++
			j++
		}
	}
	out.masks = append(out.masks, f(r.mask(i), o.mask(j)))
	return out.normalize()
}

// Intersect returns the versions in both r and o.
func (r Range) Intersect(o Range) Range {
	return r.combine(o, func(a, b mask) mask { return a & b })
}

// Union returns the versions in r or o.
func (r Range) Union(o Range) Range {
	return r.combine(o, func(a, b mask) mask { return a | b })
}

// Complement returns the versions not in r.
func (r Range) Complement() Range {
	return r.combine(Empty(), func(a, _ mask) mask { return ^a })
}

// Difference returns the versions in r but not in o.
func (r Range) Difference(o Range) Range {
	return r.combine(o, func(a, b mask) mask { return a &^ b })
}

// IsEmpty reports whether r holds no version.
func (r Range) IsEmpty() bool { return len(r.cuts) == 0 && r.mask(0) == 0 }

// IsFull reports whether r holds every version.
func (r Range) IsFull() bool { return len(r.cuts) == 0 && r.mask(0) == allUniverses }

// Equal reports whether r and o hold the same versions.
func (r Range) Equal(o Range) bool {
	return r.combine(o, func(a, b mask) mask { return a ^ b }).IsEmpty()
}

// Same reports whether r and o are one value, copies of a Range sharing its
// memory: a test cheaper than Equal, which it implies (ranges are
// immutable), for remembering what was worked out about a range.
func (r Range) Same(o Range) bool {
	return len(r.cuts) == len(o.cuts) && len(r.masks) == len(o.masks) &&
		(len(r.cuts) == 0 || &r.cuts[0] == &o.cuts[0]) && (len(r.masks) == 0 || &r.masks[0] == &o.masks[0])
}

// Key returns a string that spells r's representation: ranges with equal
// keys are equal. Equal ranges may have different keys (cuts at 1.0 and at
// 1.0.0, say), so a key can name what was worked out about a range, but
// cannot test equality.
func (r Range) Key() string {
	var b strings.Builder
	for i, m := range r.masks {
		b.WriteByte(hexDigits[m>>4])
		b.WriteByte(hexDigits[m&0xF])
		if i < len(r.cuts) {
			b.WriteByte('0' + byte(r.cuts[i].kind))
			b.WriteString(r.cuts[i].v.String())
			b.WriteByte(';')
		}
	}
	return b.String()
}

// hexDigits spell a mask in Key.
const hexDigits = "0123456789abcdef"

// SubsetOf reports whether every version of r is in o.
func (r Range) SubsetOf(o Range) bool { return r.Difference(o).IsEmpty() }

// segmentBounds returns the cuts around segment i.
func (r Range) segmentBounds(i int) (lo, hi cut) {
	lo, hi = negInf, posInf
	if i > 0 {
		lo = r.cuts[i-1]
	}
	if i < len(r.cuts) {
		hi = r.cuts[i]
	}
	return lo, hi
}

// normalize clears the bits of universes a segment holds no version of and
// merges neighbouring segments that agree wherever both hold versions, so an
// empty range has no cuts and one mask 0, and a full range one mask of all.
func (r Range) normalize() Range {
	out := Range{}
	var cur, curPresent mask
	lo := canonAll(negInf)
	for i := 0; i <= len(r.cuts); i++ {
		hi := canonAll(posInf)
		if i < len(r.cuts) {
			hi = canonAll(r.cuts[i])
		}
		p := present(&lo, &hi)
		m := r.mask(i) & p
		if i > 0 && (cur^m)&curPresent&p != 0 {
			out.masks = append(out.masks, cur)
			out.cuts = append(out.cuts, r.cuts[i-1])
			cur, curPresent = 0, 0
		}
		cur, curPresent = cur|m, curPresent|p
		lo = hi
	}
	out.masks = append(out.masks, cur)
	return out
}
