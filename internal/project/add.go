package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pylock/pylock/internal/atomicfile"
	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pyproject"
)

// AddOptions are the inputs of Add.
type AddOptions struct {
	LockOptions
	Requirements []string // PEP 508 requirements, as given
	Group        string   // add to this dependency group
	Extra        string   // add to this optional-dependency extra
}

// RemoveOptions are the inputs of Remove.
type RemoveOptions struct {
	LockOptions
	Packages []string // package names
	Group    string   // remove from this dependency group
	Extra    string   // remove from this optional-dependency extra
}

// EditResult says what Add or Remove changed.
type EditResult struct {
	Changes []EditChange // in pyproject.toml
	Lock    *LockResult
}

// EditChange is one entry Add or Remove added, replaced or removed in
// pyproject.toml.
type EditChange = pyproject.EditChange

// NotDeclaredError reports a package Remove cannot find in the list named.
type NotDeclaredError = pyproject.NotDeclaredError

// RequirementArgError reports a requirement argument that is not PEP 508.
type RequirementArgError struct {
	Text string
	Err  error
}

func (e *RequirementArgError) Error() string {
	return fmt.Sprintf("invalid requirement %q: %v", e.Text, e.Err)
}

// Unwrap returns the parse error.
func (e *RequirementArgError) Unwrap() error { return e.Err }

// NotLockedEditError reports an edit of pyproject.toml that could not be
// locked; the file was put back as it was and pylock.toml left alone.
type NotLockedEditError struct {
	Path string // pyproject.toml
	Err  error  // why locking failed
}

func (e *NotLockedEditError) Error() string {
	return fmt.Sprintf("%v\n%s is left as it was", e.Err, e.Path)
}

// Unwrap returns why locking failed.
func (e *NotLockedEditError) Unwrap() error { return e.Err }

// Add adds requirements to pyproject.toml (the main dependencies, a group
// or an extra), keeping the file's formatting, and locks. A requirement
// without a version is locked first, then written with the locked version
// as its lower bound (">=V", or "^V" in a Poetry project), as uv and Poetry
// do. When locking fails, pyproject.toml gets its old bytes back and
// pylock.toml is not touched.
func (p *Project) Add(ctx context.Context, opts AddOptions) (*EditResult, error) {
	adds, err := parseAdditions(opts.Requirements)
	if err != nil {
		return nil, err
	}
	return p.editPyproject(ctx, func(path string, old []byte) (*EditResult, error) {
		target := pyproject.DependencyTarget{Group: opts.Group, Extra: opts.Extra}
		edited, changes, err := pyproject.AddDependencies(path, old, adds, target)
		if err != nil || !needsBounds(adds) {
			return p.writeAndLock(ctx, path, old, edited, changes, opts.LockOptions, err)
		}
		bare := opts.LockOptions
		bare.pyproject = edited // resolved unwritten: a kill leaves the old file
		locked, _, err := p.resolveLock(ctx, bare, p.previousLock())
		if err != nil {
			return nil, &NotLockedEditError{Path: path, Err: err}
		}
		for i := range adds {
			adds[i].LowerBound = lowestLocked(locked, adds[i].Requirement)
		}
		edited, changes, err = pyproject.AddDependencies(path, old, adds, target)
		return p.writeAndLock(ctx, path, old, edited, changes, opts.LockOptions, err)
	})
}

// Remove removes packages from pyproject.toml (the main dependencies, a
// group or an extra), keeping the file's formatting, and locks. When
// locking fails, pyproject.toml gets its old bytes back and pylock.toml is
// not touched.
func (p *Project) Remove(ctx context.Context, opts RemoveOptions) (*EditResult, error) {
	return p.editPyproject(ctx, func(path string, old []byte) (*EditResult, error) {
		target := pyproject.DependencyTarget{Group: opts.Group, Extra: opts.Extra}
		edited, changes, err := pyproject.RemoveDependencies(path, old, opts.Packages, target)
		return p.writeAndLock(ctx, path, old, edited, changes, opts.LockOptions, err)
	})
}

