package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/venv"
)

// InstallOptions are the inputs of Install beyond the Settings.
type InstallOptions struct {
	Python    string   // the interpreter: a path, "X.Y", or "" to search PATH
	VenvDir   string   // the virtualenv; .venv in the project when empty
	Groups    []string // dependency groups to install as well
	Extras    []string // extras to install as well
	AllExtras bool     // install every extra
	Frozen    bool     // do not check the lock against pyproject.toml
	Inexact   bool     // keep installed packages the lock does not select
	DryRun    bool     // compute and return the plan, change nothing
	LinkMode  string   // "hardlink" (the default when empty) or "copy"
	Force     bool     // replace a venv directory pylock did not make
	NoBuild   bool     // refuse to build a package that has only a source distribution
	NoRoot    bool     // do not install the project itself (editable) when it has a [build-system]
	// AllowUnhashed installs files the lock has no sha256 for, unchecked
	// (every other integrity problem still stops the install).
	AllowUnhashed bool
}

// InstallResult says what Install did, or with DryRun would do.
type InstallResult struct {
	Venv        string
	Python      string
	CreatedVenv bool  // the virtualenv did not exist (with DryRun: would be created)
	Plan        *Plan // computed before anything was changed
	Installed   int   // packages installed, upgraded or downgraded
	Removed     int   // extraneous packages removed
	Unchanged   int
	Built       []string // "name version" of each package built from its sdist now
}

// StaleLockError stops an install whose lock no longer matches pyproject.toml.
type StaleLockError struct {
	LockPath    string
	Differences []Difference
}

func (e *StaleLockError) Error() string {
	lines := make([]string, 0, len(e.Differences))
	for _, d := range e.Differences {
		lines = append(lines, "  "+d.String())
	}
	return fmt.Sprintf("%s is stale; run `pylock lock`, or pass --frozen to use it as it is:\n%s", e.LockPath, strings.Join(lines, "\n"))
}

// UnknownSelectionError reports a group or extra the lock does not have.
type UnknownSelectionError struct {
	Kind  string // "dependency group" or "extra"
	Name  string
	Known []string
}

func (e *UnknownSelectionError) Error() string {
	known := "none"
	if len(e.Known) > 0 {
		known = strings.Join(e.Known, ", ")
	}
	return fmt.Sprintf("the lock has no %s '%s' (it has: %s)", e.Kind, e.Name, known)
}

// NoWheelError reports a locked package with no wheel the interpreter can
// use, and either no sdist or a build refused by --no-build.
type NoWheelError struct {
	Name, Version string
	Tag           string // the interpreter's best tag
	NoBuild       bool   // the package has an sdist, but building is refused
}

func (e *NoWheelError) Error() string {
	if e.NoBuild {
		return fmt.Sprintf("%s %s has no wheel for this interpreter (best tag %s), and --no-build refuses to build its source distribution", e.Name, e.Version, e.Tag)
	}
	return fmt.Sprintf("%s %s has no wheel for this interpreter (best tag %s) and no source distribution", e.Name, e.Version, e.Tag)
}

// Install syncs a virtualenv with the lock: it installs exactly the packages
// the lock selects for the interpreter, groups and extras, each file checked
// against the lock's sha256 before it is unpacked, and removes the rest. A
// lock that fails validation (an *UntrustedLockError) installs nothing.
func (p *Project) Install(ctx context.Context, opts InstallOptions) (*InstallResult, error) {
	lock, err := p.readTrustedLock(opts.AllowUnhashed)
	if err != nil {
		return nil, err
	}
	if !opts.Frozen {
		if err := p.requireFresh(); err != nil {
			return nil, err
		}
	}
	dir := p.venvDir(opts.VenvDir)
	py, err := keptOr(dir, opts.Python, func(hint string) (*venv.Interpreter, error) {
		return p.installInterpreter(lock, hint)
	})
	if err != nil {
		return nil, err
	}
	p.log(1, "Using %s (Python %s)", py.Path, py.Version)
	wanted, err := selectWheels(lock, py, opts)
	if err != nil {
		return nil, err
	}
	if err := p.addRoot(wanted, opts.NoRoot); err != nil {
		return nil, err
	}
	link, err := parseLinkMode(opts.LinkMode)
	if err != nil {
		return nil, err
	}
	if opts.DryRun {
		return dryRun(dir, py, wanted, opts.Inexact)
	}
	if err := p.hashUnhashed(ctx, wanted); err != nil {
		return nil, err
	}
	env, created, err := p.createVenv(dir, py, opts.Force)
	if err != nil {
		return nil, err
	}
	endSync, err := env.BeginSync(ctx) // lock the venv, repair an interrupted sync
	if err != nil {
		return nil, err
	}
	defer endSync()
	res, err := p.sync(ctx, env, wanted, opts.Inexact, link)
	if res != nil {
		res.CreatedVenv = created
	}
	return res, err
}

