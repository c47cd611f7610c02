// Package resolver chooses one version of every Python package a set of
// requirements needs, with PubGrub (Natalie Weizenbaum's version solving
// algorithm, as in dart pub and pubgrub-rs), over a Provider that lists
// versions and their requirements. It never speaks HTTP itself.
//
// The solver keeps a partial solution, an ordered list of assignments
// (decisions of one version, and terms derived from incompatibilities) with
// decision levels. Incompatibilities (sets of terms that must not all hold)
// live in an arena and are referred to by id; each records its cause: the
// root, no versions in a range, unavailable versions (an unknown package,
// Requires-Python, yanked, no usable distribution), a dependency, or a
// derivation from two others. Unit propagation derives terms from almost
// satisfied incompatibilities; a satisfied one starts conflict resolution,
// which learns a new incompatibility and backjumps. Decisions go to the
// package with the fewest versions left, and within it to the newest
// version the policies allow.
//
// Policies: markers are evaluated against Options.Environment; a candidate
// whose Requires-Python lower bound is above Options.Python is unavailable
// (upper bounds are ignored, as uv does); final releases are preferred to
// pre-releases, which are chosen only when no final release in the allowed
// range can be used, unless Options.Prereleases says otherwise; a yanked
// version is used only when a root requirement pins it with == or ===; the
// strategy picks highest, lowest or lowest-direct versions.
//
// Extras are virtual packages: "name[extra]" at version V depends on "name"
// at exactly V and on the requirements whose marker holds with extra set to
// that extra (and not without it), so an extra may require other extras of
// the same package.
//
// Universal mode (Options.Universal) resolves for every environment the
// project allows at once, as uv's universal resolution does. A fork is a
// marker (where it applies) with its own PubGrub run; the first fork is the
// project's Python versions (Options.RequiresPython) and, when given, one of
// Options.Environments. A requirement whose marker is disjoint from the
// fork's is ignored there; any other applies. When one package's
// requirements name the same dependency with different version ranges under
// markers that differ within the fork (numpy>=2 where python_version >=
// "3.10", numpy<2 below), the fork is split into the parts those markers
// cut it into, and each part is resolved from scratch; so is a fork in which
// a lone requirement's marker raises the lowest Python (a; python_version
// >= "3.10" in a project for >=3.8), as uv does. A candidate whose
// Requires-Python does not allow the fork's lowest Python is unavailable.
// The forks' solutions are merged into one entry per (name, version) whose
// marker is where some fork reaches it: the "or", over the edges into it, of
// the dependent's marker and the requirement's.
//
// Options.Preferences (versions from an existing lock) are tried first
// while the requirements allow them, so a new lock keeps what it can.
//
// A failure is a *NoSolutionError holding the derivation tree as data;
// Explain turns it into sentences. In a universal resolution that forked,
// it also names the fork that has no solution.
package resolver
