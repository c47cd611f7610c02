package project

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/pylock/pylock/internal/cache"
	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pyproject"
	"github.com/pylock/pylock/resolver"
	"github.com/pylock/pylock/venv"
)

// LockOptions are the inputs of Lock beyond the Settings.
type LockOptions struct {
	Python string // the interpreter to resolve for: a path, "X.Y", or "" to search PATH
}

// LockResult says what Lock did.
type LockResult struct {
	Path     string // the lock file
	Packages int    // packages locked
	Changed  bool   // false when the file already held exactly this lock
	Python   string // the interpreter version resolved for
}

// Lock resolves the project's requirements for the chosen interpreter and
// writes pylock.toml atomically. The same inputs and index give a
// byte-identical file.
func (p *Project) Lock(ctx context.Context, opts LockOptions) (*LockResult, error) {
	proj, err := pyproject.Load(p.PyprojectPath())
	if err != nil {
		return nil, err
	}
	py, err := findInterpreter(proj.RequiresPython, opts.Python)
	if err != nil {
		return nil, err
	}
	p.log(1, "Resolving for %s (Python %s)", py.Path, py.Version)
	client, err := p.client()
	if err != nil {
		return nil, err
	}
	origins := originsOf(proj)
	roots, ranges := rootRequirements(origins)
	res, err := resolver.Resolve(ctx, &indexProvider{client: client, tags: py.Tags}, roots, resolver.Options{
		Environment: py.Env,
		Python:      &py.Version,
		RootRanges:  ranges,
	})
	if err != nil {
		return nil, err
	}
	file, err := p.buildLock(ctx, client, proj, res, origins, py)
	if err != nil {
		return nil, err
	}
	result := &LockResult{Path: p.LockPath(), Packages: len(file.Packages), Python: py.Version.String()}
	old, _ := os.ReadFile(result.Path)
	if bytes.Equal(old, file.Format()) {
		return result, nil
	}
	result.Changed = true
	return result, lockfile.WriteFile(result.Path, file)
}

// findInterpreter finds an interpreter allowed by requires, which may be a
// union of specifier sets (from Poetry's "||").
func findInterpreter(requires pyproject.Constraint, hint string) (*venv.Interpreter, error) {
	if len(requires) == 0 {
		return venv.Find(nil, hint)
	}
	var firstErr error
	for _, set := range requires {
		py, err := venv.Find(set, hint)
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
