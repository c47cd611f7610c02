package pyproject

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// pversion is a version as poetry-core models it: it keeps the precision of
// the release segment that was written ("1.2" stays two parts), which the
// caret and tilde rules and poetry's printed bounds depend on.
type pversion struct {
	epoch   int
	release []int
	pre     *ptag // phase "a", "b" or "rc"
	post    *ptag
	dev     *ptag
	local   []string
}

// ptag is one pre, post or dev segment.
type ptag struct {
	phase string
	n     int
}

// versionPattern is packaging's VERSION_PATTERN, which poetry-core uses.
const versionPattern = `v?(?:(?:(?P<epoch>[0-9]+)!)?(?P<release>[0-9]+(?:\.[0-9]+)*)` +
	`(?P<pre>[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>[0-9]+)?)?` +
	`(?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?))?` +
	`(?P<dev>[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>[0-9]+)?)?)` +
	`(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?`

var versionRE = regexp.MustCompile(`(?i)^` + versionPattern + `$`)

var prePhases = map[string]string{
	"a": "a", "alpha": "a", "b": "b", "beta": "b",
	"c": "rc", "pre": "rc", "preview": "rc", "rc": "rc",
}

// parsePVersion parses a version the way poetry-core's PEP440Parser does.
func parsePVersion(s string) (pversion, error) {
	m := versionRE.FindStringSubmatch(s)
	if m == nil {
		return pversion{}, fmt.Errorf("invalid version %q", s)
	}
	g := func(name string) string { return m[versionRE.SubexpIndex(name)] }
	var v pversion
	var err error
	if e := g("epoch"); e != "" {
		if v.epoch, err = atoi(e); err != nil {
			return pversion{}, err
		}
	}
	for _, part := range strings.Split(g("release"), ".") {
		n, err := atoi(part)
		if err != nil {
			return pversion{}, err
		}
		v.release = append(v.release, n)
	}
	if g("pre") != "" {
		if v.pre, err = newTag(prePhases[strings.ToLower(g("pre_l"))], g("pre_n")); err != nil {
			return pversion{}, err
		}
	}
	if g("post") != "" {
		if v.post, err = newTag("post", g("post_n1")+g("post_n2")); err != nil {
			return pversion{}, err
		}
	}
	if g("dev") != "" {
		if v.dev, err = newTag("dev", g("dev_n")); err != nil {
			return pversion{}, err
		}
	}
	if l := g("local"); l != "" {
		v.local = strings.FieldsFunc(strings.ToLower(l), func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	}
	return v, nil
}

func newTag(phase, n string) (*ptag, error) {
	t := &ptag{phase: phase}
	if n != "" {
		var err error
		if t.n, err = atoi(n); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func atoi(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("number %q is too large", s)
	}
	return n, nil
}

// text is poetry-core's Version.text: the normalized spelling that keeps the
// written precision.
func (v pversion) text() string {
	var b strings.Builder
	if v.epoch != 0 {
		fmt.Fprintf(&b, "%d!", v.epoch)
	}
	b.WriteString(joinInts(v.release))
	if v.pre != nil {
		fmt.Fprintf(&b, "%s%d", v.pre.phase, v.pre.n)
	}
	if v.post != nil {
		fmt.Fprintf(&b, ".post%d", v.post.n)
	}
	if v.dev != nil {
		fmt.Fprintf(&b, ".dev%d", v.dev.n)
	}
	if len(v.local) > 0 {
		b.WriteString("+" + strings.Join(v.local, "."))
	}
	return b.String()
}

func joinInts(parts []int) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ".")
}

func (v pversion) isStable() bool { return v.pre == nil && v.dev == nil }

// stable drops the pre and dev segments (and the post segment of a
// pre-release), as poetry-core's Version.stable does.
func (v pversion) stable() pversion {
	if v.isStable() {
		return v
	}
	out := pversion{epoch: v.epoch, release: v.release}
	if v.pre == nil {
		out.post = v.post
	}
	return out
}

func (v pversion) incrementRequired() bool {
	return v.isStable() || (v.pre == nil && v.post != nil)
}

// bumped returns v's epoch with a new release and nothing else.
func (v pversion) bumped(release []int) pversion {
	return pversion{epoch: v.epoch, release: release}
}

func (v pversion) nextMajor() pversion {
	r := v.release
	if v.incrementRequired() || compareRelease(padRelease(r[:1], 3), r) < 0 {
		r = releaseNextMajor(r)
	}
	return v.bumped(r)
}

func (v pversion) nextMinor() pversion {
	r := v.release
	if v.incrementRequired() || compareRelease(padRelease(r[:min(2, len(r))], 3), r) < 0 {
		r = releaseNextMinor(r)
	}
	return v.bumped(r)
}

func (v pversion) nextPatch() pversion {
	r := v.release
	if v.incrementRequired() || compareRelease(padRelease(r[:min(3, len(r))], 3), r) < 0 {
		r = releaseNextPatch(r)
	}
	return v.bumped(r)
}

// nextBreaking is the caret rule's upper bound.
func (v pversion) nextBreaking() pversion {
	r := v.release
	switch {
	case r[0] > 0 || len(r) == 1:
		return v.stable().nextMajor()
	case r[1] > 0 || len(r) == 2:
		return v.stable().nextMinor()
	default:
		return v.stable().nextPatch()
	}
}

