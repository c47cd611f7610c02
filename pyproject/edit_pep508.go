package pyproject

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// addPEP508 adds a requirement to an array of PEP 508 strings, replacing
// the first entry for the same package.
func (e *editor) addPEP508(l depList, add Addition) (EditChange, error) {
	text, err := pep508Text(add)
	if err != nil {
		return EditChange{}, err
	}
	change := EditChange{Name: add.Requirement.NormalizedName(), Section: l.section(), New: text}
	entry := e.doc.entry(l.path)
	if entry == nil {
		kv := quoteKey(l.path[len(l.path)-1]) + " = [\n    " + tomlString(text, '"') + ",\n]"
		return change, e.insertEntry(l.path[:len(l.path)-1], kv)
	}
	a, values, err := e.array(l, entry)
	if err != nil {
		return change, err
	}
	for i, v := range values {
		if entryName(v) == change.Name {
			it := a.items[i]
			change.Old = v
			return change, e.apply(textEdit{it.start, it.end, tomlString(text, e.data[it.start])})
		}
	}
	value := tomlString(text, a.quote())
	if k := sortedPosition(values, change.Name); k >= 0 {
		return change, e.apply(a.insertItem(k, value)...)
	}
	return change, e.apply(a.appendItem(value)...)
}

// sortedPosition is, when the array holds two or more requirements sorted
// by name, the index of the first one whose name sorts after name, as uv
// keeps a sorted list sorted; else (and at the end) -1.
func sortedPosition(values []string, name string) int {
	names := make([]string, len(values))
	for i, v := range values {
		if names[i] = entryName(v); names[i] == "" {
			return -1
		}
	}
	if len(names) < 2 || !slices.IsSorted(names) {
		return -1
	}
	k, _ := slices.BinarySearch(names, name)
	if k == len(names) {
		return -1
	}
	return k
}

// removeAll deletes every entry of the package from an array of PEP 508
// strings.
func (e *editor) removeAll(l depList, name string) ([]EditChange, error) {
	norm := pep508.NormalizeName(name)
	var changes []EditChange
	for {
		entry := e.doc.entry(l.path)
		if entry == nil {
			return changes, nil
		}
		a, values, err := e.array(l, entry)
		if err != nil {
			return changes, err
		}
		k := -1
		for i, v := range values {
			if entryName(v) == norm {
				k = i
				break
			}
		}
		if k < 0 {
			return changes, nil
		}
		changes = append(changes, EditChange{Name: norm, Section: l.section(), Old: values[k]})
		if err := e.apply(a.removeItem(k)...); err != nil {
			return changes, err
		}
	}
}

// array returns the layout of the array entry holds and its values (""
// for values that are not strings).
func (e *editor) array(l depList, entry *docEntry) (arrayLayout, []string, error) {
	raw, ok := e.src.lookup(l.path...).([]any)
	if !ok || entry.value >= len(e.data) || e.data[entry.value] != '[' {
		return arrayLayout{}, nil, &EditError{File: e.file, Line: e.lineOf(entry.start), Section: l.section(), Reason: "it is not an array"}
	}
	a := scanArray(e.data, entry.value)
	if len(a.items) != len(raw) {
		return a, nil, &EditError{File: e.file, Line: e.lineOf(entry.start), Section: l.section(), Reason: "its layout is not understood"}
	}
	values := make([]string, len(raw))
	for i, v := range raw {
		values[i], _ = v.(string)
	}
	return a, values, nil
}

// entryName is the normalized name of a PEP 508 string, or "" when it is
// not one.
func entryName(text string) string {
	r, err := pep508.ParseRequirement(text)
	if err != nil {
		return ""
	}
	return r.NormalizedName()
}

// pep508Text writes an addition as a PEP 508 string, "name @ url" with
// spaces as uv writes it.
func pep508Text(add Addition) (string, error) {
	r := add.Requirement
	if add.LowerBound != "" && len(r.Specifier) == 0 && r.URL == "" {
		set, err := pep440.ParseSpecifierSet(">=" + add.LowerBound)
		if err != nil {
			return "", fmt.Errorf("lower bound %q: %w", add.LowerBound, err)
		}
		r.Specifier = set
	}
	text := strings.Replace(r.String(), r.Specifier.String(), specifierText(r.Specifier), 1)
	if r.URL != "" {
		text = strings.Replace(text, "@ ", " @ ", 1)
	}
	return text, nil
}

// specifierText writes a specifier set's clauses in the order given.
func specifierText(set pep440.SpecifierSet) string {
	clauses := make([]string, len(set))
	for i, sp := range set {
		clauses[i] = sp.String()
	}
	return strings.Join(clauses, ",")
}

// tomlString quotes s as a TOML string, in the style quote (' or ")
// prefers, falling back to the other when s holds that quote.
func tomlString(s string, quote byte) string {
	literalOK := !strings.ContainsAny(s, "'\n\r\t\x7f") && !hasControl(s)
	if literalOK && (quote == '\'' || strings.Contains(s, `"`)) {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 {
			return true
		}
	}
	return false
}
