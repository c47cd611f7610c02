package pyproject

import (
	"bytes"
	"slices"

	"github.com/pelletier/go-toml/v2/unstable"
)

// editDoc maps a TOML document's tables and key-values to byte offsets, so
// that an edit can rewrite a few bytes and leave the rest as written.
type editDoc struct {
	data     []byte
	sections []docSection // in file order; the first is the root table
}

// docSection is a table header and the key-values under it.
type docSection struct {
	path    []string
	array   bool // an [[array]] table
	header  int  // offset of the header's line; 0 for the root table
	body    int  // offset just past the header's line
	end     int  // offset of the next header's line, or len(data)
	entries []docEntry
}

// docEntry is one "key = value" expression.
type docEntry struct {
	key          []string // the key's parts, decoded
	start, end   int      // the expression as written, from key to value end
	value        int      // offset of the value
	line0, line1 int      // the start of its first line; just past its last line
}

// newEditDoc indexes data, which must be valid TOML.
func newEditDoc(data []byte) (*editDoc, error) {
	d := &editDoc{data: data, sections: []docSection{{end: len(data)}}}
	p := &unstable.Parser{}
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		keys, first, last := keyParts(e.Key())
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			header := d.lineStart(first)
			d.sections[len(d.sections)-1].end = header
			d.sections = append(d.sections, docSection{path: keys, array: e.Kind == unstable.ArrayTable,
				header: header, body: d.lineEnd(last), end: len(data)})
		case unstable.KeyValue:
			start, end := int(e.Raw.Offset), int(e.Raw.Offset+e.Raw.Length)
			s := &d.sections[len(d.sections)-1]
			s.entries = append(s.entries, docEntry{key: keys, start: start, end: end,
				value: d.valueStart(last), line0: d.lineStart(start), line1: d.lineEnd(end)})
		}
	}
	return d, p.Error()
}

// keyParts decodes a key and returns the offsets of its first part and of
// the end of its last part.
func keyParts(it unstable.Iterator) (keys []string, first, last int) {
	first = -1
	for it.Next() {
		n := it.Node()
		if first < 0 {
			first = int(n.Raw.Offset)
		}
		last = int(n.Raw.Offset + n.Raw.Length)
		keys = append(keys, string(n.Data))
	}
	return keys, first, last
}

// valueStart skips the blanks and the "=" after a key ending at i.
func (d *editDoc) valueStart(i int) int {
	for i < len(d.data) && (d.data[i] == ' ' || d.data[i] == '\t' || d.data[i] == '=') {
		i++
	}
	return i
}

// lineStart is the offset of the start of the line holding offset i.
func (d *editDoc) lineStart(i int) int {
	for i > 0 && d.data[i-1] != '\n' {
		i--
	}
	return i
}

// lineEnd is the offset just past the newline ending the line holding
// offset i, or len(data) on the last line.
func (d *editDoc) lineEnd(i int) int {
	for i < len(d.data) {
		if d.data[i] == '\n' {
			return i + 1
		}
		i++
	}
	return len(d.data)
}

// section returns the [path] table's section, or nil.
func (d *editDoc) section(path []string) *docSection {
	for i := range d.sections {
		if s := &d.sections[i]; !s.array && slices.Equal(s.path, path) {
			return s
		}
	}
	return nil
}

// entry returns the key-value whose full path is path, or nil.
func (d *editDoc) entry(path []string) *docEntry {
	for i := range d.sections {
		s := &d.sections[i]
		if s.array || len(s.path) >= len(path) || !slices.Equal(s.path, path[:len(s.path)]) {
			continue
		}
		for j := range s.entries {
			if slices.Equal(s.entries[j].key, path[len(s.path):]) {
				return &s.entries[j]
			}
		}
	}
	return nil
}

