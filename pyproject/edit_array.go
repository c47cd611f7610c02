package pyproject

import (
	"bytes"
	"sort"
	"strings"
)

// textEdit replaces data[start:end] with text.
type textEdit struct {
	start, end int
	text       string
}

// applyEdits returns data with the edits made; they must not overlap.
func applyEdits(data []byte, edits ...textEdit) []byte {
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	out := bytes.Clone(data)
	for _, e := range edits {
		out = append(out[:e.start:e.start], append([]byte(e.text), out[e.end:]...)...)
	}
	return out
}

// arrayLayout is where an array's brackets, items and commas are.
type arrayLayout struct {
	data        []byte
	open, close int // offsets of "[" and "]"
	items       []arrayItem
}

// arrayItem is one value of an array.
type arrayItem struct {
	start, end int
	comma      int // offset of the comma after it, -1 when none
}

// scanArray reads the layout of the array starting at data[open], which
// must be valid TOML.
func scanArray(data []byte, open int) arrayLayout {
	a := arrayLayout{data: data, open: open}
	i := open + 1
	for {
		i = skipBlanks(data, i, true)
		if i >= len(data) || data[i] == ']' {
			a.close = min(i, len(data)-1)
			return a
		}
		if data[i] == ',' {
			if n := len(a.items); n > 0 {
				a.items[n-1].comma = i
			}
			i++
			continue
		}
		end := skipValue(data, i)
		a.items = append(a.items, arrayItem{start: i, end: end, comma: -1})
		i = end
	}
}

