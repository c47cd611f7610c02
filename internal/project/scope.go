package project

import (
	"fmt"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pyproject"
	"github.com/pylock/pylock/resolver"
	"github.com/pylock/pylock/venv"
)

// scope is what a lock serves: one target environment (an interpreter found
// on the machine, or a synthetic one), or, for a universal lock, every
// environment the project allows: every Python in its requires-python, on
// every platform, narrowed by [tool.pylock] environments.
type scope struct {
	target         *venv.Interpreter // nil for a universal lock
	python         pep440.Range      // universal: the Python versions served
	requiresPython string            // the lock's requires-python
	environments   []pep508.Marker   // universal: [tool.pylock] environments
}

// universalScope is the scope of a universal lock of proj. A project that
// does not say which Pythons it supports is locked for the minor version of
// the Python on PATH and newer, as uv does, and says so.
func (p *Project) universalScope(proj *pyproject.Project) (scope, error) {
	sc := scope{requiresPython: requiresPythonOf(proj)}
	for _, e := range proj.Environments {
		sc.environments = append(sc.environments, e.Marker)
	}
	if !proj.RequiresPython.IsAny() {
		sc.python = proj.RequiresPython.Range()
		return sc, nil
	}
	py, err := p.finder().Find(nil, "")
	if err != nil {
		return scope{}, fmt.Errorf("the project has no requires-python and no Python was found to default to: %w", err)
	}
	minor := fmt.Sprintf(">=%d.%d", py.Version.Release()[0], at(py.Version.Release(), 1))
	set, err := pep440.ParseSpecifierSet(minor)
	if err != nil {
		return scope{}, err
	}
	p.log(0, "warning: %s sets no requires-python; locking for Python %s (the Python on PATH)", proj.File, minor)
	sc.python, sc.requiresPython = set.Range(), minor
	return sc, nil
}

func at(release []int, i int) int {
	if i < len(release) {
		return release[i]
	}
	return 0
}

// universal reports whether the scope is every environment the project allows.
func (sc scope) universal() bool { return sc.target == nil }

// tags are the wheel tags a version needs one of to be usable: the target's,
// or nil (any wheel) for a universal lock.
func (sc scope) tags() []dist.Tag {
	if sc.universal() {
		return nil
	}
	return sc.target.Tags
}

// environment is the marker of the one target environment, or "" for a
// universal lock.
func (sc scope) environment() string {
	if sc.universal() {
		return ""
	}
	return environmentMarker(sc.target)
}

// lockEnvironments is the lock's `environments` key: the target's marker,
// or the project's environment markers (none: every environment).
func (sc scope) lockEnvironments() []string {
	if !sc.universal() {
		return []string{environmentMarker(sc.target)}
	}
	var out []string
	for _, m := range sc.environments {
		out = append(out, m.String())
	}
	return out
}

// options are the resolver options for this scope.
func (sc scope) options(ranges []resolver.RootRange, pol policies, prefs map[string]pep440.Version) resolver.Options {
	opts := resolver.Options{RootRanges: ranges, Prereleases: pol.prerelease, Strategy: pol.strategy, Preferences: prefs}
	if sc.universal() {
		opts.Universal, opts.RequiresPython, opts.Environments = true, sc.python, sc.environments
		return opts
	}
	opts.Environment, opts.Python = sc.target.Env, &sc.target.Version
	return opts
}

// packageMarker is the marker of a locked package: in a universal lock, where
// the resolver found it is needed; else the extras and groups that need it.
func (sc scope) packageMarker(rp resolver.ResolvedPackage, byName map[string]string) string {
	if sc.universal() {
		return rp.Marker.String()
	}
	return byName[rp.Name]
}
