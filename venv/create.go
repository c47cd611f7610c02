package venv

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Env is a virtual environment.
type Env struct {
	Dir    string       // absolute root of the environment
	Python *Interpreter // its interpreter; Path is <Dir>/bin/python
}

// EnvError reports a directory that cannot be created or opened as a virtualenv.
type EnvError struct {
	Dir    string
	Reason string
	Err    error
}

// Error implements error.
func (e *EnvError) Error() string {
	return fmt.Sprintf("venv: %s: %s", e.Dir, e.Reason)
}

// Unwrap returns the underlying error.
func (e *EnvError) Unwrap() error { return e.Err }

// CfgError reports a malformed pyvenv.cfg line.
type CfgError struct {
	Line int
	Text string
}

// Error implements error.
func (e *CfgError) Error() string {
	return fmt.Sprintf("venv: pyvenv.cfg:%d: expected \"key = value\", got %q", e.Line, e.Text)
}

// ParseCfg reads a pyvenv.cfg file (PEP 405): "key = value" lines; blank lines
// and lines starting with '#' or ';' are ignored. Keys are lowercased.
func ParseCfg(data []byte) (map[string]string, error) {
	cfg := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, &CfgError{Line: n, Text: line}
		}
		cfg[strings.ToLower(k)] = strings.TrimSpace(v)
	}
	if err := sc.Err(); err != nil {
		return nil, &CfgError{Line: 0, Text: err.Error()}
	}
	return cfg, nil
}

// Create makes a virtualenv for py at dir. It builds the environment in a
// temporary directory beside dir and renames it into place, so a failure leaves
// nothing behind. An existing virtualenv at dir for the same interpreter is
// opened and returned; one for another interpreter, or a non-empty directory
// that is not a virtualenv, is an *EnvError.
func Create(dir string, py *Interpreter) (*Env, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, &EnvError{Dir: dir, Reason: "bad path", Err: err}
	}
	if env, err, done := reuse(abs, py); done {
		return env, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, &EnvError{Dir: abs, Reason: "cannot create parent directory", Err: err}
	}
	tmp, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".tmp-")
	if err != nil {
		return nil, &EnvError{Dir: abs, Reason: "cannot create temporary directory", Err: err}
	}
	if err := layout(tmp, abs, py); err != nil {
		os.RemoveAll(tmp)
		return nil, &EnvError{Dir: abs, Reason: "cannot lay out virtualenv", Err: err}
	}
	if err := os.Rename(tmp, abs); err != nil {
		os.RemoveAll(tmp)
		if env, err2, done := reuse(abs, py); done && err2 == nil {
			return env, nil
		}
		return nil, &EnvError{Dir: abs, Reason: "cannot move virtualenv into place", Err: err}
	}
	return &Env{Dir: abs, Python: envPython(abs, py)}, nil
}

// reuse decides what an existing dir means: done is false when Create should
// build a new environment there.
func reuse(dir string, py *Interpreter) (env *Env, err error, done bool) {
	entries, rerr := os.ReadDir(dir)
	if errors.Is(rerr, os.ErrNotExist) {
		return nil, nil, false
	}
	if rerr != nil {
		return nil, &EnvError{Dir: dir, Reason: "cannot read directory", Err: rerr}, true
	}
	if len(entries) == 0 {
		return nil, nil, false
	}
	data, rerr := os.ReadFile(filepath.Join(dir, "pyvenv.cfg"))
	if rerr != nil {
		return nil, &EnvError{Dir: dir, Reason: "directory exists and is not a virtualenv", Err: rerr}, true
	}
	cfg, perr := ParseCfg(data)
	if perr != nil {
		return nil, &EnvError{Dir: dir, Reason: "unreadable pyvenv.cfg", Err: perr}, true
	}
	if cfg["executable"] != py.Executable || cfg["version"] != py.Version.String() {
		return nil, &EnvError{Dir: dir, Reason: fmt.Sprintf(
			"existing virtualenv is for %s (%s), not %s (%s)",
			cfg["executable"], cfg["version"], py.Executable, py.Version)}, true
	}
	env, err = Open(dir)
	return env, err, true
}

// envPython is the interpreter as seen from inside the environment at dir.
func envPython(dir string, base *Interpreter) *Interpreter {
	py := *base
	py.Path = filepath.Join(dir, "bin", "python")
	py.Prefix = dir
	if base.Prefix != base.BasePrefix {
		py.BasePrefix = base.BasePrefix
	}
	return &py
}

