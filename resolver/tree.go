package resolver

import (
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// Node is one incompatibility of a derivation tree: a set of terms that
// cannot all hold, and why. External nodes (every cause but CauseDerived)
// are facts about the index and the requirements; a derived node follows
// from its two Causes. A node may be shared by several parents.
type Node struct {
	ID    int
	Terms []Term
	Cause Cause
	// Reason says why versions are unavailable (CauseUnavailable).
	Reason string
	// Only, for CauseNoVersions, lists the versions the index has outside
	// the node's range when the range is exactly all other versions.
	Only []pep440.Version
	// Requirements are the requirement strings behind a CauseDependency node.
	Requirements []string
	// Causes are the two nodes a CauseDerived node follows from.
	Causes []*Node
}

// NoSolutionError reports that no set of versions satisfies the
// requirements. Tree is the derivation tree ending in the root
// incompatibility; Explain turns it into sentences.
type NoSolutionError struct {
	Tree *Node
	// Fork, in a universal resolution that forked, is the marker of the
	// environments that have no solution; zero when the failure is not
	// limited to some environments.
	Fork pep508.Marker
}

// Error is the explanation of the failure, naming the environments it
// concerns when the resolution forked.
func (e *NoSolutionError) Error() string {
	if !e.Fork.IsTrue() {
		return "resolver: no solution found for the environments where " + e.Fork.String() + ":\n" + Explain(e.Tree)
	}
	return "resolver: no solution found:\n" + Explain(e.Tree)
}

// buildTree turns the incompatibility id and everything it was derived from
// into a tree of Nodes, sharing nodes the way the arena shares ids.
func buildTree(ar *arena, id int) *Node {
	memo := map[int]*Node{}
	var build func(id int) *Node
	build = func(id int) *Node {
		if n, ok := memo[id]; ok {
			return n
		}
		ic := ar.get(id)
		n := &Node{ID: id, Terms: ic.terms, Cause: ic.cause, Reason: ic.reason, Only: ic.only, Requirements: ic.reqs}
		memo[id] = n
		if ic.cause == CauseDerived {
			n.Causes = []*Node{build(ic.left), build(ic.right)}
		}
		return n
	}
	return build(id)
}

// isDerived reports whether the node follows from two others.
func (n *Node) isDerived() bool { return n.Cause == CauseDerived }

// String states the incompatibility in words, without a final period.
func (n *Node) String() string {
	switch n.Cause {
	case CauseRoot:
		return "your project is required"
	case CauseNoVersions:
		return n.noVersionsString()
	case CauseUnavailable:
		if isNotFound(n.Reason) {
			return n.Reason
		}
		return n.Terms[0].String() + " is unavailable (" + n.Reason + ")"
	case CauseDependency:
		dep := n.Terms[1]
		if dep.Range.IsEmpty() && len(n.Requirements) > 0 {
			return n.Terms[0].String() + " depends on " + joinAnd(n.Requirements)
		}
		return n.Terms[0].String() + " depends on " + describe(dep.Package, dep.Range)
	}
	return derivedString(n.Terms)
}

func (n *Node) noVersionsString() string {
	t := n.Terms[0]
	switch {
	case t.Range.IsEmpty():
		return "the requirements on " + t.Package.String() + " allow no version"
	case len(n.Only) == 0:
		return "there is no version of " + t.String()
	case len(n.Only) == 1:
		return "only " + describe(t.Package, pep440.Singleton(n.Only[0])) + " is available"
	}
	names := make([]string, len(n.Only))
	for i, v := range n.Only {
		names[i] = describe(t.Package, pep440.Singleton(v))
	}
	return "only " + joinAnd(names) + " are available"
}

// derivedString states a learned incompatibility.
func derivedString(terms []Term) string {
	hasRoot := false
	var rest []Term
	var root Term
	for _, t := range terms {
		if t.Package.IsRoot() && t.Positive {
			hasRoot, root = true, t
			continue
		}
		rest = append(rest, t)
	}
	switch {
	case len(rest) == 0:
		return "the requirements are unsatisfiable"
	case len(rest) == 1 && rest[0].Positive:
		return rest[0].String() + " cannot be used"
	case len(rest) == 1 && hasRoot:
		return "your project requires " + describe(rest[0].Package, rest[0].Range)
	case len(rest) == 1:
		return describe(rest[0].Package, rest[0].Range) + " is required"
	case len(rest) == 2 && !hasRoot && rest[0].Positive != rest[1].Positive:
		pos, neg := rest[0], rest[1]
		if !pos.Positive {
			pos, neg = neg, pos
		}
		return pos.String() + " requires " + describe(neg.Package, neg.Range)
	case len(rest) == 2 && !hasRoot && rest[0].Positive:
		return rest[0].String() + " is incompatible with " + rest[1].String()
	}
	if hasRoot {
		rest = append([]Term{root}, rest...)
	}
	names := make([]string, len(rest))
	for i, t := range rest {
		names[i] = t.String()
	}
	return joinAnd(names) + " are incompatible"
}

func joinAnd(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
