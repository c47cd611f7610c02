package pep508

import (
	"strings"

	"github.com/pylock/pylock/pep440"
)

// Marker is a parsed environment marker: an immutable expression tree of
// comparisons joined by "and" and "or". The zero Marker has no expression and
// is always true.
//
// Markers made by the algebra (Not, Simplify, ...) also carry their decision
// diagram. When their text cannot say exactly what the algebra means (see
// algebra_range.go; PEP 508 has no "not"), inexact is set and Evaluate
// follows the diagram rather than the text.
type Marker struct {
	root    *node
	alg     *dd
	inexact bool
}

// nodeKind tells a comparison leaf from the two combinators.
type nodeKind uint8

const (
	leafNode nodeKind = iota
	andNode
	orNode
)

// node is one vertex of a marker tree. Nodes are never changed once a Marker
// holds them, so trees share subtrees freely.
type node struct {
	kind nodeKind
	// paren records that an and/or group was written in parentheses; it is
	// kept only so String prints the marker as packaging does. It never
	// changes the meaning.
	paren bool
	kids  []*node    // andNode, orNode: two or more operands
	cmp   comparison // leafNode
}

// operand is one side of a comparison: an environment variable (by its
// canonical name) or a literal string value.
type operand struct {
	variable bool
	text     string
}

// comparison is one "lhs op rhs" marker item.
type comparison struct {
	lhs, rhs operand
	op       string // "<", "<=", "==", "!=", ">=", ">", "~=", "===", "in", "not in"
	// spec is op followed by a literal rhs as a one-clause specifier set,
	// when that forms a valid PEP 440 specifier; nil otherwise.
	spec pep440.SpecifierSet
	// specOK reports whether spec was computed and valid.
	specOK bool
}

// IsTrue reports whether the marker is trivially true: the zero Marker,
// which is also what every algebra operation returns for a marker true in
// every environment. It looks at the text only, so a parsed tautology such
// as `os_name == "a" or os_name != "a"` is not trivially true; IsAlwaysTrue
// decides that.
func (m Marker) IsTrue() bool { return m.root == nil }

// String returns the marker in packaging's string form: each comparison as
// `var op "value"`, single spaces around operators, "and" and "or", and
// parentheses kept only around nested groups of two or more items. It is ""
// for the zero Marker.
func (m Marker) String() string {
	if m.root == nil {
		return ""
	}
	var b strings.Builder
	m.root.write(&b, leafNode)
	return b.String()
}

// write prints n; parent is the kind of the enclosing group, or leafNode at
// the top level.
func (n *node) write(b *strings.Builder, parent nodeKind) {
	if n.kind == leafNode {
		n.cmp.write(b)
		return
	}
	open := parent != leafNode && (n.paren || parent == andNode && n.kind == orNode)
	if open {
		b.WriteByte('(')
	}
	sep := " and "
	if n.kind == orNode {
		sep = " or "
	}
	for i, k := range n.kids {
		if i > 0 {
			b.WriteString(sep)
		}
		k.write(b, n.kind)
	}
	if open {
		b.WriteByte(')')
	}
}

func (c *comparison) write(b *strings.Builder) {
	c.lhs.write(b)
	b.WriteByte(' ')
	b.WriteString(c.op)
	b.WriteByte(' ')
	c.rhs.write(b)
}

func (o operand) write(b *strings.Builder) {
	if o.variable {
		b.WriteString(o.text)
		return
	}
	b.WriteString(quote(o.text))
}

// quote writes a value as packaging does: in double quotes, or in single
// quotes when it holds a double quote. A value that would not read back the
// same way (one holding a line break, a NUL, both quote characters, or a
// backslash that would start an escape) is written in double quotes with
// Python escapes (\\, \n, \r, \x00, and \x22 for the double quote).
func quote(v string) string {
	if back, ok := unescapePython(v); !ok || back != v || strings.Contains(v, `"`) && strings.Contains(v, "'") {
		r := strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`, "\x00", `\x00`, `"`, `\x22`)
		return `"` + r.Replace(v) + `"`
	}
	if strings.Contains(v, `"`) {
		return "'" + v + "'"
	}
	return `"` + v + `"`
}

// And returns the marker that is true when both a and b are. And with
// False() is False().
func And(a, b Marker) Marker {
	switch {
	case a.alg == ddFalse:
		return a
	case b.alg == ddFalse:
		return b
	}
	return withAlgebra(combine(andNode, a, b), opAnd, a, b)
}

// Or returns the marker that is true when a or b is. The zero Marker is
// true, so Or with it is the zero Marker; Or with False() is the other
// marker.
func Or(a, b Marker) Marker {
	switch {
	case a.IsTrue() || b.IsTrue():
		return Marker{}
	case a.alg == ddFalse:
		return b
	case b.alg == ddFalse:
		return a
	}
	return withAlgebra(combine(orNode, a, b), opOr, a, b)
}

// withAlgebra keeps the exact meaning of an inexact operand in a combination.
func withAlgebra(m Marker, op int, a, b Marker) Marker {
	if !a.inexact && !b.inexact {
		return m
	}
	alg.mu.Lock()
	defer alg.mu.Unlock()
	m.alg, m.inexact = alg.apply(op, a.diagram(), b.diagram()), true
	return m
}

// combine joins two markers under kind, splicing operands that already are
// groups of the same kind so that "a and b" and "c" give "a and b and c".
func combine(kind nodeKind, a, b Marker) Marker {
	if a.IsTrue() {
		return b
	}
	if b.IsTrue() {
		return a
	}
	kids := append(operands(kind, a.root), operands(kind, b.root)...)
	return Marker{root: &node{kind: kind, kids: kids}}
}

// operands returns n's operands as seen from a group of kind.
func operands(kind nodeKind, n *node) []*node {
	if n.kind == kind {
		return append([]*node(nil), n.kids...)
	}
	return []*node{n}
}
