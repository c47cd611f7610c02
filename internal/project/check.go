package project

import (
	"fmt"
	"strings"

	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pyproject"
)

// CheckResult is check's verdict: the lock matches when Differences and
// Problems are empty.
type CheckResult struct {
	ProjectPath string
	LockPath    string
	Differences []Difference
	// Problems are what makes the lock untrustworthy on its own (see
	// lockfile.Validate), whatever pyproject.toml says.
	Problems []*lockfile.IntegrityError
}

// Difference is one way pyproject.toml no longer matches the lock.
type Difference struct {
	pyproject.Change
	File    string // pyproject.toml's path
	Line    int    // the line that declares the new entry; 0 when removed
	Section string // the table the entry is in, e.g. "[project.dependencies]"
}

// NoLockError reports that there is no lock to check or install.
type NoLockError struct {
	Path string
}

func (e *NoLockError) Error() string {
	return fmt.Sprintf("no lock file %s; run `pylock lock` to create it", e.Path)
}

// Check compares the inputs recorded in pylock.toml with pyproject.toml, and
// validates the lock on its own. It needs no network. An error means check
// cannot judge: no lock, or a file that does not parse.
func (p *Project) Check() (*CheckResult, error) {
	proj, err := pyproject.Load(p.PyprojectPath())
	if err != nil {
		return nil, err
	}
	lock, problems, err := p.readValidLock()
	if err != nil {
		return nil, err
	}
	result := &CheckResult{ProjectPath: p.PyprojectPath(), LockPath: p.LockPath(), Problems: problems}
	for _, c := range pyproject.Diff(inputsOf(lock.Pylock), proj.Inputs()) {
		result.Differences = append(result.Differences, difference(proj, c))
	}
	return result, nil
}

// readLock reads the project's lock file, leaving its integrity problems
// (see readValidLock) to the workflows that act on them.
func (p *Project) readLock() (*lockfile.File, error) {
	lock, _, err := p.readValidLock()
	return lock, err
}

// difference locates a change in pyproject.toml.
func difference(proj *pyproject.Project, c pyproject.Change) Difference {
	d := Difference{Change: c, File: proj.File, Section: scopeWords(c.Scope)}
	if c.Scope == pyproject.ScopeRequiresPython {
		d.Line = proj.RequiresPythonLine
		return d
	}
	if c.Scope == pyproject.ScopeEnvironments {
		for _, e := range proj.Environments {
			if e.Marker.String() == c.New {
				d.Line = e.Line
			}
		}
		return d
	}
	if c.Scope == pyproject.ScopeIndexes || c.Scope == pyproject.ScopeSources {
		return indexDifference(proj, d)
	}
	if c.New == "" {
		return d
	}
	if dep, ok := proj.Declaration(c.Scope, c.New); ok {
		d.Line, d.Section = dep.Line, dep.Section
	}
	return d
}

// scopeWords names a scope for a person.
func scopeWords(scope string) string {
	switch {
	case scope == pyproject.ScopeMain:
		return "the project's dependencies"
	case scope == pyproject.ScopeOptionalGroups:
		return "the optional dependency groups"
	case scope == pyproject.ScopeEnvironments:
		return "[tool.pylock] environments"
	case scope == pyproject.ScopeIndexes:
		return "the package indexes"
	case scope == pyproject.ScopeSources:
		return "the packages pinned to indexes"
	case strings.HasPrefix(scope, pyproject.ExtraScope("")):
		return fmt.Sprintf("extra '%s'", strings.TrimPrefix(scope, pyproject.ExtraScope("")))
	case strings.HasPrefix(scope, pyproject.GroupScope("")):
		return fmt.Sprintf("dependency group '%s'", strings.TrimPrefix(scope, pyproject.GroupScope("")))
	}
	return scope
}

// String says what changed, where, in words.
func (d Difference) String() string {
	where := d.File
	if d.Line > 0 {
		where = fmt.Sprintf("%s:%d", d.File, d.Line)
	}
	switch {
	case d.Scope == pyproject.ScopeRequiresPython:
		return fmt.Sprintf("%s: requires-python changed from `%s` to `%s`", where, orAny(d.Old), orAny(d.New))
	case d.Old == "":
		return fmt.Sprintf("%s: `%s` was added to %s", where, d.New, d.Section)
	case d.New == "":
		return fmt.Sprintf("%s: `%s` was removed from %s", where, d.Old, d.Section)
	}
	return fmt.Sprintf("%s: `%s` changed to `%s` in %s", where, d.Old, d.New, d.Section)
}

func orAny(spec string) string {
	if spec == "" {
		return "any"
	}
	return spec
}
