package pep508

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// scanner walks the input the way packaging's context-sensitive tokenizer
// does: each method tries one token kind at the current offset and consumes
// it only on success.
type scanner struct {
	src  string
	pos  int
	kind string // "requirement" or "marker", for errors
}

// fail returns a SyntaxError at byte offset off.
func (s *scanner) fail(off int, msg string) error {
	return &SyntaxError{Kind: s.kind, Input: s.src, Offset: off, Msg: msg}
}

// atEnd reports whether the whole input has been consumed.
func (s *scanner) atEnd() bool { return s.pos >= len(s.src) }

// ws consumes a run of spaces and tabs.
func (s *scanner) ws() {
	for s.pos < len(s.src) && (s.src[s.pos] == ' ' || s.src[s.pos] == '\t') {
		s.pos++
	}
}

// peek reports whether the next byte is c.
func (s *scanner) peek(c byte) bool { return s.pos < len(s.src) && s.src[s.pos] == c }

// eat consumes c if it is the next byte.
func (s *scanner) eat(c byte) bool {
	if s.peek(c) {
		s.pos++
		return true
	}
	return false
}

// keyword consumes w when it stands between Python word boundaries (\bw\b).
func (s *scanner) keyword(w string) bool {
	end := s.pos + len(w)
	if !strings.HasPrefix(s.src[s.pos:], w) || !boundary(s.src, s.pos) || !boundary(s.src, end) {
		return false
	}
	s.pos = end
	return true
}

// identifier consumes \b[a-zA-Z0-9][a-zA-Z0-9._-]*\b, backing off from the
// longest run to the first end that sits on a word boundary, as a regular
// expression engine does.
func (s *scanner) identifier() (string, bool) {
	start := s.pos
	if start >= len(s.src) || !isASCIIAlnum(s.src[start]) || !boundary(s.src, start) {
		return "", false
	}
	end := start + 1
	for end < len(s.src) && (isASCIIAlnum(s.src[end]) || strings.IndexByte("._-", s.src[end]) >= 0) {
		end++
	}
	for ; end > start; end-- {
		if boundary(s.src, end) {
			s.pos = end
			return s.src[start:end], true
		}
	}
	return "", false
}

// peekIdentifier reports whether an identifier comes next, consuming nothing.
func (s *scanner) peekIdentifier() bool {
	start := s.pos
	_, ok := s.identifier()
	s.pos = start
	return ok
}

// boundary reports whether byte offset i of src is a Python regular
// expression word boundary (\b) in Unicode mode.
func boundary(src string, i int) bool {
	before, after := false, false
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(src[:i])
		before = isWordRune(r)
	}
	if i < len(src) {
		r, _ := utf8.DecodeRuneInString(src[i:])
		after = isWordRune(r)
	}
	return before != after
}

// isWordRune reports whether r matches Python's \w on str patterns.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// isPySpace reports whether r matches Python's \s on str patterns
// (str.isspace), which adds the ASCII separators 0x1c-0x1f to Go's set.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}

// skipPySpace returns the offset after a run of \s starting at i.
func skipPySpace(src string, i int) int {
	for i < len(src) {
		r, size := utf8.DecodeRuneInString(src[i:])
		if !isPySpace(r) {
			break
		}
		i += size
	}
	return i
}
