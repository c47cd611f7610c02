package pep440

import "strings"

// String returns r for people to read, e.g. ">=1.0, <2.0", "==1.2",
// "==1.*", "<1.0 or >=2.0", "any version" or "no version". Each interval is
// printed by its bounds. Where a stretch of versions is only partly in r
// (">" and "<" leave out local, post or dev releases next to their bound),
// it counts as in r when r holds its most ordinary kind of version there:
// a final or pre-release, else a post-release, else a dev release, else a
// local version.
func (r Range) String() string {
	switch {
	case r.IsEmpty():
		return "no version"
	case r.IsFull():
		return "any version"
	}
	if s := r.describe(); s != "" {
		return s
	}
	return "some versions of every release"
}

// describe prints r's intervals, or "" when they are none or unbounded.
func (r Range) describe() string {
	var parts []string
	for _, iv := range r.intervals() {
		parts = append(parts, intervalString(iv[0], iv[1]))
	}
	if len(parts) == 1 && parts[0] == "" {
		return ""
	}
	return strings.Join(parts, " or ")
}

// printOrder ranks the universes from the most ordinary kind of version.
var printOrder = []universe{0, uPost, uDev, uPost | uDev, uLocal, uLocal | uPost, uLocal | uDev, uLocal | uPost | uDev}

// intervals lists the maximal runs of segments that count as in r.
func (r Range) intervals() [][2]cut {
	var out [][2]cut
	open := false
	lo := canonAll(negInf)
	for i := 0; i <= len(r.cuts); i++ {
		hi := canonAll(posInf)
		if i < len(r.cuts) {
			hi = canonAll(r.cuts[i])
		}
		in := includedForPrint(r.mask(i), present(&lo, &hi))
		lo = hi
		lower, upper := r.segmentBounds(i)
		switch {
		case in && open:
			out[len(out)-1][1] = upper
		case in:
			out = append(out, [2]cut{lower, upper})
		}
		open = in
	}
	return out
}

// includedForPrint reports whether a segment holding the universes in p
// counts as in a range that includes those in m.
func includedForPrint(m, p mask) bool {
	for _, u := range printOrder {
		if p&(1<<u) != 0 {
			return m&(1<<u) != 0
		}
	}
	return false
}

func intervalString(lo, hi cut) string {
	if s, ok := exactString(lo, hi); ok {
		return s
	}
	l, h := lowerString(lo), upperString(hi)
	switch {
	case l == "":
		return h
	case h == "":
		return l
	}
	return l + ", " + h
}

// exactString spells intervals that are one version or one prefix.
func exactString(lo, hi cut) (string, bool) {
	switch {
	case lo.kind == cutBeforeLocal && hi.kind == cutAfterLocal && lo.v.Compare(hi.v) == 0:
		return "==" + lo.v.String(), true
	case lo.kind == cutAfterExact && hi.kind == cutBefore && hi.v.Compare(succ(lo.v)) == 0:
		return "==" + lo.v.String() + " with a local label", true
	case lo.kind != cutBefore:
		return "", false
	case hi.kind == cutAfterExact && hi.v.Compare(lo.v) == 0,
		hi.kind == cutBefore && hi.v.Compare(succ(lo.v)) == 0:
		return "==" + lo.v.String(), true
	case hi.kind == cutBefore && isReleaseStart(lo.v) && isReleaseStart(hi.v):
		next := lo.v.BaseVersion()
		last := len(next.release) - 1
		next.release = append(append([]num{}, next.release[:last]...), next.release[last].inc())
		if next.compareBase(hi.v) == 0 {
			return "==" + lo.v.BaseVersion().String() + ".*", true
		}
	}
	return "", false
}

// isReleaseStart reports whether v is the first version of its release (X.dev0).
func isReleaseStart(v Version) bool {
	return v.preL == "" && !v.hasPost && v.hasDev && v.dev.isZero()
}

// pred returns the public version whose successor is v, if any.
func pred(v Version) (Version, bool) {
	if !v.hasDev || v.local != nil {
		return Version{}, false
	}
	p := v
	switch {
	case !v.dev.isZero():
		p.dev = mkNum(decDigits(string(v.dev)))
	case !v.hasPost:
		return Version{}, false
	case v.post.isZero():
		p.post, p.hasPost, p.dev, p.hasDev = "", false, "", false
	default:
		p.post, p.dev, p.hasDev = mkNum(decDigits(string(v.post))), "", false
	}
	return p, true
}

// decDigits subtracts one from a positive decimal number.
func decDigits(d string) string {
	b := []byte(d)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != '0' {
			b[i]--
			break
		}
		b[i] = '9'
	}
	return string(b)
}

func lowerString(c cut) string {
	switch c.kind {
	case cutNegInf:
		return ""
	case cutBefore:
		if p, ok := pred(c.v); ok && c.v.dev.isZero() && c.v.hasPost {
			return ">" + p.String()
		}
		return ">=" + c.v.String()
	case cutBeforeLocal:
		return ">=" + c.v.String()
	case cutAfterRel:
		return ">" + c.v.String()
	}
	return ">" + c.v.String()
}

func upperString(c cut) string {
	switch c.kind {
	case cutPosInf:
		return ""
	case cutBefore:
		if isReleaseStart(c.v) {
			return "<" + c.v.BaseVersion().String()
		}
		if p, ok := pred(c.v); ok {
			return "<=" + p.String()
		}
		return "<" + c.v.String()
	case cutBeforeLocal:
		return "<" + c.v.String()
	case cutAfterRel:
		return "<=" + c.v.String() + ".post*"
	}
	return "<=" + c.v.String()
}
