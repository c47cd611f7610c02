package pep440

import "strings"

// Range returns the versions s contains with pre-releases allowed: the
// intersection of its clauses' ranges, Full for the empty set.
func (s SpecifierSet) Range() Range {
	r := Full()
	for _, sp := range s {
		r = r.Intersect(sp.Range())
	}
	return r
}

// Range returns the versions the clause contains with pre-releases allowed.
// Two cases are approximations, because a Range cannot tell apart versions
// that compare equal: "===" is the Singleton of the version it names when
// that is written in normal form (and Empty otherwise), and a "~=" whose
// version spells a suffix in upper case or with unusual separators keeps
// packaging's quirky prefix but not its sensitivity to trailing zeros.
func (s Specifier) Range() Range {
	switch s.Op {
	case "===":
		return arbitraryRange(s.Version)
	case "==":
		return equalRange(s.Version)
	case "!=":
		return equalRange(s.Version).Complement()
	case "~=":
		return compatibleRange(s.Version)
	}
	v, err := Parse(s.Version)
	if err != nil {
		return Empty()
	}
	switch s.Op {
	case ">=":
		return AtLeast(v)
	case "<=":
		return interval(negInf, afterAll(v), allUniverses)
	case "<":
		return lessRange(v)
	case ">":
		return greaterRange(v)
	}
	return Empty()
}

func arbitraryRange(text string) Range {
	v, err := Parse(text)
	if err != nil || !arbitraryEqual(v.String(), text) {
		return Empty()
	}
	return Singleton(v)
}

func equalRange(text string) Range {
	if prefix, ok := strings.CutSuffix(text, ".*"); ok {
		return prefixRange(canonicalizeVersion(prefix, false))
	}
	v, err := Parse(text)
	if err != nil {
		return Empty()
	}
	if len(v.local) > 0 {
		return Singleton(v)
	}
	return interval(before(v), afterAll(v), allUniverses)
}

// prefixRange is the range of "==prefix.*" for a canonical prefix: every
// version whose release, zero-padded, starts with the prefix's, or, when the
// prefix has pre, post or dev parts, whose parts start with those.
func prefixRange(canonical string) Range {
	v, err := Parse(canonical)
	if err != nil {
		return Empty()
	}
	switch {
	case v.hasDev:
		return interval(before(v), afterAll(v), allUniverses)
	case v.hasPost:
		next := v
		next.post = v.post.inc()
		return interval(before(withDev(v, true)), before(withDev(next, true)), allUniverses)
	case v.preL != "":
		next := v
		next.preN = v.preN.inc()
		return interval(before(withDev(v, true)), before(withDev(next, true)), allUniverses)
	}
	next := v.BaseVersion()
	last := len(next.release) - 1
	next.release = append(append([]num{}, v.release[:last]...), v.release[last].inc())
	return interval(releaseStart(v), releaseStart(next), allUniverses)
}

// compatibleRange is "~=V": ">=V" and packaging's prefix derived from V as
// written.
func compatibleRange(text string) Range {
	v, err := Parse(text)
	if err != nil {
		return Empty()
	}
	prefix := canonicalizeVersion(compatiblePrefix(text), false)
	return AtLeast(v).Intersect(prefixRange(prefix))
}

// lessRange is "<V": below V, without V's release's pre-releases unless V is
// one itself.
func lessRange(v Version) Range {
	if v.IsPrerelease() {
		return Below(v)
	}
	lower := interval(negInf, releaseStart(v), allUniverses)
	return lower.Union(interval(before(v.BaseVersion()), before(v), noDevUniverses))
}

// greaterRange is ">V": above V, without V's release's post-releases unless V
// is one, and without local versions of V's release.
func greaterRange(v Version) Range {
	within := publicUniverses
	if !v.IsPostrelease() {
		within = publicNoPost
	}
	upper := interval(releaseEnd(v), posInf, allUniverses)
	return upper.Union(interval(afterAll(v), releaseEnd(v), within))
}
