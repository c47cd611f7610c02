package lockfile

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

// quote renders s as a TOML string: a literal string ('...') when s holds a
// double quote but no single quote or control character, which keeps markers
// readable, else a basic string with escapes.
func quote(s string) string {
	if strings.Contains(s, `"`) && !strings.ContainsFunc(s, func(r rune) bool {
		return r == '\'' || r < 0x20 || r == 0x7f || r == utf8.RuneError
	}) {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// tomlTime renders an offset date-time, in UTC as "Z" when it is UTC.
func tomlTime(t time.Time) string {
	return t.Format("2006-01-02T15:04:05.999999999Z07:00")
}

func tomlFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// inline renders a value as an inline TOML value. Types go-toml does not
// decode are written as their fmt string.
func inline(v any) string {
	switch x := v.(type) {
	case string:
		return quote(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return tomlFloat(x)
	case time.Time:
		return tomlTime(x)
	case toml.LocalDate, toml.LocalTime, toml.LocalDateTime:
		return fmt.Sprint(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = inline(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		return inlineStrings(x)
	case map[string]any:
		return inlineTable(x)
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, s := range x {
			m[k] = s
		}
		return inlineTable(m)
	}
	return quote(fmt.Sprint(v))
}

func inlineStrings(list []string) string {
	parts := make([]string, len(list))
	for i, s := range list {
		parts[i] = quote(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// inlineTable renders m with sorted keys.
func inlineTable(m map[string]any) string {
	if len(m) == 0 {
		return "{}"
	}
	keys := sortedKeys(m)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = quoteKey(k) + " = " + inline(m[k])
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// kv is one key/value pair of an inline table in a fixed order.
type kv struct {
	key string
	val string // rendered; "" omits the pair
}

// orderedTable renders pairs in the given order, skipping empty ones.
func orderedTable(pairs []kv) string {
	var parts []string
	for _, p := range pairs {
		if p.val != "" {
			parts = append(parts, quoteKey(p.key)+" = "+p.val)
		}
	}
	if len(parts) == 0 {
		return "{}"
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func header(path []string) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = quoteKey(p)
	}
	return strings.Join(parts, ".")
}

// writeScalars writes the non-table keys of m as key = value lines.
func writeScalars(b *bytes.Buffer, m map[string]any) {
	for _, k := range sortedKeys(m) {
		if _, ok := m[k].(map[string]any); !ok {
			fmt.Fprintf(b, "%s = %s\n", quoteKey(k), inline(m[k]))
		}
	}
}

// hasScalars reports whether m holds a non-table value.
func hasScalars(m map[string]any) bool {
	for _, v := range m {
		if _, ok := v.(map[string]any); !ok {
			return true
		}
	}
	return false
}

// writeTable writes m as the table [path], its sub-tables after it. The
// header is left out when the table has only sub-tables.
func writeTable(b *bytes.Buffer, path []string, m map[string]any) {
	if hasScalars(m) || len(m) == 0 {
		fmt.Fprintf(b, "\n[%s]\n", header(path))
		writeScalars(b, m)
	}
	writeSubtables(b, path, m)
}

func writeSubtables(b *bytes.Buffer, path []string, m map[string]any) {
	for _, k := range sortedKeys(m) {
		if sub, ok := m[k].(map[string]any); ok {
			writeTable(b, append(path[:len(path):len(path)], k), sub)
		}
	}
}

// writeList writes key = [ ... ] with one item per line.
func writeList(b *bytes.Buffer, key string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "%s = [\n", key)
	for _, it := range items {
		fmt.Fprintf(b, "    %s,\n", it)
	}
	b.WriteString("]\n")
}

// quoteKey renders a key part bare when TOML allows, else quoted.
func quoteKey(k string) string {
	if k != "" && strings.IndexFunc(k, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0 {
		return k
	}
	return quote(k)
}
