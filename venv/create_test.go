package venv

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// twoPythons finds two interpreters of different minor versions, or fails.
func twoPythons(t *testing.T) (a, b *Interpreter) {
	t.Helper()
	a = findPython(t)
	for _, minor := range []string{"3.13", "3.12", "3.11", "3.10", "3.9"} {
		if minor == a.MinorVersion() {
			continue
		}
		if py, err := Find(nil, minor); err == nil {
			return a, py
		}
	}
	t.Fatalf("the machine has one python minor version only (%s); recreation needs two", a.MinorVersion())
	return nil, nil
}

func putFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runVersion(t *testing.T, dir string) string {
	t.Helper()
	return run(t, filepath.Join(dir, "bin", "python"), "-c", "import sys; print('%d.%d' % sys.version_info[:2])")
}

func TestCreateRecreatesForOtherInterpreter(t *testing.T) {
	a, b := twoPythons(t)
	parent := t.TempDir()
	dir := filepath.Join(parent, "env")
	env, err := Create(dir, a)
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(env.Dir, "stale.txt")
	putFile(t, stale, "old")
	env, err = Create(dir, b)
	if err != nil {
		t.Fatalf("Create for another interpreter: %v", err)
	}
	if got := runVersion(t, env.Dir); got != b.MinorVersion() {
		t.Errorf("recreated venv runs %s, want %s", got, b.MinorVersion())
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old venv's file survived: %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("left beside the venv: %v", entries)
	}
}

func TestCreateForeign(t *testing.T) {
	a, b := twoPythons(t)
	tests := []struct {
		name    string
		make    func(t *testing.T, dir string)
		py      *Interpreter
		force   bool
		wantErr bool // a *ForeignDirError, and the directory kept
		reused  bool // the directory is used as it is
	}{
		{"plain directory", plainDir, a, false, true, false},
		{"plain directory, forced", plainDir, a, true, false, false},
		{"python -m venv, other python", stdVenv(a), b, false, true, false},
		{"python -m venv, other python, forced", stdVenv(a), b, true, false, false},
		{"python -m venv, same python", stdVenv(a), a, false, false, true},
		{"broken pyvenv.cfg", func(t *testing.T, dir string) { putFile(t, filepath.Join(dir, "pyvenv.cfg"), "no equals\n") }, a, false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "env")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			tt.make(t, dir)
			keep := filepath.Join(dir, "keep.txt")
			putFile(t, keep, "mine")
			env, err := CreateWith(dir, tt.py, CreateOptions{Force: tt.force})
			_, keepErr := os.Stat(keep)
			var fe *ForeignDirError
			switch {
			case tt.wantErr:
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), "--force") {
					t.Fatalf("err = %v, want *ForeignDirError naming --force", err)
				}
				if keepErr != nil {
					t.Error("refused directory lost its file")
				}
			case err != nil:
				t.Fatalf("CreateWith: %v", err)
			case tt.reused != (keepErr == nil):
				t.Errorf("reused = %v, want %v", keepErr == nil, tt.reused)
			default:
				if got := runVersion(t, env.Dir); got != tt.py.MinorVersion() {
					t.Errorf("venv runs %s, want %s", got, tt.py.MinorVersion())
				}
			}
		})
	}
}

func plainDir(t *testing.T, dir string) {
	putFile(t, filepath.Join(dir, "notes.txt"), "x")
}

func stdVenv(py *Interpreter) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		if out, err := exec.Command(py.Executable, "-m", "venv", "--without-pip", dir).CombinedOutput(); err != nil {
			t.Fatalf("python -m venv: %v\n%s", err, out)
		}
	}
}

func TestActivateScripts(t *testing.T) {
	env := newEnv(t)
	python := filepath.Join(env.Dir, "bin", "python")
	shells := []struct {
		script string
		shells []string // interpreters of the script; the first installed one runs it
		source string   // command sourcing %s, then printing $VIRTUAL_ENV and the python found
		text   []string // lines the script must hold, checked always
	}{
		{"activate", []string{"bash", "zsh"}, `. %s && echo $VIRTUAL_ENV && command -v python && deactivate && echo "[$VIRTUAL_ENV]"`,
			[]string{"VIRTUAL_ENV=" + shellQuote(env.Dir), `PATH="$VIRTUAL_ENV/bin:$PATH"`}},
		{"activate.fish", []string{"fish"}, `source %s; and echo $VIRTUAL_ENV; and command -v python; and deactivate; and echo "[$VIRTUAL_ENV]"`,
			[]string{"set -gx VIRTUAL_ENV " + fishQuote(env.Dir), `set -gx PATH "$VIRTUAL_ENV/bin" $PATH`}},
		// csh expands aliases when it reads a line, so deactivate (an alias the
		// script defines) must be on a line after the one that sources it.
		{"activate.csh", []string{"csh", "tcsh"}, "source %s\necho $VIRTUAL_ENV\nwhich python\ndeactivate\necho \"[$?VIRTUAL_ENV]\"",
			[]string{"setenv VIRTUAL_ENV " + shellQuote(env.Dir), `setenv PATH "$VIRTUAL_ENV/bin:$PATH"`}},
	}
	for _, sh := range shells {
		path := filepath.Join(env.Dir, "bin", sh.script)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range sh.text {
			if !strings.Contains(string(data), line+"\n") {
				t.Errorf("%s lacks line %q", sh.script, line)
			}
		}
		ran := false
		for _, shell := range sh.shells {
			if _, err := exec.LookPath(shell); err != nil {
				t.Logf("%s is not installed: %s checked by its text only", shell, sh.script)
				continue
			}
			ran = true
			quoted := shellQuote(path)
			if shell == "fish" {
				quoted = fishQuote(path)
			}
			got := run(t, shell, "-c", strings.Replace(sh.source, "%s", quoted, 1))
			want := env.Dir + "\n" + python + "\n[" + map[bool]string{true: "0", false: ""}[strings.HasSuffix(shell, "csh")] + "]"
			if got != want {
				t.Errorf("%s with %s: %q, want %q", sh.script, shell, got, want)
			}
		}
		if !ran && sh.script == "activate" {
			t.Errorf("no shell ran %s", sh.script)
		}
	}
}
