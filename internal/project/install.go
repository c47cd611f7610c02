package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
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
}

// InstallResult says what Install did.
type InstallResult struct {
	Venv      string
	Python    string
	Installed int
	Removed   int
	Unchanged int
	Changes   []string // one line per package installed or removed, e.g. "+ idna 3.7"
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
	return fmt.Sprintf("%s is stale; run `pylock lock` (or install with --frozen):\n%s", e.LockPath, strings.Join(lines, "\n"))
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

// NoWheelError reports a locked package with no wheel the interpreter can use.
type NoWheelError struct {
	Name, Version string
	Tag           string // the interpreter's best tag
}

func (e *NoWheelError) Error() string {
	return fmt.Sprintf("%s %s has no wheel for this interpreter (best tag %s), and pylock does not build source distributions yet", e.Name, e.Version, e.Tag)
}

// Install syncs a virtualenv with the lock: it installs exactly the packages
// the lock selects for the interpreter, groups and extras, each file checked
// against the lock's sha256 before it is unpacked, and removes the rest.
func (p *Project) Install(ctx context.Context, opts InstallOptions) (*InstallResult, error) {
	lock, err := p.readLock()
	if err != nil {
		return nil, err
	}
	if !opts.Frozen {
		if err := p.requireFresh(); err != nil {
			return nil, err
		}
	}
	py, err := p.installInterpreter(lock, opts.Python)
	if err != nil {
		return nil, err
	}
	wanted, err := selectWheels(lock, py, opts)
	if err != nil {
		return nil, err
	}
	env, err := venv.Create(p.venvDir(opts.VenvDir), py)
	if err != nil {
		return nil, err
	}
	return p.sync(ctx, env, wanted)
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
	return venv.Find(requires, hint)
}

// lockedWheel is one package to install and the wheel chosen for it.
type lockedWheel struct {
	pkg   *lockfile.Package
	wheel *lockfile.Wheel
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
		if !ok {
			return nil, &NoWheelError{Name: pkg.Name, Version: pkg.Version, Tag: py.Tags[0].String()}
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

// sync makes env hold exactly the wanted wheels: it removes what is not
// wanted or has another version, downloads the missing wheels in parallel
// (each checked against the lock's sha256), then installs them.
func (p *Project) sync(ctx context.Context, env *venv.Env, wanted map[string]lockedWheel) (*InstallResult, error) {
	installed, err := env.Installed()
	if err != nil {
		return nil, err
	}
	res := &InstallResult{Venv: env.Dir, Python: env.Python.Version.String()}
	keep := map[string]bool{}
	for _, d := range installed {
		name := pep508.NormalizeName(d.Name)
		if lw, ok := wanted[name]; ok && versionsEqual(d.Version, lw.pkg.Version) {
			keep[name] = true
			res.Unchanged++
			continue
		}
		if err := env.Uninstall(d.Name); err != nil {
			return nil, err
		}
		res.Removed++
		res.Changes = append(res.Changes, fmt.Sprintf("- %s %s", name, d.Version))
	}
	todo := make([]lockedWheel, 0, len(wanted))
	for name, lw := range wanted {
		if !keep[name] {
			todo = append(todo, lw)
		}
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].pkg.Name < todo[j].pkg.Name })
	paths, err := p.download(ctx, todo)
	if err != nil {
		return nil, err
	}
	named, err := os.MkdirTemp("", "pylock-wheels-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(named)
	for i, lw := range todo {
		if err := installNamed(env, named, paths[i], lw.wheel.Name); err != nil {
			return nil, err
		}
		res.Installed++
		res.Changes = append(res.Changes, fmt.Sprintf("+ %s %s", lw.pkg.Name, lw.pkg.Version))
	}
	return res, nil
}

// download fetches the wheels into the cache in parallel and returns their
// paths; a file whose sha256 differs from the lock's is refused.
func (p *Project) download(ctx context.Context, todo []lockedWheel) ([]string, error) {
	ix, err := p.indexes(p.loadedProject())
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(todo))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, lw := range todo {
		g.Go(func() error {
			sha := lw.wheel.Hashes["sha256"]
			if sha == "" {
				return fmt.Errorf("%s: the lock has no sha256 for %s", lw.pkg.Name, lw.wheel.Name)
			}
			index := lw.pkg.Index
			if index == "" {
				index = p.defaultIndex()
			}
			path, err := ix.CachedDownload(ctx, index, lw.wheel.URL, sha)
			paths[i] = path
			return err
		})
	}
	return paths, g.Wait()
}

// installNamed installs a cached wheel, stored under its sha256, through a
// link that carries the wheel's file name, which the installer reads tags from.
func installNamed(env *venv.Env, dir, path, name string) error {
	link := filepath.Join(dir, filepath.Base(name))
	if err := os.Symlink(path, link); err != nil {
		return err
	}
	return env.InstallWheel(link)
}

func versionsEqual(a, b string) bool {
	va, errA := pep440.Parse(a)
	vb, errB := pep440.Parse(b)
	return errA == nil && errB == nil && va.Equal(vb)
}
