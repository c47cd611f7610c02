package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pelletier/go-toml/v2"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/venv"
)

// builtBucket is the cache bucket of wheels built from sdists, one folder
// per sdist named by its sha256, holding the one wheel built from it.
const builtBucket = "built-v1"

// BuildSystemError reports an sdist (or the project) whose pyproject.toml
// cannot be read for its [build-system].
type BuildSystemError struct {
	Name, Version string
	Err           error
}

func (e *BuildSystemError) Error() string {
	return fmt.Sprintf("%s %s: bad [build-system] in its pyproject.toml: %v", e.Name, e.Version, e.Err)
}

// Unwrap returns the underlying error.
func (e *BuildSystemError) Unwrap() error { return e.Err }

// builtWheel returns the wheel built from lw's sdist, building it when the
// cache does not hold it yet; built reports whether it was built now.
func (p *Project) builtWheel(ctx context.Context, ix *pypi.Indexes, py *venv.Interpreter, lw lockedWheel) (path string, built bool, err error) {
	root, err := p.cacheRoot()
	if err != nil {
		return "", false, err
	}
	dir := filepath.Join(root, builtBucket, lw.pkg.Sdist.Hashes["sha256"])
	if path, ok := cachedBuild(dir); ok {
		return path, false, nil
	}
	index := lw.pkg.Index
	if index == "" {
		index = p.defaultIndex()
	}
	sdist, err := ix.CachedDownload(ctx, index, lw.pkg.Sdist.URL, lw.pkg.Sdist.Hashes["sha256"])
	if err != nil {
		return "", false, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", false, err
	}
	work, err := os.MkdirTemp(filepath.Dir(dir), ".build-")
	if err != nil {
		return "", false, err
	}
	defer os.RemoveAll(work)
	p.log(1, "Building %s %s from %s", lw.pkg.Name, lw.pkg.Version, filepath.Base(lw.pkg.Sdist.URL))
	if err := p.buildSdist(ctx, ix, py, lw, sdist, work); err != nil {
		return "", false, err
	}
	if err := os.Rename(filepath.Join(work, "out"), dir); err != nil {
		if path, ok := cachedBuild(dir); ok { // built meanwhile by another install
			return path, false, nil
		}
		return "", false, err
	}
	path, _ = cachedBuild(dir)
	return path, true, nil
}

// cachedBuild finds the wheel in a build cache folder.
func cachedBuild(dir string) (string, bool) {
	matches, _ := filepath.Glob(filepath.Join(dir, "*.whl"))
	if len(matches) != 1 {
		return "", false
	}
	return matches[0], true
}

// buildSdist unpacks the sdist under work, builds it through PEP 517 in a
// fresh build environment under work holding its build requirements, and
// leaves the wheel in work/out.
func (p *Project) buildSdist(ctx context.Context, ix *pypi.Indexes, py *venv.Interpreter, lw lockedWheel, sdist, work string) error {
	name := filepath.Base(lw.pkg.Sdist.Name)
	if name == "." || name == "" {
		name = filepath.Base(lw.pkg.Sdist.URL)
	}
	archive := filepath.Join(work, name)
	if err := copyFile(sdist, archive); err != nil {
		return err
	}
	src, err := venv.UnpackSdist(archive, filepath.Join(work, "src"))
	if err != nil {
		return err
	}
	bs, err := readBuildSystem(src)
	if err != nil {
		return &BuildSystemError{Name: lw.pkg.Name, Version: lw.pkg.Version, Err: err}
	}
	env, err := p.buildEnv(ctx, ix, py, lw, src, bs, false, work)
	if err != nil {
		return err
	}
	out := filepath.Join(work, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		return err
	}
	wheel, err := env.BuildWheel(ctx, src, out, bs)
	if err != nil {
		return err
	}
	return checkBuilt(lw, wheel, py)
}

// BuiltWheelError reports a wheel built from an sdist that is not the
// locked package, or that the interpreter cannot use.
type BuiltWheelError struct {
	Name, Version string // the locked package
	Wheel         string // the built wheel's file name
	Reason        string
}

func (e *BuiltWheelError) Error() string {
	return fmt.Sprintf("%s %s: the wheel built from its source distribution, %s, %s", e.Name, e.Version, e.Wheel, e.Reason)
}

