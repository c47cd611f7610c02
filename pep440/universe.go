package pep440

// The versions fall into eight universes by three properties: whether they
// carry a local label, a post-release part and a dev-release part. Within one
// universe every specifier is a plain union of intervals, so a Range keeps,
// for each segment between its cuts, the set of universes it includes.
type universe uint8

const (
	uLocal universe = 1 << iota
	uPost
	uDev
)

// mask is a set of universes, bit u for universe u.
type mask uint8

const allUniverses mask = 0xFF

func universeOf(v Version) universe {
	var u universe
	if len(v.local) > 0 {
		u |= uLocal
	}
	if v.hasPost {
		u |= uPost
	}
	if v.hasDev {
		u |= uDev
	}
	return u
}

// universesWhere is the mask of universes for which keep is true.
func universesWhere(keep func(universe) bool) mask {
	var m mask
	for u := universe(0); u < 8; u++ {
		if keep(u) {
			m |= 1 << u
		}
	}
	return m
}

var (
	publicUniverses = universesWhere(func(u universe) bool { return u&uLocal == 0 })
	publicNoPost    = universesWhere(func(u universe) bool { return u&(uLocal|uPost) == 0 })
	noDevUniverses  = universesWhere(func(u universe) bool { return u&uDev == 0 })
)

// minVersion is the smallest version there is.
var minVersion = Version{epoch: "0", release: []num{"0"}, dev: "0", hasDev: true}

// nextIn is the smallest public version at or above public w whose post and
// dev presence match u; ok is false when none has w's release, in which case
// the next one lies beyond every version of that release.
func nextIn(w Version, u universe) (Version, bool) {
	wantPost, wantDev := u&uPost != 0, u&uDev != 0
	if w.hasPost == wantPost && w.hasDev == wantDev {
		return w, true
	}
	if w.preL == "" && (w.hasPost || !w.hasDev) {
		return nextInFinalGroup(w, wantPost, wantDev)
	}
	q := w
	if q.preL == "" { // a dev-only release: the pre-releases start at a0
		q.preL, q.preN = "a", "0"
	}
	q.dev, q.hasDev = "", false
	return nextInPreGroup(q, w, wantPost, wantDev), true
}

// nextInPreGroup handles w inside pre-release q's group (q carries no dev
// part; its post part is w's, or none for a dev-only w).
func nextInPreGroup(q, w Version, wantPost, wantDev bool) Version {
	fresh := w.preL == "" // w sorted below every pre-release
	switch {
	case !wantPost && (fresh || !q.hasPost && w.hasDev):
		return withDev(q, wantDev)
	case !wantPost:
		q.post, q.hasPost = "", false
		q.preN = q.preN.inc()
		return withDev(q, wantDev)
	case fresh || !q.hasPost:
		q.post, q.hasPost = "0", true
		return withDev(q, wantDev)
	case wantDev: // w is q.postN, want q.post(N+1).dev0
		q.post = q.post.inc()
		return withDev(q, true)
	}
	return q // w is q.postN.devM, want q.postN
}

// nextInFinalGroup handles w among the final release and its post-releases.
func nextInFinalGroup(w Version, wantPost, wantDev bool) (Version, bool) {
	if !wantPost {
		return Version{}, false
	}
	q := w
	q.dev, q.hasDev = "", false
	switch {
	case !w.hasPost:
		q.post, q.hasPost = "0", true
	case wantDev && !w.hasDev:
		q.post = q.post.inc()
	}
	return withDev(q, wantDev), true
}

func withDev(v Version, dev bool) Version {
	if dev {
		v.dev, v.hasDev = "0", true
	}
	return v
}

// canon maps c to the one cut, among those with no version of universe u
// between them and c, that is used for comparisons within u: two canonical
// cuts differ exactly when some version of u lies between them.
func (c cut) canon(u universe) cut {
	switch c.kind {
	case cutBefore:
		return beforeIn(c.v, u)
	case cutAfterExact:
		if u&uLocal != 0 {
			return beforeIn(c.v, u)
		}
		return beforeIn(succ(c.v), u)
	case cutBeforeLocal, cutAfterLocal:
		p := c.v.Public()
		switch {
		case u&uLocal == 0:
			return beforeIn(succ(p), u)
		case universeOf(p)|uLocal != u:
			return beforeIn(p, u)
		}
	}
	return c
}

// beforeIn is the canonical cut in u just below public w.
func beforeIn(w Version, u universe) cut {
	n, ok := nextIn(w, u)
	if !ok {
		return releaseEnd(w)
	}
	if n.comparePublic(leastIn[u]) == 0 {
		return negInf
	}
	return cut{kind: cutBefore, v: n}
}

// leastIn holds the smallest public version of each universe.
var leastIn = func() (least [8]Version) {
	for u := range least {
		least[u], _ = nextIn(minVersion, universe(u))
	}
	return least
}()

// canonCuts is a cut's canonical form in each universe.
type canonCuts [8]cut

func canonAll(c cut) canonCuts {
	var out canonCuts
	for u := range out {
		out[u] = c.canon(universe(u))
	}
	return out
}

// present is the set of universes with some version between the cuts whose
// canonical forms are lo and hi.
func present(lo, hi *canonCuts) mask {
	var m mask
	for u := range lo {
		if compareCuts(lo[u], hi[u]) < 0 {
			m |= 1 << u
		}
	}
	return m
}