func (v pversion) nextStable() pversion {
	r := v.release
	if v.isStable() {
		r = releaseNext(r)
	}
	return pversion{epoch: v.epoch, release: r, local: v.local}
}

func (v pversion) nextPostrelease() pversion {
	post := &ptag{phase: "post"}
	if v.post != nil {
		post = v.post
		if v.dev == nil {
			post = &ptag{phase: "post", n: v.post.n + 1}
		}
	}
	return pversion{epoch: v.epoch, release: v.release, pre: v.pre, post: post}
}

func (v pversion) nextPrerelease() pversion {
	pre := &ptag{phase: "a"}
	if v.pre != nil {
		pre = v.pre
		if v.dev == nil || v.post != nil {
			pre = &ptag{phase: v.pre.phase, n: v.pre.n + 1}
		}
	}
	return pversion{epoch: v.epoch, release: v.release, pre: pre}
}

func (v pversion) nextDevrelease() pversion {
	dev := &ptag{phase: "dev"}
	if v.dev != nil {
		dev = &ptag{phase: "dev", n: v.dev.n + 1}
	}
	return pversion{epoch: v.epoch, release: v.release, pre: v.pre, post: v.post, dev: dev}
}

func (v pversion) firstDevrelease() pversion {
	return pversion{epoch: v.epoch, release: v.release, pre: v.pre, post: v.post, dev: &ptag{phase: "dev"}}
}

func padRelease(r []int, n int) []int {
	out := append([]int(nil), r...)
	for len(out) < n {
		out = append(out, 0)
	}
	return out
}

func releaseNextMajor(r []int) []int {
	out := make([]int, len(r))
	out[0] = r[0] + 1
	return out
}

func releaseNextMinor(r []int) []int {
	if len(r) == 1 {
		return []int{r[0], 1}
	}
	out := make([]int, len(r))
	out[0], out[1] = r[0], r[1]+1
	return out
}

func releaseNextPatch(r []int) []int {
	if len(r) < 3 {
		return []int{r[0], padRelease(r, 2)[1], 1}
	}
	out := make([]int, len(r))
	out[0], out[1], out[2] = r[0], r[1], r[2]+1
	return out
}

func releaseNext(r []int) []int {
	switch len(r) {
	case 1:
		return releaseNextMajor(r)
	case 2:
		return releaseNextMinor(r)
	case 3:
		return releaseNextPatch(r)
	}
	out := append([]int(nil), r...)
	out[len(out)-1]++
	return out
}

// compareRelease compares release segments with trailing zeros ignored.
func compareRelease(a, b []int) int {
	a, b = trimZeros(a), trimZeros(b)
	for i := 0; i < len(a) || i < len(b); i++ {
		x, y := at(a, i), at(b, i)
		if x != y {
			return cmpInt(x, y)
		}
	}
	return 0
}

func trimZeros(r []int) []int {
	for len(r) > 0 && r[len(r)-1] == 0 {
		r = r[:len(r)-1]
	}
	return r
}

func at(r []int, i int) int {
	if i < len(r) {
		return r[i]
	}
	return 0
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

// compare orders versions as poetry-core (and packaging) do.
func (v pversion) compare(w pversion) int {
	if c := cmpInt(v.epoch, w.epoch); c != 0 {
		return c
	}
	if c := compareRelease(v.release, w.release); c != 0 {
		return c
	}
	for _, c := range []int{
		compareKey(v.preKey(), w.preKey()),
		compareKey(tagKey(v.post, -1), tagKey(w.post, -1)),
		compareKey(tagKey(v.dev, 1), tagKey(w.dev, 1)),
	} {
		if c != 0 {
			return c
		}
	}
	return compareLocal(v.local, w.local)
}

// key is a sort key: inf is -1 (below everything), 0 (a value) or 1 (above
// everything); rank and n order values.
type key struct {
	inf     int
	rank, n int
}

func compareKey(a, b key) int {
	if a.inf != b.inf {
		return cmpInt(a.inf, b.inf)
	}
	if c := cmpInt(a.rank, b.rank); c != 0 {
		return c
	}
	return cmpInt(a.n, b.n)
}

func tagKey(t *ptag, missing int) key {
	if t == nil {
		return key{inf: missing}
	}
	return key{n: t.n}
}

func (v pversion) preKey() key {
	switch {
	case v.pre == nil && v.post == nil && v.dev != nil:
		return key{inf: -1}
	case v.pre == nil:
		return key{inf: 1}
	}
	return key{rank: map[string]int{"a": 0, "b": 1, "rc": 2}[v.pre.phase], n: v.pre.n}
}

func compareLocal(a, b []string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := compareLocalPart(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmpInt(len(a), len(b))
}

func compareLocalPart(a, b string) int {
	na, ea := strconv.Atoi(a)
	nb, eb := strconv.Atoi(b)
	switch {
	case ea == nil && eb == nil:
		return cmpInt(na, nb)
	case ea == nil:
		return 1
	case eb == nil:
		return -1
	}
	return strings.Compare(a, b)
}
