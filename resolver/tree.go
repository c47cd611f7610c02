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
	Reason Unavailability
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

func joinAnd(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
