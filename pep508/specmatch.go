package pep508

import (
	"strings"
	"unicode/utf8"
)

// specOps lists the specifier operators in the order packaging's regular
// expression tries them.
var specOps = []string{"~=", "==", "!=", "<=", ">=", "<", ">", "==="}

// versionKind selects which branch of packaging's version pattern applies.
type versionKind int

const (
	versionEquality   versionKind = iota // after == or !=: wildcards and local labels allowed
	versionCompatible                    // after ~=: at least two release numbers
	versionOrdered                       // after <, <=, >, >=: no wildcard, no local label
)

// matchSpecifier matches one specifier clause at offset pos of src exactly as
// packaging's SPECIFIER token (its specifier regular expression, matched case
// insensitively) does. It returns the operator, the version with surrounding
// whitespace removed, and the offset after the match.
func matchSpecifier(src string, pos int) (op, version string, end int, ok bool) {
	for _, op := range specOps {
		if !strings.HasPrefix(src[pos:], op) {
			continue
		}
		v := pos + len(op)
		if end, ok := matchVersion(src, v); ok {
			return op, strings.TrimFunc(src[v:end], isPySpace), end, true
		}
	}
	return "", "", pos, false
}

// matchVersion tries the version alternatives, each guarded by a look-behind
// on the operator just matched, in the pattern's order.
func matchVersion(src string, v int) (int, bool) {
	if v >= 3 && src[v-3:v] == "===" {
		return matchArbitrary(src, v), true
	}
	behind := ""
	if v >= 2 {
		behind = src[v-2 : v]
	}
	switch behind {
	case "==", "!=":
		return matchVersionBody(src, v, versionEquality)
	case "~=":
		return matchVersionBody(src, v, versionCompatible)
	}
	return matchVersionBody(src, v, versionOrdered)
}

// matchArbitrary matches \s*[^\s;)]* (the === branch).
func matchArbitrary(src string, i int) int {
	i = skipPySpace(src, i)
	for i < len(src) {
		r, size := utf8.DecodeRuneInString(src[i:])
		if isPySpace(r) || r == ';' || r == ')' {
			break
		}
		i += size
	}
	return i
}

// matchVersionBody matches \s* v? epoch? release and the optional parts that
// the branch of kind allows.
func matchVersionBody(src string, i int, kind versionKind) (int, bool) {
	i = skipPySpace(src, i)
	if i < len(src) && (src[i] == 'v' || src[i] == 'V') {
		i++
	}
	if j := skipDigits(src, i); j > i && j < len(src) && src[j] == '!' {
		i = j + 1
	}
	j := skipDigits(src, i)
	if j == i {
		return 0, false
	}
	i = j
	parts := 1
	for i < len(src) && src[i] == '.' {
		k := skipDigits(src, i+1)
		if k == i+1 {
			break
		}
		i, parts = k, parts+1
	}
	if kind == versionCompatible && parts < 2 {
		return 0, false
	}
	if kind == versionEquality && strings.HasPrefix(src[i:], ".*") {
		return i + 2, true
	}
	i = matchPre(src, i)
	i = matchPost(src, i)
	i = matchDev(src, i)
	if kind == versionEquality {
		i = matchLocal(src, i, true)
	}
	return i, true
}

// matchPre matches ([-_.]?(alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?.
func matchPre(src string, i int) int {
	j := skipSep(src, i)
	for _, label := range []string{"alpha", "beta", "preview", "pre", "a", "b", "c", "rc"} {
		if hasFoldPrefix(src[j:], label) {
			return skipDigits(src, skipSep(src, j+len(label)))
		}
	}
	return i
}

// matchPost matches ((-[0-9]+)|([-_.]?(post|rev|r)[-_.]?[0-9]*))?.
func matchPost(src string, i int) int {
	if i < len(src) && src[i] == '-' {
		if j := skipDigits(src, i+1); j > i+1 {
			return j
		}
	}
	j := skipSep(src, i)
	for _, label := range []string{"post", "rev", "r"} {
		if hasFoldPrefix(src[j:], label) {
			return skipDigits(src, skipSep(src, j+len(label)))
		}
	}
	return i
}

// matchDev matches ([-_.]?dev[-_.]?[0-9]*)?.
func matchDev(src string, i int) int {
	j := skipSep(src, i)
	if hasFoldPrefix(src[j:], "dev") {
		return skipDigits(src, skipSep(src, j+3))
	}
	return i
}

// matchLocal matches (\+[a-z0-9]+([-_.][a-z0-9]+)*)?, with upper-case
// letters allowed when fold is set.
func matchLocal(src string, i int, fold bool) int {
	if i >= len(src) || src[i] != '+' {
		return i
	}
	j := skipLocalAlnum(src, i+1, fold)
	if j == i+1 {
		return i
	}
	for j < len(src) && strings.IndexByte("-_.", src[j]) >= 0 {
		k := skipLocalAlnum(src, j+1, fold)
		if k == j+1 {
			break
		}
		j = k
	}
	return j
}

func skipLocalAlnum(src string, i int, fold bool) int {
	for i < len(src) {
		c := src[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || fold && c >= 'A' && c <= 'Z') {
			break
		}
		i++
	}
	return i
}

func skipDigits(src string, i int) int {
	for i < len(src) && src[i] >= '0' && src[i] <= '9' {
		i++
	}
	return i
}

func skipSep(src string, i int) int {
	if i < len(src) && strings.IndexByte("-_.", src[i]) >= 0 {
		return i + 1
	}
	return i
}

// hasFoldPrefix reports whether s starts with the lower-case ASCII word w,
// ignoring ASCII case.
func hasFoldPrefix(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if c := s[i]; c != w[i] && c+'a'-'A' != w[i] {
			return false
		}
	}
	return true
}
