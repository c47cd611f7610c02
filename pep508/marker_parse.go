package pep508

import (
	"strings"
	"unicode/utf8"

	"github.com/pylock/pylock/pep440"
)

// variables maps every accepted spelling of a marker variable to its
// canonical name.
var variables = map[string]string{
	"python_version":                 "python_version",
	"python_full_version":            "python_full_version",
	"os_name":                        "os_name",
	"os.name":                        "os_name",
	"sys_platform":                   "sys_platform",
	"sys.platform":                   "sys_platform",
	"platform_release":               "platform_release",
	"platform_system":                "platform_system",
	"platform_version":               "platform_version",
	"platform.version":               "platform_version",
	"platform_machine":               "platform_machine",
	"platform.machine":               "platform_machine",
	"platform_python_implementation": "platform_python_implementation",
	"platform.python_implementation": "platform_python_implementation",
	"python_implementation":          "platform_python_implementation",
	"implementation_name":            "implementation_name",
	"implementation_version":         "implementation_version",
	"extra":                          "extra",
	"extras":                         "extras",
	"dependency_groups":              "dependency_groups",
}

// ParseMarker parses a PEP 508 environment marker such as
// `python_version >= "3.8" and sys_platform == "linux"`.
func ParseMarker(s string) (Marker, error) {
	sc := &scanner{src: s, kind: "marker"}
	if !utf8.ValidString(s) {
		return Marker{}, sc.fail(invalidUTF8(s), "invalid UTF-8")
	}
	root, err := sc.marker()
	if err != nil {
		return Marker{}, err
	}
	if !sc.atEnd() {
		return Marker{}, sc.fail(sc.pos, "expected end of marker expression")
	}
	return Marker{root: root}, nil
}

// invalidUTF8 returns the offset of the first invalid UTF-8 byte in s.
func invalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

// marker parses atom (("and" | "or") atom)*, grouping by precedence: "and"
// binds tighter than "or".
func (s *scanner) marker() (*node, error) {
	atom, err := s.atom()
	if err != nil {
		return nil, err
	}
	groups := [][]*node{{atom}}
	for {
		isOr := s.keyword("or")
		if !isOr && !s.keyword("and") {
			break
		}
		atom, err := s.atom()
		if err != nil {
			return nil, err
		}
		if isOr {
			groups = append(groups, []*node{atom})
		} else {
			groups[len(groups)-1] = append(groups[len(groups)-1], atom)
		}
	}
	alts := make([]*node, len(groups))
	for i, g := range groups {
		alts[i] = group(andNode, g)
	}
	return group(orNode, alts), nil
}

// group returns the single node of kids, or a new group of kind holding them.
func group(kind nodeKind, kids []*node) *node {
	if len(kids) == 1 {
		return kids[0]
	}
	return &node{kind: kind, kids: kids}
}

// atom parses WS? ("(" WS? marker WS? ")" | item) WS?.
func (s *scanner) atom() (*node, error) {
	s.ws()
	var n *node
	if open := s.pos; s.eat('(') {
		s.ws()
		inner, err := s.marker()
		if err != nil {
			return nil, err
		}
		s.ws()
		if !s.eat(')') {
			return nil, s.fail(open, "expected matching ')' for '(', after marker expression")
		}
		if inner.kind != leafNode {
			inner.paren = true
		}
		n = inner
	} else {
		item, err := s.item()
		if err != nil {
			return nil, err
		}
		n = item
	}
	s.ws()
	return n, nil
}

// item parses var WS? op WS? var into a comparison leaf.
func (s *scanner) item() (*node, error) {
	lhs, err := s.operand()
	if err != nil {
		return nil, err
	}
	s.ws()
	op, err := s.markerOp()
	if err != nil {
		return nil, err
	}
	s.ws()
	rhs, err := s.operand()
	if err != nil {
		return nil, err
	}
	s.ws()
	return &node{kind: leafNode, cmp: newComparison(lhs, op, rhs)}, nil
}

// newComparison builds a comparison, normalizing extra names as packaging
// does (PEP 685) and precomputing the specifier a literal right side forms.
func newComparison(lhs operand, op string, rhs operand) comparison {
	switch {
	case lhs.variable && lhs.text == "extra" && !rhs.variable:
		rhs.text = NormalizeName(rhs.text)
	case rhs.variable && !lhs.variable && (rhs.text == "extra" || isSetVariable(rhs.text)):
		lhs.text = NormalizeName(lhs.text)
	}
	c := comparison{lhs: lhs, op: op, rhs: rhs}
	if !rhs.variable {
		c.spec, c.specOK = singleSpecifier(op, rhs.text)
	}
	return c
}

// singleSpecifier parses op+value as one PEP 440 specifier clause.
func singleSpecifier(op, value string) (pep440.SpecifierSet, bool) {
	if op == "in" || op == "not in" {
		return nil, false
	}
	spec, err := pep440.ParseSpecifier(op + value)
	if err != nil {
		return nil, false
	}
	return pep440.SpecifierSet{spec}, true
}

// operand parses VARIABLE | QUOTED_STRING.
func (s *scanner) operand() (operand, error) {
	if name, ok := s.variable(); ok {
		return operand{variable: true, text: name}, nil
	}
	if s.peek('\'') || s.peek('"') {
		return s.quoted()
	}
	return operand{}, s.fail(s.pos, "expected a marker variable or quoted string")
}

// variable consumes a marker variable name between word boundaries and
// returns its canonical name.
func (s *scanner) variable() (string, bool) {
	if !boundary(s.src, s.pos) {
		return "", false
	}
	end := s.pos
	for end < len(s.src) && (isASCIIAlnum(s.src[end]) || s.src[end] == '_' || s.src[end] == '.') {
		end++
	}
	// Every spelling is made of these bytes; try each prefix ending on a
	// word boundary, longest first (at most one spelling can match).
	for ; end > s.pos; end-- {
		if name, ok := variables[s.src[s.pos:end]]; ok && boundary(s.src, end) {
			s.pos = end
			return name, true
		}
	}
	return "", false
}

// markerOp parses "in" | "not" WS "in" | a comparison operator.
func (s *scanner) markerOp() (string, error) {
	if s.keyword("in") {
		return "in", nil
	}
	if s.keyword("not") {
		start := s.pos
		s.ws()
		if s.pos == start {
			return "", s.fail(s.pos, "expected whitespace after 'not'")
		}
		if !s.keyword("in") {
			return "", s.fail(s.pos, "expected 'in' after 'not'")
		}
		return "not in", nil
	}
	for _, op := range []string{"===", "==", "~=", "!=", "<=", ">=", "<", ">"} {
		if strings.HasPrefix(s.src[s.pos:], op) {
			s.pos += len(op)
			return op, nil
		}
	}
	return "", s.fail(s.pos, "expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in")
}

// quoted consumes '[^']*' or "[^"]*" and decodes it as a Python string
// literal.
func (s *scanner) quoted() (operand, error) {
	start := s.pos
	q := s.src[start]
	end := strings.IndexByte(s.src[start+1:], q)
	if end < 0 {
		return operand{}, s.fail(start, "expected a marker variable or quoted string")
	}
	end += start + 1
	value, ok := unescapePython(s.src[start+1 : end])
	if !ok {
		return operand{}, s.fail(start, "invalid quoted string")
	}
	s.pos = end + 1
	return operand{text: value}, nil
}
