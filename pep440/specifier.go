package pep440

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Specifier is one version clause such as ">=1.0" or "==1.*": the operator and
// the version exactly as written after it (surrounding whitespace removed,
// case and spelling kept, including a trailing ".*").
type Specifier struct {
	Op      string
	Version string
}

// SpecifierSet is a comma-separated list of clauses; a version is in the set
// when every clause contains it. The empty set contains every version.
type SpecifierSet []Specifier

// Prereleases selects how Contains treats pre-releases and dev releases.
type Prereleases int

const (
	// PrereleasesDefault is packaging 24.2's default: a pre-release or dev
	// release is contained only when some clause other than != names one.
	PrereleasesDefault Prereleases = iota
	// PrereleasesAllow treats pre-releases like any other version.
	PrereleasesAllow
	// PrereleasesDeny never contains a pre-release or dev release.
	PrereleasesDeny
)

// InvalidSpecifierError reports a string that is not a specifier or
// specifier set.
type InvalidSpecifierError struct {
	Input  string // the string given to the parser
	Offset int    // byte offset where parsing stopped
}

// Error describes the invalid specifier and where parsing stopped.
func (e *InvalidSpecifierError) Error() string {
	if e.Offset >= len(e.Input) {
		return fmt.Sprintf("pep440: invalid specifier %q: unexpected end at offset %d", e.Input, e.Offset)
	}
	return fmt.Sprintf("pep440: invalid specifier %q: unexpected %q at offset %d", e.Input, e.Input[e.Offset:], e.Offset)
}

// operators in the order they are tried (longest first).
var operators = []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"}

// ParseSpecifier parses one clause: an operator followed by a version in the
// form that operator allows (see the package documentation).
func ParseSpecifier(s string) (Specifier, error) {
	sp, off, ok := parseSpecifier(s)
	if !ok {
		return Specifier{}, &InvalidSpecifierError{Input: s, Offset: off}
	}
	return sp, nil
}

func parseSpecifier(s string) (Specifier, int, bool) {
	sc := &scanner{s: s}
	sc.skipSpace()
	op := ""
	for _, o := range operators {
		if strings.HasPrefix(s[sc.i:], o) {
			op = o
			break
		}
	}
	if op == "" {
		return Specifier{}, sc.i, false
	}
	sc.i += len(op)
	sc.skipSpace()
	start := sc.i
	if !sc.specVersion(op) {
		return Specifier{}, sc.i, false
	}
	text := s[start:sc.i]
	sc.skipSpace()
	if sc.i != len(s) {
		return Specifier{}, sc.i, false
	}
	return Specifier{Op: op, Version: text}, 0, true
}

// specVersion matches the version part allowed after op.
func (p *scanner) specVersion(op string) bool {
	if op == "===" {
		for p.i < len(p.s) {
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			if isPySpace(r) || r == ';' || r == ')' {
				break
			}
			p.i += size
		}
		return true
	}
	o := scanOpts{}
	switch op {
	case "==", "!=":
		o.wildcard, o.local = true, true
	case "~=":
		o.minRelease = 2
	}
	_, _, ok := p.version(o)
	return ok
}

// String returns the clause as packaging prints it: operator then version.
func (s Specifier) String() string { return s.Op + s.Version }

// ParseSpecifierSet parses a comma-separated list of clauses. Empty items are
// skipped, so "" is the empty set, which contains everything. Clauses equal
// in packaging's sense (same operator, same canonical version) are kept once.
func ParseSpecifierSet(s string) (SpecifierSet, error) {
	var set SpecifierSet
	seen := map[[2]string]bool{}
	offset := 0
	for _, item := range strings.Split(s, ",") {
		itemOffset := offset
		offset += len(item) + 1
		trimmed := strings.TrimFunc(item, isPySpace)
		if trimmed == "" {
			continue
		}
		sp, off, ok := parseSpecifier(trimmed)
		if !ok {
			lead := len(item) - len(strings.TrimLeftFunc(item, isPySpace))
			return nil, &InvalidSpecifierError{Input: s, Offset: itemOffset + lead + off}
		}
		key := sp.canonicalKey()
		if !seen[key] {
			seen[key] = true
			set = append(set, sp)
		}
	}
	return set, nil
}

// canonicalKey is packaging's Specifier equality: the operator and the
// canonical version (trailing zeros stripped except for ~=).
func (s Specifier) canonicalKey() [2]string {
	return [2]string{s.Op, canonicalizeVersion(s.Version, s.Op != "~=")}
}

// canonicalizeVersion is packaging's canonicalize_version: the normal form,
// optionally without trailing ".0"s; a string that does not parse is
// returned unchanged.
func canonicalizeVersion(s string, stripTrailingZero bool) string {
	v, err := Parse(s)
	if err != nil {
		return s
	}
	if stripTrailingZero {
		v.release = trimZeros(v.release)
	}
	return v.String()
}

// trimZeros drops trailing zero release numbers, keeping at least one.
func trimZeros(r []num) []num {
	n := len(r)
	for n > 1 && r[n-1].isZero() {
		n--
	}
	return r[:n:n]
}

// String returns packaging's form of the set: the clauses' strings, sorted,
// joined by ",".
func (s SpecifierSet) String() string {
	parts := make([]string, len(s))
	for i, sp := range s {
		parts[i] = sp.String()
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// NamesPrerelease reports whether some clause other than != names a
// pre-release or dev version (a trailing ".*" ignored), which is what makes
// PrereleasesDefault admit pre-releases.
func (s SpecifierSet) NamesPrerelease() bool {
	for _, sp := range s {
		if sp.namesPrerelease() {
			return true
		}
	}
	return false
}

func (s Specifier) namesPrerelease() bool {
	if s.Op == "!=" {
		return false
	}
	text := s.Version
	if s.Op == "==" {
		text = strings.TrimSuffix(text, ".*")
	}
	v, err := Parse(text)
	return err == nil && v.IsPrerelease()
}

// Contains reports whether v satisfies every clause, with pre-releases and
// dev releases handled as pre says (packaging 24.2's SpecifierSet.contains).
func (s SpecifierSet) Contains(v Version, pre Prereleases) bool {
	if v.IsPrerelease() && !s.allowsPre(pre) {
		return false
	}
	for _, sp := range s {
		if !sp.matches(v) {
			return false
		}
	}
	return true
}

func (s SpecifierSet) allowsPre(pre Prereleases) bool {
	switch pre {
	case PrereleasesAllow:
		return true
	case PrereleasesDeny:
		return false
	}
	return s.NamesPrerelease()
}

// Contains reports whether v satisfies this one clause, with pre-releases
// handled as pre says (packaging 24.2's Specifier.contains).
func (s Specifier) Contains(v Version, pre Prereleases) bool {
	return SpecifierSet{s}.Contains(v, pre)
}
