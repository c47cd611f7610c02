package pyproject

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// pyWS is Python's \s for str patterns (str.isspace), which poetry-core's
// regular expressions and str.strip use.
const pyWS = `[\t\n\v\f\r \x1c-\x1f\x{85}\p{Z}]`

var (
	orSplitRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pyWS + `*\|\|?` + pyWS + `*`) })
	anyRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^v?[x*](\.[x*])*$`) })
	tildeRE   = sync.OnceValue(func() *regexp.Regexp { return versionConstraintRE(`~`) })
	compatRE  = sync.OnceValue(func() *regexp.Regexp { return versionConstraintRE(`~=`) })
	caretRE   = sync.OnceValue(func() *regexp.Regexp { return versionConstraintRE(`\^`) })
	xRE       = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?P<op>!=|==)?` + pyWS + `*v?(?P<version>[0-9]+(?:\.[0-9]+)?(?:\.[0-9]+)?)(?:\.\*)+$`)
	})
	basicRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?P<op><>|!=|>=?|<=?|==?)?` + pyWS + `*(?P<version>` + versionChars + `)(?P<wildcard>\.\*)?$`)
	})
)

// versionChars is the alphabet of a PEP 440 version. Where poetry-core's
// patterns embed packaging's VERSION_PATTERN, these capture a run of it,
// which matches when pep440 parses it (see matchVersion).
const versionChars = `[0-9A-Za-z!.+_-]+`

func versionConstraintRE(op string) *regexp.Regexp {
	return regexp.MustCompile(`^` + op + pyWS + `*(?P<version>` + versionChars + `)$`)
}

// matchVersion returns re's "version" group in s, and whether re matches s
// with a PEP 440 version there.
func matchVersion(re *regexp.Regexp, s string) (string, bool) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	version := m[re.SubexpIndex("version")]
	return version, isVersion(version)
}

func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) || unicode.Is(unicode.Z, r)
}

// ParsePoetryConstraint parses a Poetry version constraint (the grammar is in
// the package documentation) into the PEP 440 specifier sets poetry-core
// 2.3.2 prints for it: Constraint.String gives the same text as the version
// part of poetry-core's Dependency.base_pep_508_name. A "||" union that no
// single specifier set can express stays a union of several sets.
func ParsePoetryConstraint(s string) (Constraint, error) {
	fail := func(reason string) (Constraint, error) {
		return nil, &ConstraintError{Constraint: s, Reason: reason}
	}
	if s == "*" {
		return nil, nil
	}
	var alts [][]string
	for _, group := range orSplitRE().Split(strings.TrimFunc(s, isPySpace), -1) {
		group = strings.TrimRightFunc(strings.TrimRight(group, ","), isPySpace)
		var pieces []piece
		for _, part := range andSplit(group) {
			p, err := parseSingle(part)
			if err != nil {
				return fail(err.Error())
			}
			pieces = append(pieces, p)
		}
		got, ok := andGroup(pieces)
		if !ok {
			return fail("it allows no version")
		}
		alts = append(alts, got...)
	}
	c, err := buildConstraint(alts)
	if err != nil {
		return fail(err.Error())
	}
	return c, nil
}

// andSplit is re.split(r"(?<!^)(?<![\^~=>< ,]) *(?<!-)[, ](?!-) *(?!,|$)", s),
// poetry-core's split of a comma or space separated list, written out
// because Go's regular expressions have no look-around.
func andSplit(s string) []string {
	var parts []string
	start := 0
	for p := 1; p < len(s); p++ {
		if strings.IndexByte("^~=>< ,", s[p-1]) >= 0 {
			continue
		}
		if end, ok := andSeparatorAt(s, p); ok {
			parts = append(parts, s[start:p])
			start, p = end, end
		}
	}
	return append(parts, s[start:])
}

// andSeparatorAt matches " *(?<!-)[, ](?!-) *(?!,|$)" at p, trying the
// spaces greedily first as Python's backtracking does, and returns the end.
func andSeparatorAt(s string, p int) (int, bool) {
	for q := p + countSpaces(s, p); q >= p; q-- {
		if q >= len(s) || s[q-1] == '-' || (s[q] != ',' && s[q] != ' ') {
			continue
		}
		if q+1 < len(s) && s[q+1] == '-' {
			continue
		}
		r := q + 1
		for t := r + countSpaces(s, r); t >= r; t-- {
			if t < len(s) && s[t] != ',' {
				return t, true
			}
		}
	}
	return 0, false
}

func countSpaces(s string, i int) int {
	n := 0
	for i+n < len(s) && s[i+n] == ' ' {
		n++
	}
	return n
}

// piece is one parsed single constraint: rng is set when it is a plain range
// (poetry intersects those), and alts holds its PEP 440 clauses as
// alternatives (one alternative except for a negated non-wildcard range).
type piece struct {
	rng  *prange
	alts [][]string
}

func rangePiece(r prange) piece { return piece{rng: &r, alts: [][]string{r.clauses()}} }

func clausePiece(c string) piece { return piece{alts: [][]string{{c}}} }

// parseSingle is poetry-core's parse_single_constraint.
func parseSingle(s string) (piece, error) {
	if anyRE().MatchString(s) {
		return rangePiece(prange{}), nil
	}
	if version, ok := matchVersion(tildeRE(), s); ok {
		return boundedPiece(version, func(v pversion) pversion {
			if len(v.Release()) == 1 {
				return nextAt(stable(v), 0)
			}
			return nextAt(stable(v), 1)
		})
	}
	if version, ok := matchVersion(compatRE(), s); ok {
		return boundedPiece(version, func(v pversion) pversion {
			if len(v.Release()) == 2 {
				return nextAt(stable(v), 0)
			}
			return nextAt(stable(v), 1)
		})
	}
	if version, ok := matchVersion(caretRE(), s); ok {
		return boundedPiece(version, nextBreaking)
	}
	if m := xRE().FindStringSubmatch(s); m != nil {
		v, err := parseVersion(m[xRE().SubexpIndex("version")])
		if err != nil {
			return piece{}, err
		}
		return wildcardPiece(v, m[xRE().SubexpIndex("op")] == "!="), nil
	}
	if m := basicRE().FindStringSubmatch(s); m != nil {
		version := m[basicRE().SubexpIndex("version")]
		if version == "dev" || isVersion(version) {
			return basicPiece(m[basicRE().SubexpIndex("op")], version, m[basicRE().SubexpIndex("wildcard")] != "")
		}
	}
	return piece{}, fmt.Errorf("%q is not a version constraint", s)
}

func boundedPiece(version string, upper func(pversion) pversion) (piece, error) {
	v, err := parseVersion(version)
	if err != nil {
		return piece{}, err
	}
	hi := upper(v)
	return rangePiece(prange{min: &v, max: &hi, incMin: true}), nil
}

func basicPiece(op, version string, wildcard bool) (piece, error) {
	if version == "dev" {
		version = "0.0-dev"
	}
	v, err := parseVersion(version)
	if err != nil {
		return piece{}, err
	}
	switch op {
	case "<":
		return rangePiece(prange{max: &v}), nil
	case "<=":
		return rangePiece(prange{max: &v, incMax: true}), nil
	case ">":
		return rangePiece(prange{min: &v}), nil
	case ">=":
		return rangePiece(prange{min: &v, incMin: true}), nil
	case "<>":
		return piece{}, errors.New(`operator "<>" is not supported (poetry-core reads it as "==")`)
	}
	if wildcard {
		return wildcardPiece(v, op == "!="), nil
	}
	if op == "!=" {
		return clausePiece("!=" + v.text()), nil
	}
	return clausePiece("==" + v.text()), nil
}

// wildcardPiece is poetry-core's _make_x_constraint_range: "V.*" is
// [V.dev0, next.dev0), and "!=V.*" its complement.
func wildcardPiece(v pversion, invert bool) piece {
	var next pversion
	switch {
	case v.IsPostrelease():
		next = nextPostrelease(v)
	case !v.IsPrerelease():
		next = nextStable(v)
	case hasPre(v):
		next = nextPrerelease(v)
	default:
		next = nextDevrelease(v)
	}
	lo := firstDevrelease(v)
	if !next.IsDevrelease() {
		next = firstDevrelease(next)
	}
	r := prange{min: &lo, max: &next, incMin: true}
	if invert {
		return piece{alts: r.negatedClauses()}
	}
	return rangePiece(r)
}

// andGroup intersects the pieces of one "||" branch. Plain ranges are merged
// as poetry-core merges them; any other piece keeps its clauses, which are
// and-ed (distributing over a piece's alternatives). ok is false when merged
// ranges do not overlap.
func andGroup(pieces []piece) ([][]string, bool) {
	if allRanges(pieces) {
		acc := *pieces[0].rng
		for _, p := range pieces[1:] {
			next, ok := acc.intersect(*p.rng)
			if !ok {
				return nil, false
			}
			acc = next
		}
		return [][]string{acc.clauses()}, true
	}
	alts := [][]string{nil}
	for _, p := range pieces {
		var out [][]string
		for _, a := range alts {
			for _, b := range p.alts {
				out = append(out, append(append([]string(nil), a...), b...))
			}
		}
		alts = out
	}
	return alts, true
}

func allRanges(pieces []piece) bool {
	for _, p := range pieces {
		if p.rng == nil {
			return false
		}
	}
	return true
}
