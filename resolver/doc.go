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
// A failure is a *NoSolutionError holding the derivation tree as data;
// Explain turns it into sentences.
package resolver
