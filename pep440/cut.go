package pep440

// A cut splits the versions into those below it and those above it. Ranges
// are sequences of cuts; these kinds are enough to express every specifier
// exactly.
type cutKind uint8

const (
	cutNegInf      cutKind = iota // below every version
	cutBefore                     // {x < v}, v public: just before v and its local versions
	cutAfterExact                 // {x <= v}, v public: after v, before its local versions
	cutBeforeLocal                // {x < v}, v local
	cutAfterLocal                 // {x <= v}, v local
	cutAfterRel                   // after every version whose epoch and release equal v's
	cutPosInf                     // above every version
)

type cut struct {
	kind cutKind
	v    Version
}

var (
	negInf = cut{kind: cutNegInf}
	posInf = cut{kind: cutPosInf}
)

// before is the cut just below v: below its local variants too when v is public.
func before(v Version) cut {
	if len(v.local) > 0 {
		return cut{kind: cutBeforeLocal, v: v}
	}
	return cut{kind: cutBefore, v: v}
}

// after is the cut just above v alone (not its local variants).
func after(v Version) cut {
	if len(v.local) > 0 {
		return cut{kind: cutAfterLocal, v: v}
	}
	return cut{kind: cutAfterExact, v: v}
}

// afterAll is the cut above public v and all its local variants.
func afterAll(v Version) cut { return cut{kind: cutBefore, v: succ(v)} }

// releaseStart is the cut below every version of v's epoch and release.
func releaseStart(v Version) cut {
	return cut{kind: cutBefore, v: Version{epoch: v.epoch, release: v.release, dev: "0", hasDev: true}}
}

// releaseEnd is the cut above every version of v's epoch and release.
func releaseEnd(v Version) cut { return cut{kind: cutAfterRel, v: v.BaseVersion()} }

// below reports whether x lies above c (c is below x).
func (c cut) below(x Version) bool {
	switch c.kind {
	case cutNegInf:
		return true
	case cutBefore, cutBeforeLocal:
		return x.Compare(c.v) >= 0
	case cutAfterExact, cutAfterLocal:
		return x.Compare(c.v) > 0
	case cutAfterRel:
		return x.compareBase(c.v) > 0
	}
	return false
}

// compareCuts orders cuts by position.
func compareCuts(a, b cut) int {
	if c := cmpInt(infRank(a), infRank(b)); c != 0 || a.kind == cutNegInf || a.kind == cutPosInf {
		return c
	}
	switch {
	case a.kind == cutAfterRel && b.kind == cutAfterRel:
		return a.v.compareBase(b.v)
	case a.kind == cutAfterRel:
		return -afterRelVs(b, a)
	case b.kind == cutAfterRel:
		return afterRelVs(a, b)
	}
	if c := a.v.comparePublic(b.v); c != 0 {
		return c
	}
	if c := cmpInt(subRank(a.kind), subRank(b.kind)); c != 0 || a.kind == cutBefore || a.kind == cutAfterExact {
		return c
	}
	if c := compareLocal(a.v.local, b.v.local); c != 0 {
		return c
	}
	return cmpInt(int(a.kind), int(b.kind))
}

// afterRelVs compares a cut that carries a version with an after-release cut.
func afterRelVs(a, rel cut) int {
	if a.v.compareBase(rel.v) <= 0 {
		return -1
	}
	return 1
}

func infRank(c cut) int {
	switch c.kind {
	case cutNegInf:
		return -1
	case cutPosInf:
		return 1
	}
	return 0
}

func subRank(k cutKind) int {
	switch k {
	case cutBefore:
		return 0
	case cutAfterExact:
		return 1
	}
	return 2
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// succ is the next public version after public v: nothing but v's local
// variants lies between them.
func succ(v Version) Version {
	w := v.Public()
	switch {
	case v.hasDev:
		w.dev = v.dev.inc()
	case v.hasPost:
		w.post, w.dev, w.hasDev = v.post.inc(), "0", true
	default:
		w.post, w.hasPost, w.dev, w.hasDev = "0", true, "0", true
	}
	return w
}
