package lockfile

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// table wraps one decoded TOML table while it is being read, tracking which
// keys were used so unknown keys can be reported.
type table struct {
	m   map[string]any
	pkg int // index of the enclosing [[packages]] entry, -1 at top level
	// parent, key and index say where the table is, for messages: key
	// inside parent (parent nil: key is the whole path, "" at the root),
	// item index of an array of tables (-1 when not an item). The path is
	// put together only when an error needs it.
	parent *table
	key    string
	index  int
	line   string   // key to look for when locating an error's line
	used   []string // present keys read so far; tables have few keys, so a slice beats a map
	// strict makes unknown keys errors; children inherit it.
	strict bool
}

func newTable(m map[string]any, pkg int, path, line string) *table {
	return &table{m: m, pkg: pkg, key: path, index: -1, line: line, used: make([]string, 0, len(m))}
}

// path is the table's key path ("" at the root).
func (t *table) path() string {
	if t.parent == nil {
		return t.key
	}
	p := t.parent.keyPath(t.key)
	if t.index >= 0 {
		p += "[" + strconv.Itoa(t.index) + "]"
	}
	return p
}

// keyPath joins the table's path and key.
func (t *table) keyPath(key string) string {
	if p := t.path(); p != "" {
		return p + "." + key
	}
	return key
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
	v, ok := t.m[key]
	if ok && !slices.Contains(t.used, key) {
		t.used = append(t.used, key)
	}
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

// value reads the optional value of key as a T; ok is false when the key is
// absent. what names T in the error for a value of another type.
func value[T any](t *table, key, what string) (v T, ok bool, fe *fieldError) {
	raw, ok := t.get(key)
	if !ok {
		return v, false, nil
	}
	v, ok = raw.(T)
	if !ok {
		return v, false, t.fail(key, "", "expected %s, found %s", what, typeName(raw))
	}
	return v, true, nil
}

// items converts the items of arr, the array of key, to T; what names T in
// the error for an item of another type.
func items[T any](t *table, key string, arr []any, what string) ([]T, *fieldError) {
	out := make([]T, 0, len(arr))
	for i, e := range arr {
		v, ok := e.(T)
		if !ok {
			return nil, t.fail(key, "", "item %d: expected %s, found %s", i, what, typeName(e))
		}
		out = append(out, v)
	}
	return out, nil
}

// str reads an optional string; required makes absence an error.
func (t *table) str(key string, required bool) (string, *fieldError) {
	s, ok, fe := value[string](t, key, "a string")
	if !ok && fe == nil && required {
		return "", t.fail(key, "", "missing required key")
	}
	return s, fe
}

// strs reads an optional array of strings: nil when absent, a non-nil empty
// slice for an empty array.
func (t *table) strs(key string) ([]string, *fieldError) {
	arr, ok, fe := value[[]any](t, key, "an array of strings")
	if !ok {
		return nil, fe
	}
	return items[string](t, key, arr, "a string")
}

func (t *table) boolean(key string) (bool, *fieldError) {
	b, _, fe := value[bool](t, key, "a boolean")
	return b, fe
}

func (t *table) integer(key string) (int64, bool, *fieldError) {
	return value[int64](t, key, "an integer")
}

// datetime reads an optional offset date-time and returns it in UTC.
func (t *table) datetime(key string) (time.Time, *fieldError) {
	tm, _, fe := value[time.Time](t, key, "a date-time with a utc offset")
	return tm.UTC(), fe
}

// child returns the table m found at key inside t (its index-th item when
// index is not -1).
func (t *table) child(m map[string]any, key string, index int, line string) *table {
	st := newTable(m, t.pkg, key, line)
	st.parent, st.index, st.strict = t, index, t.strict
	return st
}

// sub reads an optional sub-table.
func (t *table) sub(key, line string) (*table, *fieldError) {
	m, ok, fe := value[map[string]any](t, key, "a table")
	if !ok {
		return nil, fe
	}
	if line == "" {
		line = t.lineKey(key)
	}
	return t.child(m, key, -1, line), nil
}

// tables reads an optional array of tables.
func (t *table) tables(key string) ([]*table, *fieldError) {
	arr, ok, fe := value[[]any](t, key, "an array of tables")
	if !ok {
		return nil, fe
	}
	maps, fe := items[map[string]any](t, key, arr, "a table")
	if fe != nil {
		return nil, fe
	}
	out := make([]*table, len(maps))
	for i, m := range maps {
		out[i] = t.child(m, key, i, t.lineKey(key))
	}
	return out, nil
}

// generic reads an optional table kept as decoded (for tool tables).
func (t *table) generic(key string) (map[string]any, *fieldError) {
	m, ok, fe := value[map[string]any](t, key, "a table")
	if !ok {
		return nil, fe
	}
	return normalizeMap(m), nil
}

// rest returns the keys not read so far, sorted.
func (t *table) rest() []string {
	var keys []string
	for k := range t.m {
		if !slices.Contains(t.used, k) {
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
