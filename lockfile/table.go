package lockfile

import (
	"fmt"
	"sort"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// table wraps one decoded TOML table while it is being read, tracking which
// keys were used so unknown keys can be reported.
type table struct {
	m    map[string]any
	pkg  int    // index of the enclosing [[packages]] entry, -1 at top level
	path string // key path of this table for messages ("" at the root)
	line string // key to look for when locating an error's line
	used map[string]bool
	// strict makes unknown keys errors; children inherit it.
	strict bool
}

func newTable(m map[string]any, pkg int, path, line string) *table {
	return &table{m: m, pkg: pkg, path: path, line: line, used: map[string]bool{}}
}

// keyPath joins the table's path and key.
func (t *table) keyPath(key string) string {
	if t.path == "" {
		return key
	}
	return t.path + "." + key
}

// lineKey is the key searched for in the file when an error is located.
func (t *table) lineKey(key string) string {
	if t.line != "" {
		return t.line
	}
	return key
}

func (t *table) fail(key, value, format string, args ...any) *fieldError {
	return errf(t.pkg, t.lineKey(key), t.keyPath(key), value, format, args...)
}

func (t *table) get(key string) (any, bool) {
	t.used[key] = true
	v, ok := t.m[key]
	return v, ok
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "table"
	case time.Time, toml.LocalDate, toml.LocalTime, toml.LocalDateTime:
		return "datetime"
	}
	return fmt.Sprintf("%T", v)
}

// str reads an optional string; required makes absence an error.
func (t *table) str(key string, required bool) (string, *fieldError) {
	v, ok := t.get(key)
	if !ok {
		if required {
			return "", t.fail(key, "", "missing required key")
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", t.fail(key, "", "expected a string, found %s", typeName(v))
	}
	return s, nil
}

// strs reads an optional array of strings: nil when absent, a non-nil empty
// slice for an empty array.
func (t *table) strs(key string) ([]string, *fieldError) {
	v, ok := t.get(key)
	if !ok {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, t.fail(key, "", "expected an array of strings, found %s", typeName(v))
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, t.fail(key, "", "item %d: expected a string, found %s", i, typeName(e))
		}
		out = append(out, s)
	}
	return out, nil
}

func (t *table) boolean(key string) (bool, *fieldError) {
	v, ok := t.get(key)
	if !ok {
		return false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, t.fail(key, "", "expected a boolean, found %s", typeName(v))
	}
	return b, nil
}

func (t *table) integer(key string) (int64, bool, *fieldError) {
	v, ok := t.get(key)
	if !ok {
		return 0, false, nil
	}
	n, ok := v.(int64)
	if !ok {
		return 0, false, t.fail(key, "", "expected an integer, found %s", typeName(v))
	}
	return n, true, nil
}

// datetime reads an optional offset date-time and returns it in UTC.
func (t *table) datetime(key string) (time.Time, *fieldError) {
	v, ok := t.get(key)
	if !ok {
		return time.Time{}, nil
	}
	tm, ok := v.(time.Time)
	if !ok {
		return time.Time{}, t.fail(key, "", "expected a date-time with a utc offset, found %s", typeName(v))
	}
	return tm.UTC(), nil
}

// sub reads an optional sub-table.
func (t *table) sub(key, line string) (*table, *fieldError) {
	v, ok := t.get(key)
	if !ok {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, t.fail(key, "", "expected a table, found %s", typeName(v))
	}
	if line == "" {
		line = t.lineKey(key)
	}
	st := newTable(m, t.pkg, t.keyPath(key), line)
	st.strict = t.strict
	return st, nil
}

// tables reads an optional array of tables.
func (t *table) tables(key string) ([]*table, *fieldError) {
	v, ok := t.get(key)
	if !ok {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, t.fail(key, "", "expected an array of tables, found %s", typeName(v))
	}
	out := make([]*table, 0, len(arr))
	for i, e := range arr {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, t.fail(key, "", "item %d: expected a table, found %s", i, typeName(e))
		}
		st := newTable(m, t.pkg, fmt.Sprintf("%s[%d]", t.keyPath(key), i), t.lineKey(key))
		st.strict = t.strict
		out = append(out, st)
	}
	return out, nil
}

// generic reads an optional table kept as decoded (for tool tables).
func (t *table) generic(key string) (map[string]any, *fieldError) {
	v, ok := t.get(key)
	if !ok {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, t.fail(key, "", "expected a table, found %s", typeName(v))
	}
	return normalizeMap(m), nil
}

// rest returns the keys not read so far, sorted.
func (t *table) rest() []string {
	var keys []string
	for k := range t.m {
		if !t.used[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// checkUnknown reports the first key not read, when t is strict.
func (t *table) checkUnknown() *fieldError {
	if !t.strict {
		return nil
	}
	if keys := t.rest(); len(keys) > 0 {
		return t.fail(keys[0], "", "unknown key %q", keys[0])
	}
	return nil
}

// normalizeMap converts every date-time in m, at any depth, to UTC in place
// and returns m.
func normalizeMap(m map[string]any) map[string]any {
	for k, v := range m {
		m[k] = normalizeValue(v)
	}
	return m
}

func normalizeValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC()
	case map[string]any:
		return normalizeMap(x)
	case []any:
		for i := range x {
			x[i] = normalizeValue(x[i])
		}
	}
	return v
}

// nonEmpty returns nil for an empty map.
func nonEmpty(m map[string]any) map[string]any {
	if len(m) == 0 {
		return nil
	}
	return m
}
