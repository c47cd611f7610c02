package dist

import (
	"slices"
	"strings"
)

// Tag is one PEP 425 compatibility tag: interpreter, ABI and platform.
type Tag struct {
	Python, ABI, Platform string
}

// String returns the tag as written in a wheel name, e.g. "py3-none-any".
func (t Tag) String() string {
	return t.Python + "-" + t.ABI + "-" + t.Platform
}

// ParseTag parses a tag triple "python-abi-platform" whose parts may be
// compressed sets separated by dots ("py2.py3-none-any"), and returns every
// tag of the expanded set, in the order written (python, then abi, then
// platform varying fastest), without duplicates. Parts are lower-cased.
func ParseTag(s string) ([]Tag, error) {
	py, rest, ok1 := strings.Cut(s, "-")
	abi, plat, ok2 := strings.Cut(rest, "-")
	if !ok1 || !ok2 || strings.Contains(plat, "-") {
		return nil, &TagError{Tag: s, Reason: "want three dash-separated parts"}
	}
	parts := [3]string{strings.ToLower(py), strings.ToLower(abi), strings.ToLower(plat)}
	if !strings.Contains(s, ".") {
		if parts[0] == "" || parts[1] == "" || parts[2] == "" {
			return nil, &TagError{Tag: s, Reason: "empty tag component"}
		}
		return []Tag{{Python: parts[0], ABI: parts[1], Platform: parts[2]}}, nil
	}
	var sets [3][]string
	for i, p := range parts {
		sets[i] = strings.Split(p, ".")
		if slices.Contains(sets[i], "") {
			return nil, &TagError{Tag: s, Reason: "empty tag component"}
		}
	}
	return expandTags(sets), nil
}

// expandTags returns every tag of the compressed sets, in the order
// written, without duplicates.
func expandTags(sets [3][]string) []Tag {
	var tags []Tag
	seen := map[Tag]bool{}
	for _, py := range sets[0] {
		for _, abi := range sets[1] {
			for _, plat := range sets[2] {
				t := Tag{Python: py, ABI: abi, Platform: plat}
				if !seen[t] {
					seen[t] = true
					tags = append(tags, t)
				}
			}
		}
	}
	return tags
}

// Supported ranks a distribution's tags against supported, an interpreter's
// tags ordered from most to least preferred. It returns the index in
// supported of the best tag the distribution has (lower is better), and
// false when no tag is supported.
func Supported(tags []Tag, supported []Tag) (rank int, ok bool) {
	have := make(map[Tag]bool, len(tags))
	for _, t := range tags {
		have[lower(t)] = true
	}
	for i, t := range supported {
		if have[lower(t)] {
			return i, true
		}
	}
	return 0, false
}

func lower(t Tag) Tag {
	return Tag{Python: strings.ToLower(t.Python), ABI: strings.ToLower(t.ABI), Platform: strings.ToLower(t.Platform)}
}