// editPyproject runs edit with pyproject.toml's path and bytes, holding the
// project's lock: one editor of this project at a time.
func (p *Project) editPyproject(ctx context.Context, edit func(path string, old []byte) (*EditResult, error)) (*EditResult, error) {
	unlock, err := p.lockProject(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	path := p.PyprojectPath()
	old, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return edit(path, old)
}

// writeAndLock writes the edited pyproject.toml and locks, restoring the
// old bytes when editErr is set or locking fails.
func (p *Project) writeAndLock(ctx context.Context, path string, old, edited []byte, changes []EditChange, opts LockOptions, editErr error) (*EditResult, error) {
	if editErr != nil {
		return nil, p.restore(path, old, editErr)
	}
	if err := writePyproject(path, edited); err != nil {
		return nil, p.restore(path, old, err)
	}
	res, err := p.Lock(ctx, opts)
	if err != nil {
		return nil, p.restore(path, old, &NotLockedEditError{Path: path, Err: err})
	}
	return &EditResult{Changes: changes, Lock: res}, nil
}

// restore puts the old pyproject.toml back, when it changed, and returns
// cause (with the restore's own failure, if any).
func (p *Project) restore(path string, old []byte, cause error) error {
	if now, err := os.ReadFile(path); err == nil && string(now) == string(old) {
		return cause
	}
	if err := writePyproject(path, old); err != nil {
		return errors.Join(cause, err)
	}
	p.log(1, "Restored %s", path)
	return cause
}

// WriteFile writes data to path atomically: a temporary file in the same
// folder, synced, then renamed over path, keeping path's permissions. A
// reader, or the next run after a crash, sees the old file or the new one.
func WriteFile(path string, data []byte) error {
	return atomicfile.Write(path, data, atomicfile.Options{Sync: true})
}

// pyprojectTemp names the temporary files of pyproject.toml's edits, so that
// the next run under the project's lock removes those a kill left.
const pyprojectTemp = ".pyproject-*.tmp"

// writePyproject writes an edit of pyproject.toml as WriteFile does.
func writePyproject(path string, data []byte) error {
	return atomicfile.Write(path, data, atomicfile.Options{Sync: true, TempPattern: pyprojectTemp})
}

// removeEditTemps removes the temporary files of killed writes from the
// project folder; the caller holds the project's lock.
func removeEditTemps(dir string) {
	lockfile.RemoveTemps(dir)
	leftovers, _ := filepath.Glob(filepath.Join(dir, pyprojectTemp))
	for _, l := range leftovers {
		os.Remove(l)
	}
}

func parseAdditions(texts []string) ([]pyproject.Addition, error) {
	adds := make([]pyproject.Addition, len(texts))
	for i, text := range texts {
		r, err := pep508.ParseRequirement(text)
		if err != nil {
			return nil, &RequirementArgError{Text: text, Err: err}
		}
		adds[i] = pyproject.Addition{Requirement: r}
	}
	return adds, nil
}

// needsBounds reports whether some addition names no version.
func needsBounds(adds []pyproject.Addition) bool {
	for _, a := range adds {
		if unbounded(a.Requirement) {
			return true
		}
	}
	return false
}

func unbounded(r pep508.Requirement) bool { return len(r.Specifier) == 0 && r.URL == "" }

// lowestLocked is the lowest version the lock pins for an unbounded
// requirement, without a local label, or "".
func lowestLocked(lock *lockfile.File, r pep508.Requirement) string {
	if !unbounded(r) {
		return ""
	}
	var lowest *pep440.Version
	for _, pkg := range lock.Packages {
		v, err := pep440.Parse(pkg.Version)
		if err != nil || pep508.NormalizeName(pkg.Name) != r.NormalizedName() {
			continue
		}
		if v = v.Public(); lowest == nil || v.Compare(*lowest) < 0 {
			lowest = &v
		}
	}
	if lowest == nil {
		return ""
	}
	return lowest.String()
}
