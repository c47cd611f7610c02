package pep508

import (
	"slices"
	"strings"

	"github.com/pylock/pylock/pep440"
)

// Environment holds the values markers are evaluated against.
type Environment struct {
	// Vars maps the eleven PEP 508 variables (python_version, sys_platform,
	// ...) and "extra" to their values; a missing variable is "", and an
	// empty "extra" means no extra.
	Vars map[string]string
	// Extras is PEP 751's set-valued `extras` variable ('x' in extras).
	Extras []string
	// DependencyGroups is PEP 751's `dependency_groups` variable.
	DependencyGroups []string
}

// isSetVariable reports whether name is one of PEP 751's set variables.
func isSetVariable(name string) bool { return name == "extras" || name == "dependency_groups" }

// Evaluate reports whether the marker holds in env, as packaging 24.2's
// Marker.evaluate computes it. Each comparison is a version test when the
// operator and the right-hand value form a valid PEP 440 specifier and the
// left-hand value is a valid version (pre-releases allowed); otherwise it
// compares strings: "in" and "not in" as substring tests, the ordering
// operators by code point, "===" as equality, and "~=" is false. Extra names
// are normalized on both sides. The set variables are tested only as
// `"name" in extras` or `"name" not in dependency_groups`; any other
// comparison involving them is false. A comparison of two variables compares
// both values from env.
func (m Marker) Evaluate(env Environment) bool {
	if m.root == nil {
		return true
	}
	if m.inexact {
		return m.alg.eval(&env)
	}
	return m.root.eval(&env)
}

func (n *node) eval(env *Environment) bool {
	switch n.kind {
	case andNode:
		for _, k := range n.kids {
			if !k.eval(env) {
				return false
			}
		}
		return true
	case orNode:
		for _, k := range n.kids {
			if k.eval(env) {
				return true
			}
		}
		return false
	}
	return n.cmp.eval(env)
}

func (c *comparison) eval(env *Environment) bool {
	if c.lhs.variable && isSetVariable(c.lhs.text) {
		return false
	}
	if c.rhs.variable && isSetVariable(c.rhs.text) {
		return c.evalMembership(env)
	}
	lhs, rhs := c.lhs.value(env), c.rhs.value(env)
	if c.lhs.variable && c.lhs.text == "extra" || !c.lhs.variable && c.rhs.variable && c.rhs.text == "extra" {
		lhs, rhs = NormalizeName(lhs), NormalizeName(rhs)
	}
	spec, ok := c.spec, c.specOK
	if c.rhs.variable {
		spec, ok = singleSpecifier(c.op, rhs)
	}
	if ok {
		if v, err := pep440.Parse(lhs); err == nil {
			return spec.Contains(v, pep440.PrereleasesAllow)
		}
	}
	return compareStrings(lhs, c.op, rhs)
}

// evalMembership evaluates `"name" in set` and `"name" not in set`.
func (c *comparison) evalMembership(env *Environment) bool {
	if c.lhs.variable {
		return false
	}
	set := env.Extras
	if c.rhs.text == "dependency_groups" {
		set = env.DependencyGroups
	}
	member := slices.ContainsFunc(set, func(s string) bool { return NormalizeName(s) == c.lhs.text })
	switch c.op {
	case "in":
		return member
	case "not in":
		return !member
	}
	return false
}

// value returns the operand's value in env.
func (o operand) value(env *Environment) string {
	if !o.variable {
		return o.text
	}
	v := env.Vars[o.text]
	if o.text == "python_full_version" && strings.HasSuffix(v, "+") {
		v += "local"
	}
	return v
}

// compareStrings applies op to two strings as Python compares str values.
func compareStrings(lhs, op, rhs string) bool {
	switch op {
	case "in":
		return strings.Contains(rhs, lhs)
	case "not in":
		return !strings.Contains(rhs, lhs)
	case "==", "===":
		return lhs == rhs
	case "!=":
		return lhs != rhs
	case "<":
		return lhs < rhs
	case "<=":
		return lhs <= rhs
	case ">":
		return lhs > rhs
	case ">=":
		return lhs >= rhs
	}
	return false
}