// skipBlanks skips spaces and tabs, and with newlines also line ends and
// comments.
func skipBlanks(data []byte, i int, newlines bool) int {
	for i < len(data) {
		switch c := data[i]; {
		case c == ' ' || c == '\t':
			i++
		case newlines && (c == '\r' || c == '\n'):
			i++
		case newlines && c == '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// skipValue returns the end of the TOML value starting at data[i].
func skipValue(data []byte, i int) int {
	switch data[i] {
	case '"', '\'':
		return skipString(data, i)
	case '[', '{':
		return skipNested(data, i)
	}
	for i < len(data) && !strings.ContainsRune(",]} \t\r\n#", rune(data[i])) {
		i++
	}
	return i
}

// skipNested returns the end of the array or inline table at data[i].
func skipNested(data []byte, i int) int {
	depth := 0
	for i < len(data) {
		switch data[i] {
		case '"', '\'':
			i = skipString(data, i)
			continue
		case '#':
			i = skipBlanks(data, i, true)
			continue
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return i
}

// skipString returns the end of the string starting at data[i].
func skipString(data []byte, i int) int {
	q := data[i]
	delim := []byte{q}
	if bytes.HasPrefix(data[i:], []byte{q, q, q}) {
		delim = []byte{q, q, q}
	}
	j := i + len(delim)
	for j < len(data) {
		if q == '"' && data[j] == '\\' {
			j += 2
			continue
		}
		if bytes.HasPrefix(data[j:], delim) {
			j += len(delim)
			for len(delim) == 3 && j < len(data) && data[j] == q {
				j++
			}
			return min(j, len(data))
		}
		j++
	}
	return len(data)
}

// multiline reports whether the array spans lines.
func (a arrayLayout) multiline() bool {
	return bytes.IndexByte(a.data[a.open:a.close], '\n') >= 0
}

// quote is the quote character the array's strings use, '"' by default.
func (a arrayLayout) quote() byte {
	for _, it := range a.items {
		if c := a.data[it.start]; c == '\'' || c == '"' {
			return c
		}
	}
	return '"'
}

// indent is the indentation of the array's items: that of its last item on
// a line of its own, else four spaces more than the line holding "[".
func (a arrayLayout) indent() string {
	for k := len(a.items) - 1; k >= 0; k-- {
		if prefix, own := a.linePrefix(a.items[k].start); own {
			return prefix
		}
	}
	prefix, _ := a.linePrefix(a.open)
	return leadingBlanks(prefix) + "    "
}

// linePrefix returns the text before offset i on its line, and whether that
// text is blank.
func (a arrayLayout) linePrefix(i int) (string, bool) {
	start := bytes.LastIndexByte(a.data[:i], '\n') + 1
	prefix := string(a.data[start:i])
	return prefix, strings.TrimLeft(prefix, " \t") == ""
}

func leadingBlanks(s string) string { return s[:len(s)-len(strings.TrimLeft(s, " \t"))] }

// appendItem adds value (TOML text) after the last item, in the array's
// own style: one more line in a multi-line array, inline otherwise.
func (a arrayLayout) appendItem(value string) []textEdit {
	n := len(a.items)
	switch {
	case n == 0 && a.multiline():
		return a.appendToEmptyMultiline(value)
	case n == 0:
		return []textEdit{{a.open + 1, a.open + 1, value}}
	case !a.multiline():
		last := a.items[n-1]
		if last.comma >= 0 {
			return []textEdit{{last.comma + 1, last.comma + 1, " " + value + ","}}
		}
		return []textEdit{{last.end, last.end, a.separator() + value}}
	}
	return a.appendLine(value)
}

// insertItem adds value (TOML text) before item k: on a line of its own,
// above the comments that lead item k, when item k stands on its own line
// of a multi-line array; inline otherwise.
func (a arrayLayout) insertItem(k int, value string) []textEdit {
	it := a.items[k]
	if prefix, own := a.linePrefix(it.start); own && a.multiline() {
		at := commentLinesAbove(a.data, it.start-len(prefix))
		return []textEdit{{at, at, prefix + value + ",\n"}}
	}
	return []textEdit{{it.start, it.start, value + a.separator()}}
}

// separator is the text between the first two items of a one-line array,
// or ", ".
func (a arrayLayout) separator() string {
	if len(a.items) > 1 && a.items[0].comma >= 0 {
		return string(a.data[a.items[0].end:a.items[1].start])
	}
	return ", "
}

func (a arrayLayout) appendToEmptyMultiline(value string) []textEdit {
	prefix, own := a.linePrefix(a.close)
	if own {
		at := a.close - len(prefix)
		return []textEdit{{at, at, prefix + "    " + value + ",\n"}}
	}
	return []textEdit{{a.close, a.close, "\n" + a.indent() + value + ",\n"}}
}

// appendLine adds value on a line of its own after the last item of a
// multi-line array, keeping whether the last item has a trailing comma.
func (a arrayLayout) appendLine(value string) []textEdit {
	last := a.items[len(a.items)-1]
	line := a.indent() + value
	if last.comma < 0 {
		nl := bytes.IndexByte(a.data[last.end:a.close], '\n')
		if nl < 0 {
			return []textEdit{{last.end, last.end, ",\n" + line}}
		}
		at := last.end + nl + 1
		return []textEdit{{last.end, last.end, ","}, {at, at, line + "\n"}}
	}
	line += ","
	nl := bytes.IndexByte(a.data[last.comma:a.close], '\n')
	if nl < 0 {
		return []textEdit{{a.close, a.close, "\n" + line}}
	}
	at := last.comma + nl + 1
	return []textEdit{{at, at, line + "\n"}}
}

// removeItem deletes item k with its comma, and when it stands on lines of
// its own, those lines with their comment; the comment lines just above it
// go too unless another item follows, as they then spoke of it alone. An
// array left empty becomes "[]".
func (a arrayLayout) removeItem(k int) []textEdit {
	it := a.items[k]
	if len(a.items) == 1 && !a.hasComments() {
		return []textEdit{{a.open, a.close + 1, "[]"}}
	}
	if edits, ok := a.removeLine(k); ok {
		return edits
	}
	if it.comma >= 0 {
		return []textEdit{{it.start, skipBlanks(a.data, it.comma+1, false), ""}}
	}
	if k > 0 {
		return []textEdit{{a.items[k-1].end, it.end, ""}}
	}
	return []textEdit{{it.start, it.end, ""}}
}

// removeLine deletes the lines of item k when nothing else stands on them.
func (a arrayLayout) removeLine(k int) ([]textEdit, bool) {
	it := a.items[k]
	prefix, own := a.linePrefix(it.start)
	end := skipBlanks(a.data, max(it.end, it.comma+1), false)
	if end < a.close && a.data[end] == '#' {
		end += bytes.IndexByte(a.data[end:], '\n')
	} else if end+1 < a.close && a.data[end] == '\r' && a.data[end+1] == '\n' {
		end++
	}
	if !own || end >= a.close || a.data[end] != '\n' {
		return nil, false
	}
	end++
	start := it.start - len(prefix)
	if !a.startsItem(end) {
		start = commentLinesAbove(a.data, start)
	}
	edits := []textEdit{{start, overBlankLine(a.data, start, end), ""}}
	if it.comma < 0 && k > 0 && a.items[k-1].comma >= 0 {
		c := a.items[k-1].comma
		edits = append(edits, textEdit{c, c + 1, ""})
	}
	return edits, true
}

// startsItem reports whether the line at i starts with an item.
func (a arrayLayout) startsItem(i int) bool {
	j := skipBlanks(a.data, i, false)
	for _, it := range a.items {
		if it.start == j {
			return true
		}
	}
	return false
}

// hasComments reports whether the array holds a comment.
func (a arrayLayout) hasComments() bool {
	for i := a.open + 1; i < a.close; i++ {
		switch a.data[i] {
		case '"', '\'':
			i = skipString(a.data, i) - 1
		case '#':
			return true
		}
	}
	return false
}