// checkBuilt checks that the built wheel is the locked package and version
// and fits the interpreter.
func checkBuilt(lw lockedWheel, path string, py *venv.Interpreter) error {
	name := filepath.Base(path)
	fail := func(reason string) error {
		return &BuiltWheelError{Name: lw.pkg.Name, Version: lw.pkg.Version, Wheel: name, Reason: reason}
	}
	wn, err := dist.ParseWheelName(name)
	if err != nil {
		return fail("has a malformed name")
	}
	want, err := pep440.Parse(lw.pkg.Version)
	if pep508.NormalizeName(wn.Name) != pep508.NormalizeName(lw.pkg.Name) || err != nil || !wn.Version.Equal(want) {
		return fail("is another package or version")
	}
	if _, ok := dist.Supported(wn.Tags, py.Tags); !ok {
		return fail("has tags this interpreter does not support")
	}
	return nil
}

// buildEnv creates the build environment under work for the tree src and
// installs into it the build requirements and those the backend's
// get_requires hook names (for an editable build, PEP 660's).
func (p *Project) buildEnv(ctx context.Context, ix *pypi.Indexes, py *venv.Interpreter, lw lockedWheel, src string, bs venv.BuildSystem, editable bool, work string) (*venv.Env, error) {
	env, err := venv.Create(filepath.Join(work, "env"), py)
	if err != nil {
		return nil, err
	}
	if err := p.installBuildRequires(ctx, ix, env, lw, bs.Requires); err != nil {
		var be *BuildRequiresError
		if errors.As(err, &be) {
			be.Legacy = bs.Backend == venv.LegacyBuildSystem().Backend
		}
		return nil, err
	}
	extra, err := env.BuildRequires(ctx, src, bs, editable)
	if err != nil {
		return nil, err
	}
	if len(extra) > 0 {
		if err := p.installBuildRequires(ctx, ix, env, lw, append(append([]string{}, bs.Requires...), extra...)); err != nil {
			return nil, err
		}
	}
	return env, nil
}

// readBuildSystem reads the [build-system] of the tree's pyproject.toml;
// without one (or without the file) it is setuptools' legacy backend.
func readBuildSystem(src string) (venv.BuildSystem, error) {
	bs, ok, err := declaredBuildSystem(src)
	if err != nil || ok {
		return bs, err
	}
	return venv.LegacyBuildSystem(), nil
}

// declaredBuildSystem reads the [build-system] of the tree's pyproject.toml
// and reports whether it has one; one without build-backend names
// setuptools' legacy backend.
func declaredBuildSystem(src string) (venv.BuildSystem, bool, error) {
	data, err := os.ReadFile(filepath.Join(src, PyprojectName))
	if errors.Is(err, os.ErrNotExist) {
		return venv.BuildSystem{}, false, nil
	}
	if err != nil {
		return venv.BuildSystem{}, false, err
	}
	var doc struct {
		BuildSystem *struct {
			Requires     []string `toml:"requires"`
			BuildBackend string   `toml:"build-backend"`
			BackendPath  []string `toml:"backend-path"`
		} `toml:"build-system"`
	}
	if err := toml.Unmarshal(data, &doc); err != nil {
		return venv.BuildSystem{}, false, err
	}
	if doc.BuildSystem == nil {
		return venv.BuildSystem{}, false, nil
	}
	bs := venv.BuildSystem{Requires: doc.BuildSystem.Requires, Backend: doc.BuildSystem.BuildBackend, BackendPath: doc.BuildSystem.BackendPath}
	if bs.Backend == "" {
		bs.Backend = venv.LegacyBuildSystem().Backend
	}
	return bs, true, nil
}

// copyFile copies src to dst.
func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// fetchBuilt returns the unpacked tree and file name of the wheel built from
// lw's sdist (checked against the lock's sha256), building it unless the
// build cache holds it, and unpacking it unless bucket holds it.
func (p *Project) fetchBuilt(ctx context.Context, ix *pypi.Indexes, py *venv.Interpreter, lw lockedWheel, bucket string, res *InstallResult) (string, string, error) {
	sha := lw.pkg.Sdist.Hashes["sha256"]
	if sha == "" {
		return "", "", fmt.Errorf("%s: the lock has no sha256 for its source distribution", lw.pkg.Name)
	}
	path, built, err := p.builtWheel(ctx, ix, py, lw)
	if err != nil {
		return "", "", err
	}
	if built {
		res.Built = append(res.Built, lw.pkg.Name+" "+lw.pkg.Version)
	}
	name := filepath.Base(path)
	tree := filepath.Join(bucket, "built-"+sha)
	if _, err := os.Stat(tree); err == nil {
		return tree, name, nil
	}
	return tree, name, venv.UnpackWheel(path, name, tree)
}
