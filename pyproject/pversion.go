package pyproject

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/pylock/pylock/pep440"
)

// pversion is a version of a Poetry constraint as poetry-core's Version
// models it. pep440.Version gives all of it, including the release precision
// written ("1.2" stays two parts) that the caret and tilde rules and the
// printed bounds depend on, except one thing: pep440 prints numeric local
// segments without leading zeros ("1.0+01" as "1.0+1"), while poetry-core's
// Version.text keeps every local segment as written, only lower-cased, with
// "." separators ("1.0+01"). local keeps that spelling for text. The
// functions below are poetry-core's Version arithmetic (stable, next_major,
// ...); pep440 builds versions only by parsing, so they spell out each
// result and parse it.
type pversion struct {
	pep440.Version
	local string // the local label as poetry-core prints it, "" if none
}

// versionText matches the characters a version may have in poetry-core's
// patterns (versionChars); pep440.Parse alone would also take surrounding
// whitespace.
var versionText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^` + versionChars + `$`) })

// isVersion reports whether s is a PEP 440 version as versionText spells it.
func isVersion(s string) bool {
	if !versionText().MatchString(s) {
		return false
	}
	_, err := pep440.Parse(s)
	return err == nil
}

// parseVersion parses a version of a Poetry constraint. Unlike pep440.Parse
// it refuses what isVersion refuses, and numbers of math.MaxInt or more in
// the public version, so that the arithmetic here, which works on pep440's
// int accessors, neither saturates nor overflows.
func parseVersion(s string) (pversion, error) {
	if !versionText().MatchString(s) {
		return pversion{}, fmt.Errorf("invalid version %q", s)
	}
	v, err := pep440.Parse(s)
	if err != nil {
		return pversion{}, err
	}
	notDigit := func(r rune) bool { return r < '0' || r > '9' }
	for _, digits := range strings.FieldsFunc(v.Public().String(), notDigit) {
		if n, err := strconv.Atoi(digits); err != nil || n == math.MaxInt {
			return pversion{}, fmt.Errorf("number %q is too large", digits)
		}
	}
	return pversion{Version: v, local: spelledLocal(s)}, nil
}

// spelledLocal returns the local label of the version s as poetry-core
// prints it.
func spelledLocal(s string) string {
	_, local, _ := strings.Cut(s, "+")
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return '.'
		}
		return unicode.ToLower(r)
	}, local)
}

// text is poetry-core's Version.text: pep440's normal form, which keeps the
// written release precision, with the local label as written.
func (v pversion) text() string {
	if v.local == "" {
		return v.String()
	}
	return v.Public().String() + "+" + v.local
}

// spell returns the version with v's epoch, the given release and suffix
// (pre, post, dev and local parts).
func spell(v pversion, release []int, suffix string) pversion {
	s := joinInts(release) + suffix
	if e := v.Epoch(); e != 0 {
		s = strconv.Itoa(e) + "!" + s
	}
	return pversion{Version: pep440.MustParse(s), local: spelledLocal(s)}
}

func joinInts(parts []int) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ".")
}

func hasPre(v pversion) bool {
	_, _, ok := v.Pre()
	return ok
}

func preSuffix(v pversion) string {
	if label, n, ok := v.Pre(); ok {
		return label + strconv.Itoa(n)
	}
	return ""
}

func postSuffix(v pversion) string {
	if n, ok := v.Post(); ok {
		return ".post" + strconv.Itoa(n)
	}
	return ""
}

// stable drops the pre and dev segments (and the post segment of a
// pre-release), as poetry-core's Version.stable does.
func stable(v pversion) pversion {
	switch {
	case !v.IsPrerelease():
		return v
	case hasPre(v):
		return spell(v, v.Release(), "")
	}
	return spell(v, v.Release(), postSuffix(v))
}

func incrementRequired(v pversion) bool {
	return !hasPre(v) && (!v.IsDevrelease() || v.IsPostrelease())
}

// nonZeroFrom reports whether a release part at index n or later is not 0.
func nonZeroFrom(r []int, n int) bool {
	for _, p := range r[min(n, len(r)):] {
		if p != 0 {
			return true
		}
	}
	return false
}

// nextAt is poetry-core's next_major (part 0), next_minor (1) and
// next_patch (2): v's release bumped at part, except for a pre- or dev
// release whose parts after part are all zero, whose own release is next.
func nextAt(v pversion, part int) pversion {
	r := v.Release()
	if incrementRequired(v) || nonZeroFrom(r, part+1) {
		r = bump(r, part)
	}
	return spell(v, r, "")
}

// nextBreaking is the caret rule's upper bound.
func nextBreaking(v pversion) pversion {
	r := v.Release()
	switch {
	case r[0] > 0 || len(r) == 1:
		return nextAt(stable(v), 0)
	case r[1] > 0 || len(r) == 2:
		return nextAt(stable(v), 1)
	default:
		return nextAt(stable(v), 2)
	}
}

func nextStable(v pversion) pversion {
	r := v.Release()
	if !v.IsPrerelease() {
		r = bump(r, len(r)-1)
	}
	local := ""
	if v.local != "" {
		local = "+" + v.local
	}
	return spell(v, r, local)
}

func nextPostrelease(v pversion) pversion {
	post, ok := v.Post()
	if ok && !v.IsDevrelease() {
		post++
	}
	return spell(v, v.Release(), preSuffix(v)+".post"+strconv.Itoa(post))
}

func nextPrerelease(v pversion) pversion {
	label, n, ok := v.Pre()
	switch {
	case !ok:
		label = "a"
	case !v.IsDevrelease() || v.IsPostrelease():
		n++
	}
	return spell(v, v.Release(), label+strconv.Itoa(n))
}

func nextDevrelease(v pversion) pversion {
	dev, ok := v.Dev()
	if ok {
		dev++
	}
	return spell(v, v.Release(), preSuffix(v)+postSuffix(v)+".dev"+strconv.Itoa(dev))
}

func firstDevrelease(v pversion) pversion {
	return spell(v, v.Release(), preSuffix(v)+postSuffix(v)+".dev0")
}

func padRelease(r []int, n int) []int {
	out := append([]int(nil), r...)
	for len(out) < n {
		out = append(out, 0)
	}
	return out
}

// bump returns r with part i increased by one and the parts after it zero,
// padded with zeros to reach part i.
func bump(r []int, i int) []int {
	out := padRelease(r, i+1)
	out[i]++
	clear(out[i+1:])
	return out
}

func trimZeros(r []int) []int {
	for len(r) > 0 && r[len(r)-1] == 0 {
		r = r[:len(r)-1]
	}
	return r
}
