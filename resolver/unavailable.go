package resolver

import "fmt"

// UnavailableKind is the rule that makes versions of a package unusable.
type UnavailableKind int

const (
	// UnavailableByProvider: the provider's Candidate.Unavailable (no
	// distribution fits the target, every file is newer than a cut-off, ...).
	UnavailableByProvider UnavailableKind = iota
	// UnavailableNotFound: the index has no package of that name.
	UnavailableNotFound
	// UnavailableByPython: a Requires-Python the target does not meet.
	UnavailableByPython
	// UnavailableYanked: a yanked version that no == pin names.
	UnavailableYanked
	// UnavailablePrerelease: a pre-release where they are not allowed.
	UnavailablePrerelease
	// UnavailableSelfDependency: a version that depends on another version
	// of itself.
	UnavailableSelfDependency
)

// Unavailability says why versions of a package cannot be used: the rule,
// the reason in words, and what an explanation needs to advise.
type Unavailability struct {
	Kind UnavailableKind
	// Text is the reason in words, as an explanation quotes it.
	Text string
	// Hint, for UnavailableByProvider, is the provider's
	// Candidate.UnavailableHint: what would make the versions usable.
	Hint string
	// PythonSpec and PythonTarget, for UnavailableByPython, are the
	// Requires-Python and the target it misses ("the lock is for Python
	// 3.9", "your project supports Python >=3.8").
	PythonSpec, PythonTarget string
}

// String returns the reason in words.
func (u Unavailability) String() string { return u.Text }

// notFound is the reason of the incompatibility for an unknown package.
func notFound(name, where string) Unavailability {
	return Unavailability{Kind: UnavailableNotFound, Text: notFoundReason(name, where)}
}

// notFoundReason says that the index (where, when known) has no package
// name.
func notFoundReason(name, where string) string {
	if where == "" {
		return fmt.Sprintf("there is no package named '%s'", name)
	}
	return fmt.Sprintf("there is no package named '%s' on %s", name, where)
}
