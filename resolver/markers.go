package resolver

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// extraComparison matches an "extra" comparison in a marker's canonical
// string form, with the variable on either side.
var extraComparison = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\bextra (==|!=) "([^"]*)"|"([^"]*)" (==|!=) extra\b`)
})

// Markers that are always true and never true, in PEP 508 syntax.
const (
	markerAlways = `(os_name == "" or os_name != "")`
	markerNever  = `(os_name == "" and os_name != "")`
)

// withExtra returns m with every "extra" comparison decided for the given
// extra ("" for none), so the result no longer depends on extras.
func withExtra(m pep508.Marker, extra string) pep508.Marker {
	text := m.String()
	if !extraComparison().MatchString(text) {
		return m
	}
	text = extraComparison().ReplaceAllStringFunc(text, func(c string) string {
		sub := extraComparison().FindStringSubmatch(c)
		op, val := sub[1], sub[2]
		if op == "" {
			op, val = sub[4], sub[3]
		}
		if (pep508.NormalizeName(val) == extra) == (op == "==") {
			return markerAlways
		}
		return markerNever
	})
	out, err := pep508.ParseMarker(text)
	if err != nil {
		return m
	}
	return out.Simplify()
}

// pythonFloor returns the lowest Python release (X.Y.Z, each part below
// 100) in r, and false when r has no lower bound or holds no release.
func pythonFloor(r pep440.Range) (pep440.Version, bool) {
	if r.Contains(pep440.MustParse("0")) {
		return pep440.Version{}, false
	}
	return floorFrom(r, nil)
}

// floorFrom searches the releases that start with prefix, one more part at
// a time, skipping the parts r holds nothing of.
func floorFrom(r pep440.Range, prefix []int) (pep440.Version, bool) {
	for n := 0; n < 100; n++ {
		parts := append(slices.Clone(prefix), n)
		if len(parts) == 3 {
			if v := release(parts); r.Contains(v) {
				return v, true
			}
			continue
		}
		next := append(slices.Clone(prefix), n+1)
		if r.Intersect(pep440.AtLeast(release(parts))).Intersect(pep440.Below(release(next))).IsEmpty() {
			continue
		}
		if v, ok := floorFrom(r, parts); ok {
			return v, true
		}
	}
	return pep440.Version{}, false
}

// release builds the version with these release parts.
func release(parts []int) pep440.Version {
	text := make([]string, len(parts))
	for i, p := range parts {
		text[i] = strconv.Itoa(p)
	}
	return pep440.MustParse(strings.Join(text, "."))
}

// pythonText renders a fork's Python versions for messages, dropping the
// pre-releases below its lowest release (python_version >= "3.10" allows
// 3.10.dev0, but ">=3.10" is what people write).
func pythonText(r pep440.Range) string {
	low, ok := pythonFloor(r)
	if !ok {
		return r.String()
	}
	if rel := low.Release(); len(rel) == 3 && rel[2] == 0 {
		low = release(rel[:2])
	}
	return r.Intersect(pep440.AtLeast(low)).String()
}
