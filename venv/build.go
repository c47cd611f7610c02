package venv

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed build_runner.py
var buildRunner string

// BuildSystem is a source tree's PEP 517 [build-system] table.
type BuildSystem struct {
	Requires    []string // build-system.requires
	Backend     string   // build-system.build-backend: "module" or "module:object"
	BackendPath []string // build-system.backend-path: folders of the tree put first on sys.path
}

// LegacyBuildSystem is what PEP 517 prescribes for a tree whose
// pyproject.toml has no [build-system]: setuptools' legacy backend.
func LegacyBuildSystem() BuildSystem {
	return BuildSystem{Requires: []string{"setuptools>=40.8.0"}, Backend: "setuptools.build_meta:__legacy__"}
}

// BuildError reports a PEP 517 hook that failed, with what it printed.
type BuildError struct {
	Dir    string // the source tree
	Hook   string // the PEP 517 or PEP 660 hook, e.g. "build_wheel"
	Output string // the hook's stderr, trimmed
	Err    error
}

// Error implements error.
func (e *BuildError) Error() string {
	msg := fmt.Sprintf("venv: building %s: %s failed: %v", e.Dir, e.Hook, e.Err)
	if e.Output != "" {
		msg += "\n" + e.Output
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *BuildError) Unwrap() error { return e.Err }

// BuildRequires calls the backend's get_requires_for_build_wheel hook (with
// editable, PEP 660's get_requires_for_build_editable) in the source tree src
// with the environment's python and returns the extra requirements it names
// (none when the backend lacks the hook).
func (e *Env) BuildRequires(ctx context.Context, src string, bs BuildSystem, editable bool) ([]string, error) {
	hook := "get_requires_for_build_wheel"
	if editable {
		hook = "get_requires_for_build_editable"
	}
	out, err := e.runHook(ctx, hook, src, src, bs)
	if err != nil || out == "" {
		return nil, err
	}
	return strings.Split(out, "\x1f"), nil
}

// BuildWheel calls the backend's build_wheel hook in the source tree src
// with the environment's python, which holds the build requirements, and
// returns the path of the wheel it wrote into the folder out.
func (e *Env) BuildWheel(ctx context.Context, src, out string, bs BuildSystem) (string, error) {
	return e.build(ctx, "build_wheel", src, out, bs)
}

// BuildEditable calls the backend's PEP 660 build_editable hook in the
// source tree src and returns the path of the editable wheel it wrote into
// out; a backend without the hook is a *BuildError.
func (e *Env) BuildEditable(ctx context.Context, src, out string, bs BuildSystem) (string, error) {
	return e.build(ctx, "build_editable", src, out, bs)
}

// build runs a hook that writes a wheel into out and checks the wheel.
func (e *Env) build(ctx context.Context, hook, src, out string, bs BuildSystem) (string, error) {
	name, err := e.runHook(ctx, hook, src, out, bs)
	if err != nil {
		return "", err
	}
	path := filepath.Join(out, name)
	if name == "" || filepath.Base(name) != name || !strings.HasSuffix(name, ".whl") {
		return "", &BuildError{Dir: src, Hook: hook, Err: fmt.Errorf("backend returned %q, not a wheel file name", name)}
	}
	if _, err := os.Stat(path); err != nil {
		return "", &BuildError{Dir: src, Hook: hook, Err: fmt.Errorf("backend did not write %s", name)}
	}
	return path, nil
}

// runHook runs one hook through the embedded runner and returns the last
// line it printed.
func (e *Env) runHook(ctx context.Context, hook, src, out string, bs BuildSystem) (string, error) {
	fail := func(err error, output string) error {
		return &BuildError{Dir: src, Hook: hook, Output: strings.TrimSpace(output), Err: err}
	}
	if bs.Backend == "" {
		return "", fail(fmt.Errorf("no build-backend"), "")
	}
	for _, p := range bs.BackendPath {
		if !insideTree(p) {
			return "", fail(fmt.Errorf("backend-path %q is outside the source tree", p), "")
		}
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return "", fail(err, "")
	}
	args := append([]string{"-s", "-c", buildRunner, hook, absOut, bs.Backend}, bs.BackendPath...)
	cmd := exec.CommandContext(ctx, e.path("bin/python"), args...)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "PYTHONNOUSERSITE=1", "PYTHONDONTWRITEBYTECODE=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fail(err, stderr.String())
	}
	lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	return lines[len(lines)-1], nil
}

// insideTree reports whether a backend-path entry stays inside the tree.
func insideTree(p string) bool {
	return p != "" && !filepath.IsAbs(p) && filepath.IsLocal(filepath.Clean(p))
}
