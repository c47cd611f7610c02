package venv

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// pyenvTree makes a fake pyenv root holding the given "version/name" binaries.
func pyenvTree(t *testing.T, bins ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, b := range bins {
		p := filepath.Join(root, "versions", filepath.FromSlash(filepath.Dir(b)), "bin", filepath.Base(b))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("binary"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestPyenvInterpreters(t *testing.T) {
	root := pyenvTree(t, "3.9.1/python3.9", "3.12.0/python3.12", "3.10.2/python3.10",
		"3.10.2/python3.10-config", "2.7.18/python2.7", "miniconda3/python3.11", "3.12.0/python3")
	rel := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			r, _ := filepath.Rel(filepath.Join(root, "versions"), p)
			out = append(out, filepath.ToSlash(r))
		}
		return out
	}
	tests := []struct {
		minor string
		want  []string
	}{
		{"", []string{"3.12.0/bin/python3.12", "3.10.2/bin/python3.10", "3.9.1/bin/python3.9"}},
		{"3.10", []string{"3.10.2/bin/python3.10"}},
		{"3.8", nil},
	}
	f := &Finder{PyenvRoot: root}
	for _, tt := range tests {
		if got := rel(f.pyenvInterpreters(tt.minor)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("pyenvInterpreters(%q) = %v, want %v", tt.minor, got, tt.want)
		}
	}
}

func TestResolveShim(t *testing.T) {
	root := pyenvTree(t, "3.12.0/python3", "3.11.7/python3.11")
	shims := filepath.Join(root, "shims")
	if err := os.Mkdir(shims, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"python3", "python3.11"} {
		if err := os.WriteFile(filepath.Join(shims, name), []byte("#!/usr/bin/env bash\nexec pyenv exec \"$0\"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	notShim := filepath.Join(root, "versions", "3.12.0", "bin", "python3")
	tests := []struct {
		version, shim string
		want          string
		ok            bool
	}{
		{"3.12.0", "python3", filepath.Join(root, "versions", "3.12.0", "bin", "python3"), true},
		{"3.11.7:3.12.0", "python3", filepath.Join(root, "versions", "3.12.0", "bin", "python3"), true},
		{"3.11.7", "python3.11", filepath.Join(root, "versions", "3.11.7", "bin", "python3.11"), true},
		{"3.12.0", "python3.11", filepath.Join(shims, "python3.11"), false},
		{"system", "python3", filepath.Join(shims, "python3"), false},
	}
	f := &Finder{PyenvRoot: root}
	for _, tt := range tests {
		t.Setenv("PYENV_VERSION", tt.version)
		got, ok := f.resolveShim(filepath.Join(shims, tt.shim))
		if got != tt.want || ok != tt.ok {
			t.Errorf("PYENV_VERSION=%s resolveShim(%s) = %s, %v; want %s, %v", tt.version, tt.shim, got, ok, tt.want, tt.ok)
		}
	}
	if got, ok := f.resolveShim(notShim); got != notShim || !ok {
		t.Errorf("resolveShim of a real binary = %s, %v", got, ok)
	}
}

func TestFindInPyenv(t *testing.T) {
	real := findPython(t)
	minor := real.MinorVersion()
	root := pyenvTree(t)
	py := filepath.Join(root, "versions", real.Version.String(), "bin", "python"+minor)
	if err := os.MkdirAll(filepath.Dir(py), 0o755); err != nil {
		t.Fatal(err)
	}
	fakePython(t, py, realAnswer(t))
	t.Setenv("PATH", t.TempDir())
	f := &Finder{PyenvRoot: root}
	for _, hint := range []string{"", minor} {
		got, err := f.Find(nil, hint)
		if err != nil || got.Path != py {
			t.Errorf("Find(%q) with only pyenv = %v, %v; want %s", hint, got, err, py)
		}
	}
}

func TestPyenvRoot(t *testing.T) {
	withHome := pyenvTree(t, "3.12.0/python3.12")
	home := filepath.Dir(withHome)
	if err := os.Rename(withHome, filepath.Join(home, ".pyenv")); err != nil {
		t.Fatal(err)
	}
	onPath := pyenvTree(t, "3.12.0/python3.12")
	empty := t.TempDir()
	tests := []struct {
		name, field, env, home, path, want string
	}{
		{"field first", "/f", "/e", home, onPath + "/shims", "/f"},
		{"then PYENV_ROOT", "", "/e", home, onPath + "/shims", "/e"},
		{"then ~/.pyenv", "", "", home, onPath + "/shims", filepath.Join(home, ".pyenv")},
		{"then shims on PATH", "", "", empty, "/bin" + string(os.PathListSeparator) + onPath + "/shims", onPath},
		{"else none", "", "", empty, "/bin", ""},
	}
	for _, tt := range tests {
		t.Setenv("PYENV_ROOT", tt.env)
		t.Setenv("HOME", tt.home)
		t.Setenv("PATH", tt.path)
		if got := (&Finder{PyenvRoot: tt.field}).pyenvRoot(); got != tt.want {
			t.Errorf("%s: pyenvRoot = %q, want %q", tt.name, got, tt.want)
		}
	}
}
