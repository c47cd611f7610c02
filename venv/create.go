package venv

import (
	"bufio"
	"bytes"
	"context"
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

// MarkerKey is the pyvenv.cfg key pylock writes into every virtualenv it makes;
// a virtualenv without it was made by another tool.
const MarkerKey = "pylock"

// ForeignDirError refuses to delete a directory pylock did not make: a
// non-empty directory that is not a virtualenv, or another tool's virtualenv
// for a different interpreter. CreateOptions.Force (--force) replaces it.
type ForeignDirError struct {
	Dir    string
	Reason string
}

// Error implements error.
func (e *ForeignDirError) Error() string {
	return fmt.Sprintf("venv: %s: %s; not deleting it (use --force to replace it)", e.Dir, e.Reason)
}

// CreateOptions change how Create treats an existing directory.
type CreateOptions struct {
	Force  bool    // replace a directory pylock did not make
	Finder *Finder // queries an existing environment's python; nil caches nothing
}

// Create is CreateWith without options.
func Create(dir string, py *Interpreter) (*Env, error) {
	return CreateWith(dir, py, CreateOptions{})
}

// CreateWith makes a virtualenv for py at dir. It builds the environment in a
// temporary directory beside dir and renames it into place, so a failure leaves
// nothing behind. An existing virtualenv at dir for the same interpreter is
// opened and returned. A pylock virtualenv for another interpreter, or one that
// no longer works, is rebuilt beside and swapped in. Anything else that is not
// empty is a *ForeignDirError unless opts.Force is set.
func CreateWith(dir string, py *Interpreter, opts CreateOptions) (*Env, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, &EnvError{Dir: dir, Reason: "bad path", Err: err}
	}
	env, replace, err := reuse(abs, py, opts)
	if env != nil || err != nil {
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
	if replace {
		err = swap(tmp, abs)
	} else {
		err = os.Rename(tmp, abs)
	}
	if err != nil {
		os.RemoveAll(tmp)
		if env, _, err2 := reuse(abs, py, CreateOptions{Finder: opts.Finder}); env != nil && err2 == nil {
			return env, nil
		}
		return nil, &EnvError{Dir: abs, Reason: "cannot move virtualenv into place", Err: err}
	}
	return &Env{Dir: abs, Python: envPython(abs, py)}, nil
}

// swap puts the new environment at tmp in the place of the old one at dir: the
// old one is renamed aside, the new one renamed in, then the old one removed.
// The old one's install lock is held meanwhile, so no sync into it is cut short.
func swap(tmp, dir string) error {
	unlock, err := LockDir(context.Background(), dir, DefaultLockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	old, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".old-")
	if err != nil {
		return err
	}
	aside := filepath.Join(old, "env")
	if err := os.Rename(dir, aside); err != nil {
		os.RemoveAll(old)
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(aside, dir)
		os.RemoveAll(old)
		return err
	}
	return os.RemoveAll(old)
}

// reuse decides what an existing dir means: an environment to use as it is, an
// error, or neither, when Create should build a new environment there
// (replace: in place of what is there).
func reuse(dir string, py *Interpreter, opts CreateOptions) (env *Env, replace bool, err error) {
	entries, rerr := os.ReadDir(dir)
	if errors.Is(rerr, os.ErrNotExist) {
		return nil, false, nil
	}
	if rerr != nil {
		return nil, false, &EnvError{Dir: dir, Reason: "cannot read directory", Err: rerr}
	}
	if len(entries) == 0 {
		return nil, false, nil
	}
	refuse := func(reason string) (*Env, bool, error) {
		if opts.Force {
			return nil, true, nil
		}
		return nil, false, &ForeignDirError{Dir: dir, Reason: reason}
	}
	data, rerr := os.ReadFile(filepath.Join(dir, "pyvenv.cfg"))
	if rerr != nil {
		return refuse("directory exists and is not a virtualenv")
	}
	cfg, perr := ParseCfg(data)
	if perr != nil {
		return refuse("unreadable pyvenv.cfg: " + perr.Error())
	}
	_, ours := cfg[MarkerKey]
	if cfg["executable"] != py.Executable || cfg["version"] != py.Version.String() {
		if ours {
			return nil, true, nil
		}
		return refuse(fmt.Sprintf("existing virtualenv, not made by pylock, is for %s (%s), not %s (%s)",
			cfg["executable"], cfg["version"], py.Executable, py.Version))
	}
	env, err = opts.Finder.Open(dir)
	if err != nil && ours {
		return nil, true, nil
	}
	if err != nil {
		return refuse(err.Error())
	}
	return env, false, nil
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
	for name, text := range activateScripts(final, s.Scripts) {
		if err := os.WriteFile(filepath.Join(bin, name), text, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(tmp, "pyvenv.cfg"), cfgText(py), 0o644)
}

func cfgText(py *Interpreter) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "home = %s\n", filepath.Dir(py.Executable))
	b.WriteString("include-system-site-packages = false\n")
	fmt.Fprintf(&b, "version = %s\n", py.Version)
	fmt.Fprintf(&b, "executable = %s\n", py.Executable)
	fmt.Fprintf(&b, "%s = 1\n", MarkerKey)
	return b.Bytes()
}

// Open opens the existing virtualenv at dir, querying its interpreter.
func Open(dir string) (*Env, error) {
	var f *Finder
	return f.Open(dir)
}

// Open opens the existing virtualenv at dir, querying its interpreter through
// the cache.
func (f *Finder) Open(dir string) (*Env, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, &EnvError{Dir: dir, Reason: "bad path", Err: err}
	}
	data, err := os.ReadFile(filepath.Join(abs, "pyvenv.cfg"))
	if err != nil {
		return nil, &EnvError{Dir: abs, Reason: "not a virtualenv (no pyvenv.cfg)", Err: err}
	}
	cfg, err := ParseCfg(data)
	if err != nil {
		return nil, &EnvError{Dir: abs, Reason: "unreadable pyvenv.cfg", Err: err}
	}
	if py := f.derive(abs, cfg); py != nil {
		return &Env{Dir: abs, Python: py}, nil
	}
	py, err := f.Query(filepath.Join(abs, "bin", "python"))
	if err != nil {
		return nil, &EnvError{Dir: abs, Reason: "its python does not run", Err: err}
	}
	if py.Prefix == py.BasePrefix {
		return nil, &EnvError{Dir: abs, Reason: "its python does not see a virtualenv (sys.prefix == sys.base_prefix)"}
	}
	return &Env{Dir: abs, Python: py}, nil
}

// derive describes the interpreter of a virtualenv pylock made without
// running it: its bin/python still links to the base interpreter named in
// pyvenv.cfg, whose facts (from the cache) are the environment's but for the
// prefix, as envPython computes them. It returns nil when that does not hold,
// and the caller queries the environment's python instead.
func (f *Finder) derive(dir string, cfg map[string]string) *Interpreter {
	if _, ours := cfg[MarkerKey]; !ours || f == nil || f.CacheDir == "" {
		return nil
	}
	link := filepath.Join(dir, "bin", "python")
	target, err := os.Readlink(link)
	if err != nil || target != cfg["executable"] {
		return nil
	}
	if _, err := os.Stat(link); err != nil {
		return nil
	}
	base, err := f.Query(target)
	if err != nil || base.Version.String() != cfg["version"] || base.Prefix != base.BasePrefix {
		return nil
	}
	return envPython(dir, base)
}

// path turns a slash-separated path relative to the root into an absolute one.
func (e *Env) path(rel string) string {
	return filepath.Join(e.Dir, filepath.FromSlash(rel))
}
