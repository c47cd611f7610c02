package pyproject

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// source is a decoded pyproject.toml with the line of every key and array
// element, so that errors and dependencies can point into the file.
type source struct {
	file       string
	doc        map[string]any
	lines      map[string]int    // path key -> 1-based line
	raw        map[string]string // path key -> "key = value" as written
	lineStarts []int
}

// decode parses data as TOML, turning decoder errors into *SyntaxError.
func decode(file string, data []byte) (*source, error) {
	s := &source{file: file, doc: map[string]any{}, lines: map[string]int{}, raw: map[string]string{}}
	if err := toml.Unmarshal(data, &s.doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			return nil, &SyntaxError{File: file, Line: line, Column: col,
				Text: sourceLine(data, line), Message: strings.TrimPrefix(de.Error(), "toml: ")}
		}
		return nil, &SyntaxError{File: file, Line: 1, Column: 1, Message: err.Error()}
	}
	s.lineStarts = []int{0}
	for i, b := range data {
		if b == '\n' {
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
	s.index(data)
	return s, nil
}

func sourceLine(data []byte, line int) string {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return ""
	}
	return strings.TrimSpace(string(lines[line-1]))
}

// pathKey joins a key path; array elements are "#<index>".
func pathKey(path []string) string { return strings.Join(path, "\x00") }

func elem(i int) string { return "#" + strconv.Itoa(i) }

// index walks the document's expressions and records positions.
func (s *source) index(data []byte) {
	p := &unstable.Parser{}
	p.Reset(data)
	var table []string
	arrays := map[string]int{}
	for p.NextExpression() {
		e := p.Expression()
		keys, line := s.keyPath(e.Key())
		switch e.Kind {
		case unstable.Table:
			table = keys
			s.record(table, line)
		case unstable.ArrayTable:
			n := arrays[pathKey(keys)]
			arrays[pathKey(keys)]++
			table = append(keys, elem(n))
			s.record(table, line)
		case unstable.KeyValue:
			path := sub(table, keys...)
			s.recordPrefixes(path, line)
			s.raw[pathKey(path)] = strings.Join(strings.Fields(string(p.Raw(e.Raw))), " ")
			s.walk(p, path, e.Value(), line)
		}
	}
}

func (s *source) keyPath(it unstable.Iterator) ([]string, int) {
	var keys []string
	line := 0
	for it.Next() {
		n := it.Node()
		if line == 0 {
			line = s.lineOf(n.Raw)
		}
		keys = append(keys, string(n.Data))
	}
	return keys, line
}

func (s *source) walk(p *unstable.Parser, path []string, v *unstable.Node, line int) {
	switch v.Kind {
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); {
			child := it.Node()
			if child.Kind == unstable.Comment {
				continue
			}
			l := line
			if child.Raw.Length > 0 {
				l = s.lineOf(child.Raw)
			}
			sp := sub(path, elem(i))
			s.record(sp, l)
			s.walk(p, sp, child, l)
			i++
		}
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			kv := it.Node()
			if kv.Kind != unstable.KeyValue {
				continue
			}
			keys, l := s.keyPath(kv.Key())
			sp := sub(path, keys...)
			s.recordPrefixes(sp, l)
			s.walk(p, sp, kv.Value(), l)
		}
	}
}

func (s *source) lineOf(r unstable.Range) int {
	return sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > int(r.Offset) })
}

func (s *source) record(path []string, line int) {
	if _, ok := s.lines[pathKey(path)]; !ok && line > 0 {
		s.lines[pathKey(path)] = line
	}
}

func (s *source) recordPrefixes(path []string, line int) {
	for i := 1; i <= len(path); i++ {
		s.record(path[:i], line)
	}
}

// line returns the line of path, or of its nearest recorded ancestor.
func (s *source) line(path ...string) int {
	for i := len(path); i > 0; i-- {
		if l, ok := s.lines[pathKey(path[:i])]; ok {
			return l
		}
	}
	return 1
}

func (s *source) fieldError(path []string, format string, args ...any) error {
	return &FieldError{File: s.file, Line: s.line(path...), Field: dotted(path), Message: fmt.Sprintf(format, args...)}
}

// dotted prints a key path as a dotted TOML key, array elements as [i].
func dotted(path []string) string {
	var b strings.Builder
	for i, p := range path {
		switch {
		case strings.HasPrefix(p, "#"):
			b.WriteString("[" + p[1:] + "]")
		case i > 0:
			b.WriteString("." + quoteKey(p))
		default:
			b.WriteString(quoteKey(p))
		}
	}
	return b.String()
}

func quoteKey(k string) string {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return strconv.Quote(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

// lookup returns the value at path, or nil when some part is absent.
func (s *source) lookup(path ...string) any {
	var cur any = s.doc
	for _, k := range path {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[k]
		case []any:
			i, err := strconv.Atoi(strings.TrimPrefix(k, "#"))
			if err != nil || !strings.HasPrefix(k, "#") || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

// table returns the table at path; absent is (nil, nil).
func (s *source) table(path ...string) (map[string]any, error) {
	v := s.lookup(path...)
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, s.fieldError(path, "must be a table, not %s", typeName(v))
	}
	return m, nil
}

// str returns the string at path; absent is ("", false, nil).
func (s *source) str(path ...string) (string, bool, error) {
	v := s.lookup(path...)
	if v == nil {
		return "", false, nil
	}
	str, ok := v.(string)
	if !ok {
		return "", false, s.fieldError(path, "must be a string, not %s", typeName(v))
	}
	return str, true, nil
}

// strings returns the array of strings at path; absent is (nil, false, nil).
func (s *source) strings(path ...string) ([]string, bool, error) {
	v := s.lookup(path...)
	if v == nil {
		return nil, false, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, false, s.fieldError(path, "must be an array of strings, not %s", typeName(v))
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		str, ok := e.(string)
		if !ok {
			return nil, false, s.fieldError(sub(path, elem(i)), "must be a string, not %s", typeName(e))
		}
		out[i] = str
	}
	return out, true, nil
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64, float64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}

// keys returns the keys of the table at path in file order (by line, then
// name), so that output never depends on map iteration.
func (s *source) keys(path []string, m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		li, lj := s.line(sub(path, keys[i])...), s.line(sub(path, keys[j])...)
		if li != lj {
			return li < lj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// sub returns path extended by more, without sharing path's array.
func sub(path []string, more ...string) []string {
	return append(append([]string(nil), path...), more...)
}
