package project

import (
	"context"
	"os"
	"path/filepath"

	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/venv"
)

// rootEditable is the project itself, to install editable (PEP 660), when
// its pyproject.toml declares a [build-system] and names the project; ok is
// false otherwise. A dynamic version is "", which never matches what is
// installed, so such a project is rebuilt by every install.
func (p *Project) rootEditable() (lw lockedWheel, ok bool, err error) {
	bs, declared, err := declaredBuildSystem(p.dir)
	proj := p.loadedProject()
	if err != nil {
		name := ""
		if proj != nil {
			name = proj.Name
		}
		return lockedWheel{}, false, &BuildSystemError{Name: name, Version: "(the project)", Err: err}
	}
	if !declared || proj == nil || proj.Name == "" {
		return lockedWheel{}, false, nil
	}
	pkg := &lockfile.Package{Name: pep508.NormalizeName(proj.Name), Version: proj.Version}
	return lockedWheel{pkg: pkg, editable: &bs}, true, nil
}

// installEditable builds the project's editable wheel through its
// backend's build_editable hook, in a build environment made for env's
// interpreter, and installs it into env.
func (p *Project) installEditable(ctx context.Context, env *venv.Env, lw lockedWheel) error {
	root, err := p.cacheRoot()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	work, err := os.MkdirTemp(root, ".editable-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	ix, err := p.indexes(p.loadedProject())
	if err != nil {
		return err
	}
	benv, err := p.buildEnv(ctx, ix, env.Python, lw, p.dir, *lw.editable, true, work)
	if err != nil {
		return err
	}
	out := filepath.Join(work, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		return err
	}
	path, err := benv.BuildEditable(ctx, p.dir, out, *lw.editable)
	if err != nil {
		return err
	}
	return env.InstallWheel(path)
}