// keyDefined reports whether a key-value already defines the table at path
// without a header, so that a [path] header would define it a second time:
// dotted keys that pass through it (project.name = ... at the top level
// defines [project]), or a value at path or above it (an inline table).
func (d *editDoc) keyDefined(path []string) bool {
	for _, s := range d.sections {
		if s.array {
			continue
		}
		for _, en := range s.entries {
			full := append(slices.Clip(s.path), en.key...)
			if len(full) <= len(path) && slices.Equal(full, path[:len(full)]) {
				return true
			}
			if len(full) > len(path) && len(path) > len(s.path) && slices.Equal(full[:len(path)], path) {
				return true
			}
		}
	}
	return false
}

// entriesEnd is where a new key-value of section s goes: past its last
// key-value, else past its header.
func (s *docSection) entriesEnd() int {
	if len(s.entries) == 0 {
		return s.body
	}
	return s.entries[len(s.entries)-1].line1
}

// newTableAt is where a new [path] table goes: after the last table that
// shares the longest key prefix with it (before the comments that lead the
// next table), or at the end of the file.
func (d *editDoc) newTableAt(path []string) int {
	best, bestLen := -1, 0
	for i, s := range d.sections[1:] {
		n := commonPrefix(s.path, path)
		if n > 0 && n >= bestLen {
			best, bestLen = i+1, n
		}
	}
	if best < 0 {
		return len(d.data)
	}
	return d.trimmedEnd(&d.sections[best])
}

// trimmedEnd is the end of section s without the blank and comment lines
// that lead the next table.
func (d *editDoc) trimmedEnd(s *docSection) int {
	end := s.end
	for end > s.entriesEnd() {
		prev := d.lineStart(end - 1)
		if !blankOrComment(d.data[prev:end]) {
			break
		}
		end = prev
	}
	return end
}

// startsEntry reports whether a key-value starts on the line at offset i.
func (d *editDoc) startsEntry(i int) bool {
	for _, s := range d.sections {
		for _, e := range s.entries {
			if e.line0 == i {
				return true
			}
		}
	}
	return false
}

// commentsAbove moves the line start i up over the comment lines just
// above it.
func (d *editDoc) commentsAbove(i int) int { return commentLinesAbove(d.data, i) }

// commentLinesAbove moves the line start i up over the lines just above it
// that hold only a comment.
func commentLinesAbove(data []byte, i int) int {
	return linesAbove(data, i, func(line []byte) bool { return bytes.HasPrefix(bytes.TrimLeft(line, " \t"), []byte("#")) })
}

// blankLinesAbove moves i, the start of a line, up over the blank lines
// just above it.
func blankLinesAbove(data []byte, i int) int {
	return linesAbove(data, i, func(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 })
}

// linesAbove moves i, the start of a line, up over the lines just above it
// that take accepts.
func linesAbove(data []byte, i int, take func(line []byte) bool) int {
	for i > 0 {
		prev := bytes.LastIndexByte(data[:i-1], '\n') + 1
		if !take(data[prev:i]) {
			return i
		}
		i = prev
	}
	return i
}

func commonPrefix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// blankOrComment reports whether line holds only blanks and a comment.
func blankOrComment(line []byte) bool {
	for _, c := range line {
		switch c {
		case ' ', '\t', '\r', '\n':
		case '#':
			return true
		default:
			return false
		}
	}
	return true
}

// overBlankLine extends a removal [start, end) of whole lines over the
// blank line at end when a blank line also precedes start, so that the
// removal leaves no double blank line.
func overBlankLine(data []byte, start, end int) int {
	if start == 0 || end >= len(data) {
		return end
	}
	prev := bytes.LastIndexByte(data[:start-1], '\n') + 1
	next := end + bytes.IndexByte(data[end:], '\n') + 1
	if next <= end {
		next = len(data)
	}
	if len(bytes.TrimSpace(data[prev:start])) == 0 && len(bytes.TrimSpace(data[end:next])) == 0 {
		return next
	}
	return end
}
