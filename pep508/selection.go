package pep508

import "slices"

// PEP 751 lets a lock's markers test which extras and dependency groups an
// installer was asked for, with the set variables `extras` and
// `dependency_groups`. A tool that knows the selection but not the target
// environment (an export to requirements.txt) evaluates those comparisons
// and keeps the others; a validator lists the names they test.

// ResolveSelection evaluates every comparison of m that tests extras or
// dependency_groups against env's selection (as Evaluate does) and returns
// what remains of m, as written: ok is false when m is then false in every
// environment, and rest is the zero Marker when m then holds in every
// environment.
func (m Marker) ResolveSelection(env Environment) (rest Marker, ok bool) {
	if m.root == nil {
		return Marker{}, true
	}
	value, node := m.root.resolveSelection(&env)
	if node == nil {
		return Marker{}, value
	}
	return Marker{root: node}, true
}

// resolveSelection is ResolveSelection of one node: a nil node with the
// value it is constant at, or the node that remains (with value true).
func (n *node) resolveSelection(env *Environment) (bool, *node) {
	if n.kind == leafNode {
		if n.cmp.testsSelection() {
			return n.cmp.eval(env), nil
		}
		return true, n
	}
	absorbing := n.kind == orNode // true decides an "or", false an "and"
	var kids []*node
	changed := false
	for _, k := range n.kids {
		value, rest := k.resolveSelection(env)
		switch {
		case rest != nil:
			kids = append(kids, rest)
			changed = changed || rest != k
		case value == absorbing:
			return absorbing, nil
		default:
			changed = true
		}
	}
	switch {
	case len(kids) == 0:
		return !absorbing, nil
	case len(kids) == 1:
		return true, kids[0]
	case !changed:
		return true, n
	}
	return true, &node{kind: n.kind, paren: n.paren, kids: kids}
}

// SelectionNames returns the names m tests for membership of extras and of
// dependency_groups (`"name" in extras`, `"name" not in dependency_groups`),
// normalized, in the order they appear, each once.
func (m Marker) SelectionNames() (extras, groups []string) {
	var walk func(n *node)
	walk = func(n *node) {
		if n.kind != leafNode {
			for _, k := range n.kids {
				walk(k)
			}
			return
		}
		c := n.cmp
		if c.lhs.variable || !c.rhs.variable || !isSetVariable(c.rhs.text) || c.op != "in" && c.op != "not in" {
			return
		}
		// newComparison normalized the name.
		if c.rhs.text == "extras" {
			extras = appendOnce(extras, c.lhs.text)
		} else {
			groups = appendOnce(groups, c.lhs.text)
		}
	}
	if m.root != nil {
		walk(m.root)
	}
	return extras, groups
}

// testsSelection reports whether the comparison involves extras or
// dependency_groups.
func (c *comparison) testsSelection() bool {
	return c.lhs.variable && isSetVariable(c.lhs.text) || c.rhs.variable && isSetVariable(c.rhs.text)
}

// appendOnce appends s to list unless it holds it.
func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
