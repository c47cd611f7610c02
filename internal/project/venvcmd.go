package project

import (
	"errors"

	"github.com/pylock/pylock/pyproject"
	"github.com/pylock/pylock/venv"
)

// VenvOptions are the inputs of CreateVenv beyond the Settings.
type VenvOptions struct {
	Python string // the interpreter: a path, "X.Y", or "" to search PATH
	Dir    string // the virtualenv; .venv in the project when empty
	Force  bool   // replace a folder pylock did not make
}

// VenvResult says what CreateVenv did.
type VenvResult struct {
	Dir      string
	Python   string // the interpreter's version
	Base     string // the interpreter the virtualenv runs (its executable)
	Created  bool   // there was no virtualenv at Dir
	Replaced bool   // the virtualenv there was for another interpreter
}

// CreateVenv makes the project's virtualenv, as Install does, without
// installing anything: its interpreter satisfies the lock's requires-python,
// or pyproject.toml's when there is no lock yet. Without Python, a
// virtualenv already there keeps its interpreter while that satisfies it,
// and is kept as it is; one pylock made for another interpreter is
// replaced; any other non-empty folder is refused unless Force is set.
func (p *Project) CreateVenv(opts VenvOptions) (*VenvResult, error) {
	dir := p.venvDir(opts.Dir)
	before := venvExecutable(dir)
	py, err := keptOr(dir, opts.Python, p.venvInterpreter)
	if err != nil {
		return nil, err
	}
	env, created, err := p.createVenv(dir, py, opts.Force)
	if err != nil {
		return nil, err
	}
	return &VenvResult{
		Dir:      env.Dir,
		Python:   py.Version.String(),
		Base:     py.Executable,
		Created:  created,
		Replaced: !created && before != "" && before != py.Executable,
	}, nil
}

// venvInterpreter finds the interpreter for the project's virtualenv: one
// the lock allows, or without a lock one pyproject.toml allows.
func (p *Project) venvInterpreter(hint string) (*venv.Interpreter, error) {
	lock, err := p.readLock()
	var noLock *NoLockError
	if errors.As(err, &noLock) {
		proj, err := pyproject.Load(p.PyprojectPath())
		if err != nil {
			return nil, err
		}
		return findInterpreter(p.finder(), proj.RequiresPython, hint)
	}
	if err != nil {
		return nil, err
	}
	return p.installInterpreter(lock, hint)
}
