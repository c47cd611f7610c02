package project

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/pylock/pylock/internal/cache"
	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pyproject"
	"github.com/pylock/pylock/resolver"
	"github.com/pylock/pylock/venv"
)

// LockOptions are the inputs of Lock beyond the Settings. Empty policy
// options re-use what the previous lock recorded in [tool.pylock] settings.
type LockOptions struct {
	Python string // the interpreter to resolve for: a path, "X.Y", or "" to search PATH
	// PythonVersion, when set, resolves for this CPython version ("3.12" or
	// "3.12.4") without running an interpreter: a synthetic marker
	// environment and tag list stand in for it, as uv's --python-version.
	PythonVersion string
	// PythonPlatform is the platform of a PythonVersion target (see
	// Platforms); "" means the platform pylock runs on.
	PythonPlatform string
	Prerelease     string // allow, disallow, if-necessary-or-explicit; "" re-uses the recorded one
	Resolution     string // highest, lowest, lowest-direct; "" re-uses the recorded one
	// ExcludeNewer (RFC 3339 or YYYY-MM-DD) makes versions whose files were
	// all uploaded after it unavailable; "" re-uses the recorded one.
	ExcludeNewer string
	// AllowSdist lets a version that has only a source distribution usable
	// for the target be locked (installing it needs a build pylock does not
	// do yet).
	AllowSdist bool
	NoBuild    []string // projects whose source distributions may not be used
	NoBinary   []string // projects whose wheels may not be used
	// Upgrade ignores the versions the previous lock pinned; otherwise they
	// are tried first while the requirements allow them.
	Upgrade bool
	// UpgradePackages ignores the previous lock's versions of these
	// packages only (pylock update PKG...).
	UpgradePackages []string
	// pyproject, when set, is resolved instead of the pyproject.toml on
	// disk: Add resolves an edit before it writes it.
	pyproject []byte
}

// LockResult says what Lock did.
type LockResult struct {
	Path     string // the lock file
	Packages int    // packages locked
	Changed  bool   // false when the file already held exactly this lock
	Python   string // the interpreter version resolved for
}

// Lock resolves the project's requirements for the chosen target and writes
// pylock.toml atomically. The same inputs and index give a byte-identical
// file. Versions the previous lock pinned are preferred while they still fit
// (unless it was made with other policies or for another target), so a
// re-lock after an unrelated edit changes only what it must. Without a
// pylock.toml, the versions pinned by another tool's lock (poetry.lock,
// pdm.lock, uv.lock, or pinned requirements*.txt files) are preferred the
// same way, and the ones not kept are logged with the reason. Locks of one
// project run one at a time (a file lock in the cache serialises them).
func (p *Project) Lock(ctx context.Context, opts LockOptions) (*LockResult, error) {
	unlock, err := p.lockProject(ctx) // one writer of this pylock.toml at a time
	if err != nil {
		return nil, err
	}
	defer unlock()
	previous, migrated, err := p.startingLock(opts.Upgrade)
	if err != nil {
		return nil, err
	}
	file, result, err := p.resolveLock(ctx, opts, previous)
	if err != nil {
		return nil, err
	}
	p.explainMigration(ctx, migrated, file)
	old, _ := os.ReadFile(result.Path)
	if bytes.Equal(old, file.Format()) {
		return result, nil
	}
	result.Changed = true
	return result, lockfile.WriteFile(result.Path, file)
}

// resolveLock resolves the project starting from the previous lock and
// returns the new lock without writing it.
func (p *Project) resolveLock(ctx context.Context, opts LockOptions, previous *lockfile.File) (*lockfile.File, *LockResult, error) {
	proj, err := pyproject.Load(p.PyprojectPath())
	if opts.pyproject != nil {
		proj, err = pyproject.Parse(p.PyprojectPath(), opts.pyproject)
	}
	if err != nil {
		return nil, nil, err
	}
	pol, err := parsePolicies(opts, previous.Pylock.Settings)
	if err != nil {
		return nil, nil, err
	}
	sc, err := p.lockScope(proj, opts, previous.Pylock.Settings, pol.settings)
	if err != nil {
		return nil, nil, err
	}
	indexes, err := p.indexes(proj)
	if err != nil {
		return nil, nil, err
	}
	origins, err := originsOf(proj)
	if err != nil {
		return nil, nil, err
	}
	upgrade := opts.Upgrade || settingsChanged(previous.Pylock, pol.settings, sc.environment())
	ip := newIndexProvider(ctx, indexes, sc, pol)
	defer ip.close()
	roots, ranges := rootRequirements(origins, sc.universal())
	res, err := resolver.Resolve(ctx, p.trackResolution(ip), roots, sc.options(ranges, pol, preferencesOf(previous, upgrade, opts.UpgradePackages)))
	p.progress.done(PhaseResolving)
	if err != nil {
		return nil, nil, err
	}
	file, err := p.buildLock(ctx, ip, indexes, proj, res, origins, sc)
	if err != nil {
		return nil, nil, err
	}
	result := &LockResult{Path: p.LockPath(), Packages: len(file.Packages), Python: sc.requiresPython}
	if !sc.universal() {
		result.Python = sc.target.Version.String()
	}
	return file, result, nil
}

