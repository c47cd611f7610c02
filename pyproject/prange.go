package pyproject

import "strconv"

// prange is poetry-core's VersionRange: a nil bound is unbounded.
type prange struct {
	min, max       *pversion
	incMin, incMax bool
}

// allowedMax is the bound poetry compares upper ends with: "<V" for a final
// V stops before V's first dev release.
func (r prange) allowedMax() *pversion {
	switch {
	case r.max == nil:
		return nil
	case r.incMax || r.max.IsPrerelease():
		return r.max
	case r.min != nil && r.min.Compare(r.max.Version) == 0 && (r.incMin || r.incMax):
		return r.max
	}
	d := firstDevrelease(*r.max)
	return &d
}

func (r prange) allowsLower(o prange) bool {
	switch {
	case r.min == nil:
		return o.min != nil
	case o.min == nil:
		return false
	}
	if c := r.min.Compare(o.min.Version); c != 0 {
		return c < 0
	}
	return r.incMin && !o.incMin
}

func (r prange) allowsHigher(o prange) bool {
	this, other := r.allowedMax(), o.allowedMax()
	switch {
	case this == nil:
		return other != nil
	case other == nil:
		return false
	}
	if c := this.Compare(other.Version); c != 0 {
		return c > 0
	}
	return r.incMax && !o.incMax
}

func (r prange) strictlyLower(o prange) bool {
	this := r.allowedMax()
	if this == nil || o.min == nil {
		return false
	}
	if c := this.Compare(o.min.Version); c != 0 {
		return c < 0
	}
	return !(r.incMax && o.incMin)
}

// intersect is VersionRange.intersect for two ranges; ok is false when they
// do not overlap. Ranges that meet in one version give the degenerate range
// [v, v], which clauses prints as "==v".
func (r prange) intersect(o prange) (out prange, ok bool) {
	if r.allowsLower(o) {
		if r.strictlyLower(o) {
			return prange{}, false
		}
		out.min, out.incMin = o.min, o.incMin
	} else {
		if o.strictlyLower(r) {
			return prange{}, false
		}
		out.min, out.incMin = r.min, r.incMin
	}
	if r.allowsHigher(o) {
		out.max, out.incMax = o.max, o.incMax
	} else {
		out.max, out.incMax = r.max, r.incMax
	}
	if out.isExact() && (!out.incMin || !out.incMax) {
		return prange{}, false
	}
	return out, true
}

func (r prange) isExact() bool {
	return r.min != nil && r.max != nil && r.min.Compare(r.max.Version) == 0
}

// clauses prints the range as poetry-core's str(VersionRange) does, as
// PEP 440 clauses: a single wildcard range prints as "==W.*".
func (r prange) clauses() []string {
	if r.isExact() {
		return []string{"==" + r.min.text()}
	}
	if w, ok := r.wildcard(); ok {
		return []string{"==" + w}
	}
	var out []string
	if r.min != nil {
		op := ">"
		if r.incMin {
			op = ">="
		}
		out = append(out, op+r.min.text())
	}
	if r.max != nil {
		op := "<"
		if r.incMax {
			op = "<="
		}
		out = append(out, op+r.max.text())
	}
	return out
}

// wildcard reports whether the range [min, max) is exactly "W.*" and returns
// W.* (poetry-core's _is_wildcard_candidate and
// _single_wildcard_range_string). Post-release wildcards, which poetry-core
// prints as the invalid "==1.0.post1.*", are not reported, so they print as
// their explicit bounds.
func (r prange) wildcard() (string, bool) {
	if r.min == nil || r.max == nil || !r.incMin || r.incMax {
		return "", false
	}
	lo, hi := *r.min, *r.max
	if !wildcardBounds(lo, hi) {
		return "", false
	}
	second := trimZeros(hi.Release())
	if len(second) == 0 {
		return "", false
	}
	first := padRelease(lo.Release(), len(second))
	for _, p := range first[len(second):] {
		if p != 0 {
			return "", false
		}
	}
	first = first[:len(second)]
	last := len(second) - 1
	for i := 0; i < last; i++ {
		if first[i] != second[i] {
			return "", false
		}
	}
	if first[last]+1 != second[last] {
		return "", false
	}
	base := append([]int(nil), second...)
	base[last]--
	prefix := ""
	if lo.Epoch() != 0 {
		prefix = strconv.Itoa(lo.Epoch()) + "!"
	}
	return prefix + joinInts(base) + ".*", true
}

// wildcardBounds reports whether lo and hi can bound a wildcard range: the
// same epoch, no local, pre or post part, lo a ".dev0" release and hi a
// ".dev0" or final release.
func wildcardBounds(lo, hi pversion) bool {
	plain := func(v pversion) bool { return !v.HasLocal() && !hasPre(v) && !v.IsPostrelease() }
	return lo.Epoch() == hi.Epoch() && plain(lo) && plain(hi) &&
		lo.Compare(firstDevrelease(lo).Version) == 0 &&
		(!hi.IsDevrelease() || hi.Compare(firstDevrelease(hi).Version) == 0)
}

// negatedClauses prints the complement of a wildcard range: "!=W.*" when it is
// one, else two alternatives "<min" and ">=max".
func (r prange) negatedClauses() [][]string {
	if w, ok := r.wildcard(); ok {
		return [][]string{{"!=" + w}}
	}
	return [][]string{{"<" + r.min.text()}, {">=" + r.max.text()}}
}
