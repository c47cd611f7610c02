package resolver

import (
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// PrereleaseMode says when pre-release versions may be chosen.
type PrereleaseMode int

const (
	// PrereleaseIfNecessaryOrExplicit (the default) prefers final releases:
	// a pre-release is chosen only when no final release in the package's
	// allowed range can be used, which covers a range that names a
	// pre-release and a package that only has pre-releases.
	PrereleaseIfNecessaryOrExplicit PrereleaseMode = iota
	// PrereleaseAllow treats pre-releases like any other version.
	PrereleaseAllow
	// PrereleaseDisallow never chooses a pre-release.
	PrereleaseDisallow
)

// Strategy orders the versions the resolver tries for a package.
type Strategy int

const (
	// StrategyHighest tries the newest version first (the default).
	StrategyHighest Strategy = iota
	// StrategyLowest tries the oldest version first.
	StrategyLowest
	// StrategyLowestDirect tries the oldest version first for packages the
	// root requires directly and the newest for the rest.
	StrategyLowestDirect
)

// RootRange is a root requirement given as an explicit set of versions, for
// constraints one specifier set cannot spell (such as Poetry's "^1.2 || ^2.0").
type RootRange struct {
	Name   string // as written; normalized by the resolver
	Extras []string
	Range  pep440.Range
	Marker pep508.Marker // where the requirement applies; zero = everywhere
}

// Options configure one resolution.
type Options struct {
	// Environment is what markers are evaluated against; the resolver sets
	// "extra" itself.
	Environment pep508.Environment
	// Python is the target interpreter version: a candidate whose
	// Requires-Python does not contain it is unavailable. Nil skips the check.
	Python *pep440.Version
	// Prereleases is the pre-release policy.
	Prereleases PrereleaseMode
	// Strategy picks highest, lowest or lowest-direct versions.
	Strategy Strategy
	// RootRanges are further root requirements, as explicit ranges.
	RootRanges []RootRange
	// Universal resolves for every environment the project allows instead
	// of Options.Environment (Environment and Python are then unused): the
	// result may hold several versions of a package, each with the marker
	// under which it is installed.
	Universal bool
	// RequiresPython is, in universal mode, the project's Python versions
	// (python_full_version); an empty range (the zero value) means every
	// version. A candidate whose Requires-Python does not allow the lowest
	// Python of its fork is unavailable.
	RequiresPython pep440.Range
	// Environments, in universal mode and when not empty, narrows the
	// resolution to the environments satisfying one of these markers.
	Environments []pep508.Marker
	// Preferences maps normalized names to versions tried first while the
	// requirements allow them (from an existing lock), whatever the
	// strategy.
	Preferences map[string]pep440.Version
}
