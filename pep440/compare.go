package pep440

import "strings"

// Compare returns -1, 0 or +1 as v sorts before, equal to or after w in
// packaging's total order: epoch, release (trailing zeros ignored), then
// dev-only < pre-releases < final < post-releases, dev before the release it
// belongs to, and a local label after the public version it extends.
func (v Version) Compare(w Version) int {
	if c := v.comparePublic(w); c != 0 {
		return c
	}
	return compareLocal(v.local, w.local)
}

// comparePublic compares v and w ignoring local labels.
func (v Version) comparePublic(w Version) int {
	if c := v.compareBase(w); c != 0 {
		return c
	}
	if c := v.preRank().cmp(w.preRank()); c != 0 {
		return c
	}
	if c := cmpOptNum(v.post, v.hasPost, w.post, w.hasPost, -1); c != 0 {
		return c
	}
	return cmpOptNum(v.dev, v.hasDev, w.dev, w.hasDev, +1)
}

// compareBase compares epochs and releases only.
func (v Version) compareBase(w Version) int {
	if c := cmpNum(v.epoch, w.epoch); c != 0 {
		return c
	}
	return compareRelease(v.release, w.release)
}

// compareRelease compares releases as if padded with zeros.
func compareRelease(a, b []num) int {
	n := max(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := num("0"), num("0")
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if c := cmpNum(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// preKey orders the pre-release part: rank -1 for a dev-only release, +1 for
// no pre-release, 0 with label and number for a pre-release.
type preKey struct {
	rank  int
	label string
	n     num
}

func (v Version) preRank() preKey {
	switch {
	case v.preL == "" && !v.hasPost && v.hasDev:
		return preKey{rank: -1}
	case v.preL == "":
		return preKey{rank: 1}
	}
	return preKey{label: v.preL, n: v.preN}
}

func (p preKey) cmp(q preKey) int {
	if p.rank != q.rank {
		if p.rank < q.rank {
			return -1
		}
		return 1
	}
	if c := strings.Compare(p.label, q.label); c != 0 {
		return c
	}
	return cmpNum(p.n, q.n)
}

// cmpOptNum compares optional numbers; an absent one sorts at the side given
// by absent (-1 first, +1 last).
func cmpOptNum(a num, hasA bool, b num, hasB bool, absent int) int {
	switch {
	case hasA && hasB:
		return cmpNum(a, b)
	case hasA == hasB:
		return 0
	case !hasA:
		return absent
	}
	return -absent
}

// compareLocal orders local labels: none first, then segment by segment with
// numbers above strings, and a label above its own prefixes.
func compareLocal(a, b []localPart) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := a[i].cmp(b[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

func (p localPart) cmp(q localPart) int {
	switch {
	case p.isNum && q.isNum:
		return cmpNum(num(p.s), num(q.s))
	case p.isNum:
		return 1
	case q.isNum:
		return -1
	}
	return strings.Compare(p.s, q.s)
}