// layout writes the environment's files into tmp; final is where it will live.
func layout(tmp, final string, py *Interpreter) error {
	s := py.Scheme
	for _, d := range []string{s.Scripts, s.Purelib, s.Platlib, s.Include} {
		if err := os.MkdirAll(filepath.Join(tmp, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	if py.Env.Vars["sys_platform"] == "linux" && !strings.HasPrefix(s.Platlib, "lib64/") {
		if err := os.Symlink("lib", filepath.Join(tmp, "lib64")); err != nil {
			return err
		}
	}
	bin := filepath.Join(tmp, filepath.FromSlash(s.Scripts))
	if err := os.Symlink(py.Executable, filepath.Join(bin, "python")); err != nil {
		return err
	}
	for _, name := range []string{"python3", "python" + py.MinorVersion()} {
		if err := os.Symlink("python", filepath.Join(bin, name)); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(bin, "activate"), activateScript(final, s.Scripts), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(tmp, "pyvenv.cfg"), cfgText(py), 0o644)
}

func cfgText(py *Interpreter) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "home = %s\n", filepath.Dir(py.Executable))
	b.WriteString("include-system-site-packages = false\n")
	fmt.Fprintf(&b, "version = %s\n", py.Version)
	fmt.Fprintf(&b, "executable = %s\n", py.Executable)
	return b.Bytes()
}

// shellQuote quotes s for POSIX shells.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func activateScript(dir, scripts string) []byte {
	return []byte(`# Source this file from bash or zsh: . bin/activate
deactivate () {
    if [ -n "${_OLD_VIRTUAL_PATH:-}" ]; then
        PATH="$_OLD_VIRTUAL_PATH"; export PATH; unset _OLD_VIRTUAL_PATH
    fi
    if [ -n "${_OLD_VIRTUAL_PYTHONHOME:-}" ]; then
        PYTHONHOME="$_OLD_VIRTUAL_PYTHONHOME"; export PYTHONHOME; unset _OLD_VIRTUAL_PYTHONHOME
    fi
    if [ -n "${_OLD_VIRTUAL_PS1+set}" ]; then
        PS1="$_OLD_VIRTUAL_PS1"; export PS1; unset _OLD_VIRTUAL_PS1
    fi
    unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
    hash -r 2>/dev/null
    if [ "${1:-}" != "nondestructive" ]; then
        unset -f deactivate
    fi
}

deactivate nondestructive

VIRTUAL_ENV=` + shellQuote(dir) + `
export VIRTUAL_ENV
_OLD_VIRTUAL_PATH="$PATH"
PATH="$VIRTUAL_ENV/` + scripts + `:$PATH"
export PATH
if [ -n "${PYTHONHOME:-}" ]; then
    _OLD_VIRTUAL_PYTHONHOME="$PYTHONHOME"
    unset PYTHONHOME
fi
VIRTUAL_ENV_PROMPT=` + shellQuote("("+filepath.Base(dir)+") ") + `
export VIRTUAL_ENV_PROMPT
if [ -z "${VIRTUAL_ENV_DISABLE_PROMPT:-}" ]; then
    _OLD_VIRTUAL_PS1="${PS1:-}"
    PS1="$VIRTUAL_ENV_PROMPT${PS1:-}"
    export PS1
fi
hash -r 2>/dev/null
`)
}

// Open opens the existing virtualenv at dir, querying its interpreter.
func Open(dir string) (*Env, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, &EnvError{Dir: dir, Reason: "bad path", Err: err}
	}
	data, err := os.ReadFile(filepath.Join(abs, "pyvenv.cfg"))
	if err != nil {
		return nil, &EnvError{Dir: abs, Reason: "not a virtualenv (no pyvenv.cfg)", Err: err}
	}
	if _, err := ParseCfg(data); err != nil {
		return nil, &EnvError{Dir: abs, Reason: "unreadable pyvenv.cfg", Err: err}
	}
	py, err := Query(filepath.Join(abs, "bin", "python"))
	if err != nil {
		return nil, &EnvError{Dir: abs, Reason: "its python does not run", Err: err}
	}
	if py.Prefix == py.BasePrefix {
		return nil, &EnvError{Dir: abs, Reason: "its python does not see a virtualenv (sys.prefix == sys.base_prefix)"}
	}
	return &Env{Dir: abs, Python: py}, nil
}

// path turns a slash-separated path relative to the root into an absolute one.
func (e *Env) path(rel string) string {
	return filepath.Join(e.Dir, filepath.FromSlash(rel))
}