// createVenv makes the virtualenv at dir for py, or reuses the one there
// (see venv.CreateWith); created says there was none.
func (p *Project) createVenv(dir string, py *venv.Interpreter, force bool) (*venv.Env, bool, error) {
	_, statErr := os.Stat(filepath.Join(dir, "pyvenv.cfg"))
	env, err := venv.CreateWith(dir, py, venv.CreateOptions{Force: force, Finder: p.finder()})
	return env, statErr != nil, err
}

// parseLinkMode reads InstallOptions.LinkMode.
func parseLinkMode(s string) (venv.LinkMode, error) {
	if s == "" {
		return venv.LinkHardlink, nil
	}
	return venv.ParseLinkMode(s)
}

// dryRun plans an install into dir without changing anything: a virtualenv
// that does not exist yet plans against nothing.
func dryRun(dir string, py *venv.Interpreter, wanted map[string]lockedWheel, inexact bool) (*InstallResult, error) {
	res := &InstallResult{Venv: dir, Python: py.Version.String()}
	var installed []venv.Dist
	if _, err := os.Stat(filepath.Join(dir, "pyvenv.cfg")); err != nil {
		res.CreatedVenv = true
	} else {
		env, err := venv.Open(dir)
		if err != nil {
			return nil, err
		}
		if installed, err = env.Installed(); err != nil {
			return nil, err
		}
	}
	res.Plan = newPlan(installed, wantedVersions(wanted), inexact)
	res.count()
	return res, nil
}

// count fills the counters from the plan.
func (r *InstallResult) count() {
	r.Removed = r.Plan.Count(ChangeRemove)
	r.Unchanged = r.Plan.Count(ChangeUnchanged)
	r.Installed = len(r.Plan.Changes) - r.Removed - r.Unchanged
}

func wantedVersions(wanted map[string]lockedWheel) map[string]string {
	out := make(map[string]string, len(wanted))
	for name, lw := range wanted {
		out[name] = lw.pkg.Version
	}
	return out
}

// requireFresh fails with check's message when the lock is stale.
func (p *Project) requireFresh() error {
	res, err := p.Check()
	if err != nil {
		return err
	}
	if len(res.Differences) > 0 {
		return &StaleLockError{LockPath: res.LockPath, Differences: res.Differences}
	}
	return nil
}

