package lockfile

import (
	"regexp"
	"strings"
	"sync"
)

var (
	packagesHeaderRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\[\[\s*("packages"|packages)\s*\]\]`) })
	headerRE         = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\[\[?\s*([^\]]*?)\s*\]\]?`) })
)

// locate finds the 1-based line a semantic error belongs to: within the
// offending [[packages]] entry (or the top level), the line holding the
// offending value, else the line of its key, else the entry's header. It
// returns 0 when nothing fits.
func locate(data []byte, fe *fieldError) int {
	lines := strings.Split(string(data), "\n")
	start, end := region(lines, fe.pkg)
	if start < 0 {
		start, end = 0, len(lines)
		if fe.pkg >= 0 {
			return findKey(lines, 0, len(lines), "packages")
		}
	}
	if fe.value != "" {
		for i := start; i < end; i++ {
			if strings.Contains(lines[i], fe.value) {
				return i + 1
			}
		}
	}
	if n := findKey(lines, start, end, fe.key); n > 0 {
		return n
	}
	if fe.pkg >= 0 {
		return start + 1
	}
	return 0
}

// region returns the lines [start, end) of package pkg, or of the top-level
// keys and tables for pkg < 0; start is -1 when the entry has no header.
func region(lines []string, pkg int) (int, int) {
	if pkg < 0 {
		return 0, len(lines)
	}
	seen := -1
	start := -1
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if packagesHeaderRE().MatchString(l) {
			seen++
			if seen == pkg {
				start = i
				continue
			}
			if seen > pkg {
				return start, i
			}
		} else if start >= 0 && strings.HasPrefix(l, "[") && !isPackagesSub(l) {
			return start, i
		}
	}
	return start, len(lines)
}

// isPackagesSub reports whether a header line opens a sub-table of the
// current package ([packages.x] or [[packages.x]]).
func isPackagesSub(l string) bool {
	m := headerRE().FindStringSubmatch(l)
	return m != nil && (strings.HasPrefix(m[1], "packages.") || strings.HasPrefix(m[1], `"packages".`))
}

// findKey returns the 1-based line in [start, end) where key is assigned or
// opens a table, or 0.
func findKey(lines []string, start, end int, key string) int {
	if key == "" {
		return 0
	}
	first := key
	if i := strings.IndexByte(key, '.'); i >= 0 && !strings.HasPrefix(key, "tool.") {
		first = key[:i]
	}
	for i := start; i < end; i++ {
		l := strings.TrimSpace(lines[i])
		if rest, ok := strings.CutPrefix(l, first); ok {
			rest = strings.TrimSpace(rest)
			if strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, ".") {
				return i + 1
			}
		}
		if m := headerRE().FindStringSubmatch(l); m != nil {
			h := strings.TrimPrefix(m[1], "packages.")
			if h == first || strings.HasPrefix(h, first+".") {
				return i + 1
			}
		}
	}
	return 0
}
