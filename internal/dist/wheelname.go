package dist

import (
	"strconv"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// WheelName is a parsed PEP 427 wheel file name.
type WheelName struct {
	Name    string         // project name as written in the file name, e.g. "typing_extensions"
	Version pep440.Version // parsed version
	Build   string         // build tag, "" if none; starts with a digit
	Tags    []Tag          // compressed tag sets expanded, in written order
}

// ParseWheelName parses a wheel file name such as
// "requests-2.31.0-py3-none-any.whl" (the extension is required; a leading
// directory is not allowed).
func ParseWheelName(filename string) (WheelName, error) {
	fail := func(reason string, err error) (WheelName, error) {
		return WheelName{}, &NameError{Filename: filename, Kind: "wheel", Reason: reason, Err: err}
	}
	stem, ok := strings.CutSuffix(filename, ".whl")
	if !ok {
		return fail(`missing ".whl" extension`, nil)
	}
	parts := strings.Split(stem, "-")
	if len(parts) != 5 && len(parts) != 6 {
		return fail("want 5 or 6 dash-separated parts", nil)
	}
	name := parts[0]
	if !validFileName(name) {
		return fail("invalid project name "+strconv.Quote(name), nil)
	}
	v, err := pep440.Parse(parts[1])
	if err != nil {
		return fail("invalid version "+strconv.Quote(parts[1]), err)
	}
	w := WheelName{Name: name, Version: v}
	if len(parts) == 6 {
		w.Build = parts[2]
		if !validBuild(w.Build) {
			return fail("invalid build tag "+strconv.Quote(w.Build), nil)
		}
	}
	n := len(parts)
	// The tag is the last three parts as written: the end of the stem.
	tags, err := ParseTag(stem[len(stem)-len(parts[n-3])-len(parts[n-2])-len(parts[n-1])-2:])
	if err != nil {
		return fail("invalid tags", err)
	}
	w.Tags = tags
	return w, nil
}

// NormalizedName returns the PEP 503 form of the project name.
func (w WheelName) NormalizedName() string { return pep508.NormalizeName(w.Name) }

// BuildNumber splits the build tag into its leading number and the rest, as
// build tags sort: by number, then by the rest as a string. It returns
// (-1, "") when there is no build tag.
func (w WheelName) BuildNumber() (int, string) {
	if w.Build == "" {
		return -1, ""
	}
	i := 0
	for i < len(w.Build) && w.Build[i] >= '0' && w.Build[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(w.Build[:i])
	if err != nil {
		return -1, w.Build
	}
	return n, w.Build[i:]
}

// validFileName reports whether s is a project name as it may appear in a
// distribution file name: letters, digits, "_" and ".", starting and ending
// with a letter or digit.
func validFileName(s string) bool {
	if s == "" || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

func validBuild(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
