package pep440

import (
	"fmt"
	"strings"
	"unicode"
)

// InvalidVersionError reports a string that is not a PEP 440 version.
type InvalidVersionError struct {
	Input  string // the string given to Parse
	Offset int    // byte offset where parsing stopped
}

// Error describes the invalid version and where parsing stopped.
func (e *InvalidVersionError) Error() string {
	if e.Offset >= len(e.Input) {
		return fmt.Sprintf("pep440: invalid version %q: unexpected end at offset %d", e.Input, e.Offset)
	}
	return fmt.Sprintf("pep440: invalid version %q: unexpected %q at offset %d", e.Input, e.Input[e.Offset:], e.Offset)
}

// isPySpace reports whether r is whitespace for Python's \s and str.strip:
// Unicode White_Space plus the separators U+001C to U+001F.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// Parse parses a version in any spelling PEP 440 (as packaging 24.2) accepts:
// surrounding whitespace, a leading "v", any case, "-", "_" or "." separators,
// alternative pre/post spellings and implicit numbers. See the package
// documentation for the grammar.
func Parse(s string) (Version, error) {
	start := len(s) - len(strings.TrimLeftFunc(s, isPySpace))
	sc := &scanner{s: s, i: start}
	v, _, ok := sc.version(scanOpts{local: true})
	if ok {
		sc.skipSpace()
		if sc.i == len(s) {
			return v, nil
		}
	}
	return Version{}, &InvalidVersionError{Input: s, Offset: sc.i}
}

// scanner walks a string while matching the version grammar.
type scanner struct {
	s string
	i int
}

// scanOpts selects the variant of the grammar a specifier operator allows.
type scanOpts struct {
	wildcard   bool // a trailing ".*" may follow the release
	local      bool // a "+local" label may follow
	minRelease int  // fewest release numbers
}

func (p *scanner) peek(k int) byte {
	if p.i+k < len(p.s) {
		return p.s[p.i+k]
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

func isSep(c byte) bool { return c == '-' || c == '_' || c == '.' }

func (p *scanner) skipSpace() {
	p.i = len(p.s) - len(strings.TrimLeftFunc(p.s[p.i:], isPySpace))
}

// digits consumes a run of ASCII digits.
func (p *scanner) digits() (string, bool) {
	j := p.i
	for j < len(p.s) && isDigit(p.s[j]) {
		j++
	}
	d := p.s[p.i:j]
	p.i = j
	return d, d != ""
}

// sep consumes one optional separator.
func (p *scanner) sep() {
	if isSep(p.peek(0)) {
		p.i++
	}
}

// word consumes the first of words that the input starts with, ignoring
// ASCII case.
func (p *scanner) word(words ...string) (string, bool) {
	for _, w := range words {
		if len(p.s)-p.i >= len(w) && asciiEqualFold(p.s[p.i:p.i+len(w)], w) {
			p.i += len(w)
			return w, true
		}
	}
	return "", false
}

func asciiEqualFold(a, lower string) bool {
	for i := 0; i < len(a); i++ {
		c := a[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// version matches the version grammar at the current position; it reports
// whether a trailing ".*" was consumed.
func (p *scanner) version(o scanOpts) (v Version, wildcard, ok bool) {
	if c := p.peek(0); c == 'v' || c == 'V' {
		p.i++
	}
	if !p.epochRelease(&v) || len(v.release) < o.minRelease {
		return Version{}, false, false
	}
	if o.wildcard && p.peek(0) == '.' && p.peek(1) == '*' {
		p.i += 2
		return v, true, true
	}
	p.pre(&v)
	p.postRelease(&v)
	p.devRelease(&v)
	if o.local && p.peek(0) == '+' {
		save := p.i
		p.i++
		if !p.localLabel(&v) {
			p.i = save
		}
	}
	return v, false, true
}

func (p *scanner) epochRelease(v *Version) bool {
	d, ok := p.digits()
	if !ok {
		return false
	}
	v.epoch = "0"
	if p.peek(0) == '!' {
		p.i++
		v.epoch = mkNum(d)
		if d, ok = p.digits(); !ok {
			return false
		}
	}
	v.release = append(make([]num, 0, 4), mkNum(d)) // most versions have at most four parts
	for p.peek(0) == '.' && isDigit(p.peek(1)) {
		p.i++
		d, _ = p.digits()
		v.release = append(v.release, mkNum(d))
	}
	return true
}

var preLabels = map[string]string{
	"alpha": "a", "a": "a", "beta": "b", "b": "b",
	"preview": "rc", "pre": "rc", "c": "rc", "rc": "rc",
}

func (p *scanner) pre(v *Version) {
	save := p.i
	p.sep()
	w, ok := p.word("alpha", "a", "beta", "b", "preview", "pre", "c", "rc")
	if !ok {
		p.i = save
		return
	}
	p.sep()
	d, _ := p.digits()
	v.preL, v.preN = preLabels[w], mkNum(d)
}

func (p *scanner) postRelease(v *Version) {
	save := p.i
	if p.peek(0) == '-' && isDigit(p.peek(1)) {
		p.i++
		d, _ := p.digits()
		v.post, v.hasPost = mkNum(d), true
		return
	}
	p.sep()
	if _, ok := p.word("post", "rev", "r"); !ok {
		p.i = save
		return
	}
	p.sep()
	d, _ := p.digits()
	v.post, v.hasPost = mkNum(d), true
}

func (p *scanner) devRelease(v *Version) {
	save := p.i
	p.sep()
	if _, ok := p.word("dev"); !ok {
		p.i = save
		return
	}
	p.sep()
	d, _ := p.digits()
	v.dev, v.hasDev = mkNum(d), true
}

// localLabel matches [a-z0-9]+ ([-_.][a-z0-9]+)* after the "+".
func (p *scanner) localLabel(v *Version) bool {
	var parts []localPart
	for {
		j := p.i
		for j < len(p.s) && isAlnum(p.s[j]) {
			j++
		}
		if j == p.i {
			return false
		}
		parts = append(parts, mkLocalPart(p.s[p.i:j]))
		p.i = j
		if !isSep(p.peek(0)) || !isAlnum(p.peek(1)) {
			break
		}
		p.i++
	}
	v.local = parts
	return true
}

func mkLocalPart(s string) localPart {
	if isDigits(s) {
		return localPart{isNum: true, s: string(mkNum(s))}
	}
	return localPart{s: strings.ToLower(s)}
}
