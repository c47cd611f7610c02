package project

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/pylock/pylock/venv"
)

// RunOptions are the inputs of PrepareRun beyond the Settings.
type RunOptions struct {
	// Install selects what the virtualenv must hold (Python, VenvDir,
	// Groups, Extras, AllExtras, Frozen). The sync never removes packages:
	// Inexact is always set. Without Python, an existing virtualenv keeps
	// its interpreter.
	Install InstallOptions
	NoSync  bool     // run in the virtualenv as it is
	Environ []string // the environment to start from; os.Environ() when nil
}

// Prepared is a command ready to start in the project's virtualenv.
type Prepared struct {
	// Cmd has its Path (found in the virtualenv's scripts folder first,
	// then on PATH), Args and Env set; the caller connects its streams.
	Cmd *exec.Cmd
	// Sync is the install done first; nil when the virtualenv already held
	// the lock's packages, or with NoSync.
	Sync *InstallResult
}

// NoVenvError reports a virtualenv that does not exist for a run without
// sync.
type NoVenvError struct {
	Dir string
}

func (e *NoVenvError) Error() string {
	return fmt.Sprintf("no virtualenv at %s; run `pylock install` (or `pylock run` without --no-sync)", e.Dir)
}

// CommandNotFoundError reports a command that is neither in the
// virtualenv's scripts folder nor on PATH.
type CommandNotFoundError struct {
	Name string
	Bin  string // the virtualenv's scripts folder
}

func (e *CommandNotFoundError) Error() string {
	return fmt.Sprintf("command %q not found in %s or on PATH", e.Name, e.Bin)
}

// PrepareRun makes the project's virtualenv current and returns argv as a
// command to run in it: unless Frozen, a stale lock is refused with check's
// message; unless NoSync, the virtualenv is created or synced (as Install,
// keeping extraneous packages) when it does not hold what the lock selects.
// The command's environment has the virtualenv's scripts folder first on
// PATH, VIRTUAL_ENV set and PYTHONHOME unset.
func (p *Project) PrepareRun(ctx context.Context, argv []string, opts RunOptions) (*Prepared, error) {
	if len(argv) == 0 {
		return nil, errors.New("no command to run")
	}
	dir := p.venvDir(opts.Install.VenvDir)
	prepared := &Prepared{}
	if opts.NoSync {
		if !opts.Install.Frozen {
			if err := p.requireFresh(); err != nil {
				return nil, err
			}
		}
	} else {
		res, err := p.syncForRun(ctx, dir, opts.Install)
		if err != nil {
			return nil, err
		}
		prepared.Sync = res
	}
	env, err := p.finder().Open(dir)
	var envErr *venv.EnvError
	if errors.As(err, &envErr) && errors.Is(err, fs.ErrNotExist) {
		return nil, &NoVenvError{Dir: dir}
	}
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(env.Dir, filepath.FromSlash(env.Python.Scheme.Scripts))
	path, err := commandPath(argv[0], bin)
	if err != nil {
		return nil, err
	}
	environ := opts.Environ
	if environ == nil {
		environ = os.Environ()
	}
	cmd := exec.Command(path, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Env = runEnviron(environ, env.Dir, bin)
	prepared.Cmd = cmd
	return prepared, nil
}

// syncForRun installs what the lock selects into dir when a dry run says
// something is missing or the virtualenv's interpreter is not the one to
// use; nil when neither.
func (p *Project) syncForRun(ctx context.Context, dir string, opts InstallOptions) (*InstallResult, error) {
	opts.VenvDir, opts.Inexact = dir, true
	dry := opts
	dry.DryRun = true
	plan, err := p.Install(ctx, dry)
	if err != nil {
		return nil, err
	}
	if !plan.CreatedVenv && plan.Installed == 0 && plan.Removed == 0 && venvCfg(dir)["version"] == plan.Python {
		return nil, nil
	}
	opts.Frozen = true // checked by the dry run
	return p.Install(ctx, opts)
}

// keptOr finds the interpreter for the virtualenv at dir: with a hint,
// find(hint); else the one the virtualenv was made from, while find accepts
// it (as uv keeps a compatible venv); else find("") (search PATH).
func keptOr(dir, hint string, find func(hint string) (*venv.Interpreter, error)) (*venv.Interpreter, error) {
	if hint == "" {
		if exe := venvExecutable(dir); exe != "" {
			if py, err := find(exe); err == nil {
				return py, nil
			}
		}
	}
	return find(hint)
}

// venvExecutable is the interpreter an existing virtualenv at dir was made
// from, as its pyvenv.cfg names it; "" when there is none.
func venvExecutable(dir string) string {
	exe := venvCfg(dir)["executable"]
	if exe == "" {
		return ""
	}
	if _, err := os.Stat(exe); err != nil {
		return ""
	}
	return exe
}

// venvCfg is the pyvenv.cfg of the virtualenv at dir; empty when there is
// none or it does not parse.
func venvCfg(dir string) map[string]string {
	data, err := os.ReadFile(filepath.Join(dir, "pyvenv.cfg"))
	if err != nil {
		return nil
	}
	cfg, err := venv.ParseCfg(data)
	if err != nil {
		return nil
	}
	return cfg
}

// commandPath finds the program a command names: a path as it is, else the
// virtualenv's scripts folder, else PATH.
func commandPath(name, bin string) (string, error) {
	if strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) {
		return name, nil
	}
	candidates := []string{filepath.Join(bin, name)}
	if runtime.GOOS == "windows" {
		candidates = append(candidates, filepath.Join(bin, name+".exe"))
	}
	for _, c := range candidates {
		if info, err := os.Stat(c); err == nil && !info.IsDir() && (runtime.GOOS == "windows" || info.Mode()&0o111 != 0) {
			return c, nil
		}
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", &CommandNotFoundError{Name: name, Bin: bin}
	}
	return path, nil
}

// runEnviron is environ with bin first on PATH, VIRTUAL_ENV set to the
// virtualenv and PYTHONHOME removed (it would point python elsewhere).
func runEnviron(environ []string, venvDir, bin string) []string {
	out := make([]string, 0, len(environ)+2)
	path := bin
	for _, kv := range environ {
		key, value, _ := strings.Cut(kv, "=")
		switch {
		case envKeyIs(key, "PATH"):
			if value != "" {
				path = bin + string(os.PathListSeparator) + value
			}
		case envKeyIs(key, "VIRTUAL_ENV"), envKeyIs(key, "PYTHONHOME"):
		default:
			out = append(out, kv)
		}
	}
	return append(out, "PATH="+path, "VIRTUAL_ENV="+venvDir)
}

// envKeyIs compares environment variable names as the system does: without
// case on Windows.
func envKeyIs(key, name string) bool {
	if runtime.GOOS == "windows" {
		return strings.EqualFold(key, name)
	}
	return key == name
}
