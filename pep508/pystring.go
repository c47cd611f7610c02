package pep508

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// simpleEscapes maps the one-character Python escapes to their values.
var simpleEscapes = map[byte]string{
	'\\': "\\", '\'': "'", '"': "\"", 'a': "\a", 'b': "\b", 'f': "\f",
	'n': "\n", 'r': "\r", 't': "\t", 'v': "\v", '\n': "",
}

// unescapePython decodes the body of a quoted Python string literal, as
// ast.literal_eval does for packaging. It fails where Python raises: a line
// break or NUL in the body, a trailing backslash, or a malformed \x, \u or \U
// escape. \N{...} escapes and surrogate code points are refused too.
// Unknown escapes keep their backslash, as in Python.
func unescapePython(body string) (string, bool) {
	if strings.ContainsAny(body, "\r\x00") {
		return "", false
	}
	if !strings.Contains(body, "\\") {
		return body, !strings.Contains(body, "\n")
	}
	var b strings.Builder
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '\n':
			return "", false
		case c != '\\':
			b.WriteByte(c)
			i++
			continue
		case i+1 >= len(body):
			return "", false
		}
		n, ok := writeEscape(&b, body[i+1:])
		if !ok {
			return "", false
		}
		i += 1 + n
	}
	return b.String(), true
}

// writeEscape decodes the escape whose text (after the backslash) starts s,
// writes its value and returns how many bytes of s it used.
func writeEscape(b *strings.Builder, s string) (int, bool) {
	c := s[0]
	if v, ok := simpleEscapes[c]; ok {
		b.WriteString(v)
		return 1, true
	}
	switch c {
	case 'x':
		return writeHexEscape(b, s, 2)
	case 'u':
		return writeHexEscape(b, s, 4)
	case 'U':
		return writeHexEscape(b, s, 8)
	case 'N':
		return 0, false
	}
	if c >= '0' && c <= '7' {
		n := 1
		for n < 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			n++
		}
		v, _ := strconv.ParseUint(s[:n], 8, 32)
		b.WriteRune(rune(v))
		return n, true
	}
	b.WriteByte('\\')
	return 0, true
}

// writeHexEscape decodes exactly digits hex digits after the escape letter.
func writeHexEscape(b *strings.Builder, s string, digits int) (int, bool) {
	if len(s) < 1+digits {
		return 0, false
	}
	v, err := strconv.ParseUint(s[1:1+digits], 16, 32)
	if err != nil || !utf8.ValidRune(rune(v)) {
		return 0, false
	}
	b.WriteRune(rune(v))
	return 1 + digits, true
}
