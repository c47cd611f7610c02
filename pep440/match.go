package pep440

import (
	"regexp"
	"strings"
	"sync"
)

// matches reports whether v satisfies s with pre-releases allowed, following
// packaging 24.2's operator methods exactly.
func (s Specifier) matches(v Version) bool {
	switch s.Op {
	case "===":
		return arbitraryEqual(v.String(), s.Version)
	case "~=":
		return s.matchGE(v) && prefixMatch(v, compatiblePrefix(s.Version))
	case "==":
		return s.matchEqual(v)
	case "!=":
		return !s.matchEqual(v)
	}
	spec, err := Parse(s.Version)
	if err != nil {
		return false
	}
	switch s.Op {
	case "<=":
		return v.Public().Compare(spec) <= 0
	case ">=":
		return v.Public().Compare(spec) >= 0
	case "<":
		return lessThan(v, spec)
	case ">":
		return greaterThan(v, spec)
	}
	return false
}

func (s Specifier) matchGE(v Version) bool {
	spec, err := Parse(s.Version)
	return err == nil && v.Public().Compare(spec) >= 0
}

func (s Specifier) matchEqual(v Version) bool {
	if prefix, ok := strings.CutSuffix(s.Version, ".*"); ok {
		return prefixMatch(v, prefix)
	}
	spec, err := Parse(s.Version)
	if err != nil {
		return false
	}
	if len(spec.local) == 0 {
		v = v.Public()
	}
	return v.Compare(spec) == 0
}

// lessThan is "<": below spec, and not a pre-release of spec's release unless
// spec is itself a pre-release.
func lessThan(v, spec Version) bool {
	if v.Compare(spec) >= 0 {
		return false
	}
	return spec.IsPrerelease() || !v.IsPrerelease() || v.compareBase(spec) != 0
}

// greaterThan is ">": above spec, not a post-release of spec's release unless
// spec is one, and not a local version of spec's release.
func greaterThan(v, spec Version) bool {
	if v.Compare(spec) <= 0 {
		return false
	}
	sameBase := v.compareBase(spec) == 0
	if !spec.IsPostrelease() && v.IsPostrelease() && sameBase {
		return false
	}
	return !(len(v.local) > 0 && sameBase)
}

// prefixMatch is packaging's "==prefix.*": the split public normal form of v,
// zero-padded, starts with the split canonical prefix.
func prefixMatch(v Version, prefix string) bool {
	spec := versionSplit(canonicalizeVersion(prefix, false))
	pro := padRelease(versionSplit(v.Public().String()), spec)
	if len(pro) < len(spec) {
		return false
	}
	for i := range spec {
		if pro[i] != spec[i] {
			return false
		}
	}
	return true
}

var splitPrefixRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([0-9]+)((?:a|b|c|rc)[0-9]+)$`) })

// versionSplit is packaging's _version_split: the epoch ("0" if absent), then
// the dot-separated items, with "1rc2" split into "1" and "rc2".
func versionSplit(s string) []string {
	epoch, rest := "", s
	if i := strings.LastIndex(s, "!"); i >= 0 {
		epoch, rest = s[:i], s[i+1:]
	}
	if epoch == "" {
		epoch = "0"
	}
	out := []string{epoch}
	for _, item := range strings.Split(rest, ".") {
		if m := splitPrefixRe().FindStringSubmatch(item); m != nil {
			out = append(out, m[1], m[2])
		} else {
			out = append(out, item)
		}
	}
	return out
}

// leadingDigits counts the leading all-digit items.
func leadingDigits(items []string) int {
	n := 0
	for n < len(items) && isDigits(items[n]) {
		n++
	}
	return n
}

// padRelease is packaging's _pad_version for the left side: zeros are
// inserted after the leading numeric items of left until there are as many
// as right has.
func padRelease(left, right []string) []string {
	l, r := leadingDigits(left), leadingDigits(right)
	if l >= r {
		return left
	}
	out := append([]string{}, left[:l]...)
	for i := l; i < r; i++ {
		out = append(out, "0")
	}
	return append(out, left[l:]...)
}

// compatiblePrefix is the prefix ~= compares with: the split spec up to its
// first suffix item, minus the last item, joined as "epoch!a.b".
func compatiblePrefix(spec string) string {
	items := versionSplit(spec)
	n := 0
	for n < len(items) && isNotSuffix(items[n]) {
		n++
	}
	items = items[:max(n-1, 1)]
	return items[0] + "!" + strings.Join(items[1:], ".")
}

func isNotSuffix(seg string) bool {
	for _, p := range []string{"dev", "a", "b", "rc", "post"} {
		if strings.HasPrefix(seg, p) {
			return false
		}
	}
	return true
}

// arbitraryEqual is packaging's "===" test, str(v).lower() == spec.lower(),
// for an ASCII normal form: spec must lower-case (as Python does) to the same
// ASCII text, which only ASCII letters and the Kelvin sign (to "k") can.
func arbitraryEqual(normal, spec string) bool {
	var b strings.Builder
	for _, r := range spec {
		switch {
		case r == '\u212a':
			r = 'k'
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= 0x80:
			return false
		}
		b.WriteRune(r)
	}
	return b.String() == strings.ToLower(normal)
}
