package pep440

import (
	"strings"
)

// Version is a parsed PEP 440 version. It is immutable; the zero Version is
// not a valid version and should not be used.
type Version struct {
	epoch   num
	release []num
	preL    string // "", "a", "b" or "rc"
	preN    num
	post    num
	hasPost bool
	dev     num
	hasDev  bool
	local   []localPart
}

// localPart is one segment of a local label: a number or a lower-case string.
type localPart struct {
	isNum bool
	s     string // normalized number digits, or lower-case letters and digits
}

// MustParse is like Parse but panics on an invalid version. It is meant for
// tests and constants.
func MustParse(s string) Version {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

// String returns the normal form of v, as packaging's str(Version) does.
func (v Version) String() string {
	var b strings.Builder
	if !v.epoch.isZero() {
		b.WriteString(string(v.epoch))
		b.WriteByte('!')
	}
	b.WriteString(v.releaseString())
	b.WriteString(v.suffixString())
	if len(v.local) > 0 {
		b.WriteByte('+')
		b.WriteString(v.Local())
	}
	return b.String()
}

// releaseString joins the release numbers with dots.
func (v Version) releaseString() string {
	parts := make([]string, len(v.release))
	for i, n := range v.release {
		parts[i] = string(n)
	}
	return strings.Join(parts, ".")
}

// suffixString is the normal form of the pre, post and dev parts.
func (v Version) suffixString() string {
	var b strings.Builder
	if v.preL != "" {
		b.WriteString(v.preL)
		b.WriteString(string(v.preN))
	}
	if v.hasPost {
		b.WriteString(".post")
		b.WriteString(string(v.post))
	}
	if v.hasDev {
		b.WriteString(".dev")
		b.WriteString(string(v.dev))
	}
	return b.String()
}

// Equal reports whether v and w are the same version (Compare == 0).
func (v Version) Equal(w Version) bool { return v.Compare(w) == 0 }

// Epoch returns the epoch, 0 when absent. Numbers too large for an int
// saturate at math.MaxInt.
func (v Version) Epoch() int { return v.epoch.int() }

// Release returns the release numbers as written, trailing zeros kept. Numbers
// too large for an int saturate at math.MaxInt; ReleaseDigits gives them exactly.
func (v Version) Release() []int {
	out := make([]int, len(v.release))
	for i, n := range v.release {
		out[i] = n.int()
	}
	return out
}

// ReleaseDigits returns the release numbers as decimal strings without
// leading zeros, exactly, whatever their size.
func (v Version) ReleaseDigits() []string {
	out := make([]string, len(v.release))
	for i, n := range v.release {
		out[i] = string(n)
	}
	return out
}

// Pre returns the pre-release label ("a", "b" or "rc") and number.
func (v Version) Pre() (label string, n int, ok bool) {
	if v.preL == "" {
		return "", 0, false
	}
	return v.preL, v.preN.int(), true
}

// Post returns the post-release number.
func (v Version) Post() (int, bool) { return v.post.int(), v.hasPost }

// Dev returns the dev-release number.
func (v Version) Dev() (int, bool) { return v.dev.int(), v.hasDev }

// Local returns the normalized local label (lower case, "." separators,
// numbers without leading zeros), or "" when there is none.
func (v Version) Local() string {
	parts := make([]string, len(v.local))
	for i, p := range v.local {
		parts[i] = p.s
	}
	return strings.Join(parts, ".")
}

// Public returns v without its local label.
func (v Version) Public() Version {
	v.local = nil
	return v
}

// BaseVersion returns the epoch and release of v only.
func (v Version) BaseVersion() Version {
	return Version{epoch: v.epoch, release: v.release}
}

// IsPrerelease reports whether v is a pre-release or a dev release.
func (v Version) IsPrerelease() bool { return v.preL != "" || v.hasDev }

// IsPostrelease reports whether v has a post-release part.
func (v Version) IsPostrelease() bool { return v.hasPost }

// IsDevrelease reports whether v has a dev-release part.
func (v Version) IsDevrelease() bool { return v.hasDev }

// HasLocal reports whether v has a local label.
func (v Version) HasLocal() bool { return len(v.local) > 0 }