// lockScope is what to lock for: universally, unless opts (or, when opts
// names no target, the previous lock) name one target: a synthetic
// interpreter for a Python version, or an interpreter on the machine. It
// records a synthetic target in settings.
func (p *Project) lockScope(proj *pyproject.Project, opts LockOptions, recorded, settings map[string]string) (scope, error) {
	version, plat := opts.PythonVersion, opts.PythonPlatform
	if version == "" && plat != "" {
		return scope{}, &TargetError{Option: settingPythonPlatform, Value: plat, Reason: "needs a Python version (--python-version)"}
	}
	if version == "" && opts.Python == "" {
		version, plat = recorded[settingPythonVersion], recorded[settingPythonPlatform]
	}
	if version == "" && opts.Python == "" {
		p.log(1, "Resolving for every environment the project allows")
		return p.universalScope(proj)
	}
	py, err := p.lockTarget(proj, opts.Python, version, plat, settings)
	return scope{target: py, requiresPython: requiresPythonOf(proj)}, err
}

// lockTarget is the one interpreter to resolve for: a synthetic one for a
// Python version, else the one opts.Python names.
func (p *Project) lockTarget(proj *pyproject.Project, hint, version, plat string, settings map[string]string) (*venv.Interpreter, error) {
	if version == "" {
		py, err := findInterpreter(p.finder(), proj.RequiresPython, hint)
		if err != nil {
			return nil, err
		}
		p.log(1, "Resolving for %s (Python %s)", py.Path, py.Version)
		return py, nil
	}
	py, err := syntheticInterpreter(version, plat)
	if err != nil {
		return nil, err
	}
	settings[settingPythonVersion] = version
	if plat != "" {
		settings[settingPythonPlatform] = plat
	}
	p.log(1, "Resolving for CPython %s on %s", py.Version, py.Env.Vars["sys_platform"])
	if !proj.RequiresPython.IsAny() && !proj.RequiresPython.Range().Contains(py.Version) {
		p.log(0, "warning: Python %s is outside the project's requires-python %s", py.Version, proj.RequiresPython)
	}
	return py, nil
}

// previousLock reads the lock a re-lock starts from; a missing or broken
// lock gives an empty one.
func (p *Project) previousLock() *lockfile.File {
	lock, err := lockfile.ReadFile(p.LockPath())
	if err != nil {
		return &lockfile.File{}
	}
	return lock
}

// settingsChanged reports whether the previous lock was made with other
// policies or for another target; its pins are then not preferred, since
// they answer another question.
func settingsChanged(previous lockfile.ToolPylock, settings map[string]string, environment string) bool {
	if previous.IsZero() {
		return false
	}
	recorded := previous.Settings
	if recorded[settingEnvironment] != environment {
		return true
	}
	for _, key := range []string{settingPrerelease, settingResolution, settingExcludeNewer, settingPythonVersion, settingPythonPlatform} {
		if recorded[key] != settings[key] {
			return true
		}
	}
	return false
}

// preferencesOf maps every package of a previous lock to its version, for
// the resolver to try first, except the packages named in lift.
func preferencesOf(lock *lockfile.File, upgrade bool, lift []string) map[string]pep440.Version {
	prefs := map[string]pep440.Version{}
	if upgrade {
		return prefs
	}
	for _, pkg := range lock.Packages {
		if v, err := pep440.Parse(pkg.Version); err == nil {
			prefs[pep508.NormalizeName(pkg.Name)] = v
		}
	}
	for _, name := range lift {
		delete(prefs, pep508.NormalizeName(name))
	}
	return prefs
}

// findInterpreter finds an interpreter allowed by requires, which may be a
// union of specifier sets (from Poetry's "||").
func findInterpreter(f *venv.Finder, requires pyproject.Constraint, hint string) (*venv.Interpreter, error) {
	if len(requires) == 0 {
		return f.Find(nil, hint)
	}
	var firstErr error
	for _, set := range requires {
		py, err := f.Find(set, hint)
		if err == nil {
			return py, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// cacheRoot returns the configured cache folder or the default one.
func (p *Project) cacheRoot() (string, error) {
	if p.cacheDir != "" {
		return p.cacheDir, nil
	}
	dir, err := cache.DefaultDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder: %w (set PYLOCK_CACHE_DIR or --cache-dir)", err)
	}
	return dir, nil
}
