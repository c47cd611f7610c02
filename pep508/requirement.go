package pep508

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pylock/pylock/pep440"
)

// Requirement is a parsed PEP 508 dependency specifier.
type Requirement struct {
	Name      string              // as written
	Extras    []string            // as written, sorted, deduplicated
	Specifier pep440.SpecifierSet // empty when none
	URL       string              // after "@", "" if none
	Marker    Marker              // zero Marker = always true
}

// ParseRequirement parses a dependency specifier such as
// `requests[socks] >=2.8, <3 ; python_version >= "3.8"` or
// `pkg @ https://example.com/pkg.zip`.
func ParseRequirement(s string) (Requirement, error) {
	sc := &scanner{src: s, kind: "requirement"}
	if !utf8.ValidString(s) {
		return Requirement{}, sc.fail(invalidUTF8(s), "invalid UTF-8")
	}
	sc.ws()
	name, ok := sc.identifier()
	if !ok {
		return Requirement{}, sc.fail(sc.pos, "expected package name at the start of dependency specifier")
	}
	r := Requirement{Name: name}
	sc.ws()
	extras, err := sc.extras()
	if err != nil {
		return Requirement{}, err
	}
	r.Extras = extras
	sc.ws()
	if err := sc.details(&r); err != nil {
		return Requirement{}, err
	}
	if !sc.atEnd() {
		return Requirement{}, sc.fail(sc.pos, "expected end of dependency specifier")
	}
	return r, nil
}

// extras parses ("[" WS? extras_list? WS? "]")? and returns the names
// sorted and deduplicated.
func (s *scanner) extras() ([]string, error) {
	open := s.pos
	if !s.eat('[') {
		return nil, nil
	}
	s.ws()
	var extras []string
	if name, ok := s.identifier(); ok {
		extras = append(extras, name)
		for {
			s.ws()
			if s.peekIdentifier() {
				return nil, s.fail(s.pos, "expected comma between extra names")
			}
			if !s.eat(',') {
				break
			}
			s.ws()
			name, ok := s.identifier()
			if !ok {
				return nil, s.fail(s.pos, "expected extra name after comma")
			}
			extras = append(extras, name)
		}
	}
	s.ws()
	if !s.eat(']') {
		return nil, s.fail(open, "expected matching ']' for '[', after extras")
	}
	slices.Sort(extras)
	return slices.Compact(extras), nil
}

// details parses the URL or version specifier and the optional marker.
func (s *scanner) details(r *Requirement) error {
	if s.eat('@') {
		return s.urlDetails(r)
	}
	start := s.pos
	spec, err := s.specifier()
	if err != nil {
		return err
	}
	r.Specifier = spec
	s.ws()
	if s.atEnd() {
		return nil
	}
	if !s.peek(';') {
		if len(spec) > 0 {
			return s.fail(start, "expected end or semicolon (after version specifier)")
		}
		return s.fail(start, "expected end or semicolon (after name and no valid version specifier)")
	}
	return s.markerPart(r)
}

// urlDetails parses WS? URL ((WS marker_part?)?) after "@".
func (s *scanner) urlDetails(r *Requirement) error {
	s.ws()
	start := s.pos
	for s.pos < len(s.src) && s.src[s.pos] != ' ' && s.src[s.pos] != '\t' {
		s.pos++
	}
	if s.pos == start {
		return s.fail(start, "expected URL after @")
	}
	r.URL = s.src[start:s.pos]
	if s.atEnd() {
		return nil
	}
	s.ws()
	if s.atEnd() {
		return nil
	}
	if !s.peek(';') {
		return s.fail(start, "expected end or semicolon (after URL and whitespace)")
	}
	return s.markerPart(r)
}

// markerPart parses ";" marker WS?.
func (s *scanner) markerPart(r *Requirement) error {
	s.pos++ // the semicolon
	root, err := s.marker()
	if err != nil {
		return err
	}
	s.ws()
	r.Marker = Marker{root: root}
	return nil
}

// specifier parses "(" WS? version_many WS? ")" | WS? version_many WS? and
// builds the specifier set.
func (s *scanner) specifier() (pep440.SpecifierSet, error) {
	open := s.pos
	paren := s.eat('(')
	s.ws()
	start := s.pos
	text, err := s.versionMany()
	if err != nil {
		return nil, err
	}
	s.ws()
	if paren && !s.eat(')') {
		return nil, s.fail(open, "expected matching ')' for '(', after version specifier")
	}
	set, err := pep440.ParseSpecifierSet(text)
	if err != nil {
		return nil, &SyntaxError{Kind: s.kind, Input: s.src, Offset: start, Msg: "invalid version specifier", Err: err}
	}
	return set, nil
}

// versionMany parses (SPEC (WS? "," WS? SPEC)*)? and returns what packaging
// passes on to SpecifierSet: the clauses, each with the whitespace around its
// version removed, and the commas after them.
func (s *scanner) versionMany() (string, error) {
	var b strings.Builder
	for {
		start := s.pos
		op, version, end, ok := matchSpecifier(s.src, s.pos)
		if !ok {
			break
		}
		s.pos = end
		if strings.HasPrefix(s.src[s.pos:], ".*") {
			return "", s.fail(start, ".* suffix can only be used with `==` or `!=` operators")
		}
		if matchLocal(s.src, s.pos, false) > s.pos {
			return "", s.fail(start, "local version label can only be used with `==` or `!=` operators")
		}
		b.WriteString(op + version)
		s.ws()
		if !s.eat(',') {
			break
		}
		b.WriteByte(',')
		s.ws()
	}
	return b.String(), nil
}

// NormalizedName returns the PEP 503 normalized project name.
func (r Requirement) NormalizedName() string { return NormalizeName(r.Name) }

// String returns the requirement in packaging's form: the name, the extras as
// "[a,b]", the specifier set, "@ url", and "; marker", for example
// `name[a,b]>=1.0; python_version >= "3.8"` or `name@ https://x/y.zip ; os_name == "nt"`.
func (r Requirement) String() string {
	var b strings.Builder
	b.WriteString(r.Name)
	if len(r.Extras) > 0 {
		b.WriteByte('[')
		b.WriteString(strings.Join(slices.Sorted(slices.Values(r.Extras)), ","))
		b.WriteByte(']')
	}
	b.WriteString(r.Specifier.String())
	if r.URL != "" {
		b.WriteString("@ ")
		b.WriteString(r.URL)
		if !r.Marker.IsTrue() {
			b.WriteByte(' ')
		}
	}
	if !r.Marker.IsTrue() {
		b.WriteString("; ")
		b.WriteString(r.Marker.String())
	}
	return b.String()
}