func (p *Project) venvDir(dir string) string {
	if dir == "" {
		return filepath.Join(p.dir, VenvName)
	}
	if filepath.IsAbs(dir) {
		return dir
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

// installInterpreter finds an interpreter allowed by the lock's requires-python.
func (p *Project) installInterpreter(lock *lockfile.File, hint string) (*venv.Interpreter, error) {
	var requires pep440.SpecifierSet
	if lock.RequiresPython != "" {
		set, err := pep440.ParseSpecifierSet(lock.RequiresPython)
		if err != nil {
			return nil, err
		}
		requires = set
	}
	return p.finder().Find(requires, hint)
}

// lockedWheel is one package to install and the wheel chosen for it; a nil
// wheel means the package is built from its sdist, or, with editable set,
// that it is the project itself, built editable with that build system.
type lockedWheel struct {
	pkg      *lockfile.Package
	wheel    *lockfile.Wheel
	editable *venv.BuildSystem
}

// addRoot adds the project itself to the wanted packages, unless noRoot is
// set or it has no [build-system].
func (p *Project) addRoot(wanted map[string]lockedWheel, noRoot bool) error {
	if noRoot {
		return nil
	}
	lw, ok, err := p.rootEditable()
	if ok {
		wanted[lw.pkg.Name] = lw
	}
	return err
}

// selectWheels picks the lock's packages for the interpreter, groups and
// extras, and the best wheel of each.
func selectWheels(lock *lockfile.File, py *venv.Interpreter, opts InstallOptions) (map[string]lockedWheel, error) {
	env := py.Env
	groups, err := checkSelection("dependency group", opts.Groups, lock.DependencyGroups)
	if err != nil {
		return nil, err
	}
	extras := lock.Extras
	if !opts.AllExtras {
		if extras, err = checkSelection("extra", opts.Extras, lock.Extras); err != nil {
			return nil, err
		}
	}
	env.DependencyGroups = append(append([]string{}, lock.DefaultGroups...), groups...)
	env.Extras = extras
	pkgs, err := lock.SelectPackages(env)
	var whole *lockfile.SelectError
	if errors.As(err, &whole) && whole.Package == "" {
		return nil, fmt.Errorf("%w; run `pylock lock` with this interpreter to lock for it", err)
	}
	if err != nil {
		return nil, err
	}
	wanted := map[string]lockedWheel{}
	for _, pkg := range pkgs {
		w, ok := pkg.BestWheel(py.Tags)
		if !ok && (pkg.Sdist == nil || opts.NoBuild) {
			return nil, &NoWheelError{Name: pkg.Name, Version: pkg.Version, Tag: py.Tags[0].String(), NoBuild: pkg.Sdist != nil}
		}
		wanted[pkg.Name] = lockedWheel{pkg: pkg, wheel: w}
	}
	return wanted, nil
}

// checkSelection normalizes the names asked for and checks the lock has them.
func checkSelection(kind string, asked, known []string) ([]string, error) {
	names := make([]string, 0, len(asked))
	for _, a := range asked {
		name := pep508.NormalizeName(a)
		if !contains(known, name) {
			return nil, &UnknownSelectionError{Kind: kind, Name: a, Known: known}
		}
		names = append(names, name)
	}
	return names, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sync makes env hold exactly the wanted wheels (or, inexact, at least
// them): it plans, removes the extraneous packages, fetches and unpacks the
// missing wheels in parallel (each checked against the lock's sha256 and
// unpacked once into the cache), then installs them from their unpacked trees.
func (p *Project) sync(ctx context.Context, env *venv.Env, wanted map[string]lockedWheel, inexact bool, link venv.LinkMode) (*InstallResult, error) {
	installed, err := env.Installed()
	if err != nil {
		return nil, err
	}
	res := &InstallResult{Venv: env.Dir, Python: env.Python.Version.String()}
	res.Plan = newPlan(installed, wantedVersions(wanted), inexact)
	res.count()
	var todo []lockedWheel
	for _, c := range res.Plan.Changes {
		switch c.Kind {
		case ChangeRemove:
			if err := env.Uninstall(c.Name); err != nil {
				return nil, err
			}
		case ChangeInstall, ChangeUpgrade, ChangeDowngrade:
			todo = append(todo, wanted[c.Name])
		}
	}
	if len(todo) == 0 {
		return res, nil
	}
	trees, names, err := p.fetch(ctx, env.Python, todo, res)
	if err != nil {
		return nil, err
	}
	p.progress.start(PhaseInstalling, len(todo))
	defer p.progress.done(PhaseInstalling)
	for i, lw := range todo {
		if lw.editable != nil {
			if err := p.installEditable(ctx, env, lw); err != nil {
				return nil, err
			}
			continue
		}
		if err := env.InstallUnpacked(trees[i], names[i], venv.WithLinkMode(link)); err != nil {
			return nil, err
		}
		p.progress.advance(PhaseInstalling, lw.pkg.Name)
	}
	return res, nil
}

// unpackedBucket is the cache bucket of unpacked wheels, one directory per
// wheel named by its sha256.
const unpackedBucket = "unpacked-v1"

// fetch returns the unpacked tree and wheel file name of each package,
// downloading and unpacking in parallel what the cache does not hold yet;
// packages with only an sdist are built first (see fetchBuilt), and res
// records which were built now.
func (p *Project) fetch(ctx context.Context, py *venv.Interpreter, todo []lockedWheel, res *InstallResult) ([]string, []string, error) {
	root, err := p.cacheRoot()
	if err != nil {
		return nil, nil, err
	}
	bucket := filepath.Join(root, unpackedBucket)
	trees := make([]string, len(todo))
	names := make([]string, len(todo))
	var missing, sdists []int
	for i, lw := range todo {
		switch {
		case lw.editable != nil:
			continue
		case lw.wheel == nil:
			sdists = append(sdists, i)
			continue
		}
		trees[i] = filepath.Join(bucket, lw.wheel.Hashes["sha256"])
		names[i] = filepath.Base(lw.wheel.Name)
		if lw.wheel.Hashes["sha256"] == "" {
			return nil, nil, fmt.Errorf("%s: the lock has no sha256 for %s", lw.pkg.Name, lw.wheel.Name)
		}
		if _, err := os.Stat(trees[i]); err != nil {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 && len(sdists) == 0 {
		return trees, names, nil
	}
	ix, err := p.indexes(p.loadedProject())
	if err != nil {
		return nil, nil, err
	}
	for _, i := range sdists {
		if trees[i], names[i], err = p.fetchBuilt(ctx, ix, py, todo[i], bucket, res); err != nil {
			return nil, nil, err
		}
	}
	p.progress.start(PhaseDownloading, len(missing))
	defer p.progress.done(PhaseDownloading)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, i := range missing {
		lw := todo[i]
		g.Go(func() error {
			path, err := p.download(ctx, ix, lw)
			if err != nil {
				return err
			}
			p.progress.advance(PhaseDownloading, lw.wheel.Name)
			return venv.UnpackWheel(path, filepath.Base(lw.wheel.Name), trees[i])
		})
	}
	return trees, names, g.Wait()
}

// download fetches one wheel into the cache and returns its path; a file
// whose sha256 differs from the lock's is refused.
func (p *Project) download(ctx context.Context, ix *pypi.Indexes, lw lockedWheel) (string, error) {
	index := lw.pkg.Index
	if index == "" {
		index = p.defaultIndex()
	}
	return ix.CachedDownload(ctx, index, lw.wheel.URL, lw.wheel.Hashes["sha256"])
}
