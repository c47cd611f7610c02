package main

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
)

// helperEnv, when set, makes TestPylockHelper run pylock with the arguments
// after "--" and exit, as the binary's main does: the test binary stands in
// for the pylock binary.
const helperEnv = "PYLOCK_TEST_HELPER"

func TestPylockHelper(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(args, Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, tuneMemory))
}

// interruptProjects are two projects whose locks differ, so that installing
// one over the other both removes and installs packages.
var interruptProjects = map[string]string{
	"a": `[project]
name = "a"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["httpx==0.26.0", "pytest>=8"]
`,
	"b": `[project]
name = "b"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["httpx==0.27.0", "idna==3.6", "click>=8"]
`,
}

// pylockRunner runs pylock as a child process against one test index.
type pylockRunner struct {
	t   *testing.T
	env []string
}

func newPylockRunner(t *testing.T) (*pylockRunner, string) {
	t.Helper()
	return newPylockRunnerWith(t, testindex.Options{})
}

// newPylockRunnerWith is newPylockRunner with an index started with opts.
func newPylockRunnerWith(t *testing.T, opts testindex.Options) (*pylockRunner, string) {
	t.Helper()
	root, err := conformance.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	srv := startIndex(t, filepath.Join(root, "testdata", "index"), opts)
	work := t.TempDir()
	env := append(os.Environ(), helperEnv+"=1", "PYLOCK_INDEX_URL="+srv.SimpleURL(),
		"PYLOCK_CACHE_DIR="+filepath.Join(work, "cache"), "HOME="+work)
	r := &pylockRunner{t: t, env: env}
	for name, text := range interruptProjects {
		dir := filepath.Join(work, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		r.run("--project", dir, "lock")
	}
	return r, work
}

func (r *pylockRunner) command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestPylockHelper$", "--"}, args...)...)
	cmd.Env = r.env
	return cmd
}

// run runs pylock to completion and fails the test if it fails.
func (r *pylockRunner) run(args ...string) {
	r.t.Helper()
	out, err := r.command(args...).CombinedOutput()
	if err != nil {
		r.t.Fatalf("pylock %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// install runs `pylock install` of project into venv to completion.
func (r *pylockRunner) install(work, project, venv string) {
	r.t.Helper()
	r.run("--project", filepath.Join(work, project), "install", "--venv", venv)
}

// venvFiles lists the files and links of a virtualenv, relative to it,
// without bytecode and pylock's own lock file.
func venvFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "__pycache__" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != ".pylock.lock" {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// topModules lists the importable top-level names of a reference venv's
// site-packages.
func topModules(t *testing.T, files []string) []string {
	t.Helper()
	seen := map[string]bool{}
	for _, f := range files {
		_, rest, ok := strings.Cut(f, "site-packages"+string(filepath.Separator))
		if !ok {
			continue
		}
		top, _, nested := strings.Cut(rest, string(filepath.Separator))
		switch {
		case nested && strings.HasSuffix(rest, string(filepath.Separator)+"__init__.py") && !strings.Contains(top, "."):
			seen[top] = true
		case !nested && strings.HasSuffix(top, ".py"):
			seen[strings.TrimSuffix(top, ".py")] = true
		}
	}
	var out []string
	for m := range seen {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// checkSame fails unless venv holds exactly the files of the reference venv,
// and every top-level module imports with its python.
func checkSame(t *testing.T, what, venv string, want, modules []string) {
	t.Helper()
	if extra, missing := diffSorted(venvFiles(t, venv), want); len(extra)+len(missing) > 0 {
		t.Fatalf("%s: venv differs from a fresh install:\nextra: %v\nmissing: %v", what, extra, missing)
	}
	code := "import " + strings.Join(modules, ", ")
	out, err := exec.Command(filepath.Join(venv, "bin", "python"), "-c", code).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %s: %v\n%s", what, code, err, out)
	}
}

// startWatched starts cmd and returns how long it ran before the journal of
// a sync appeared in venv (the sync began), or before it ended.
func startWatched(t *testing.T, cmd *exec.Cmd, venv string) (began time.Duration, done <-chan error) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := make(chan error, 1)
	go func() { ch <- cmd.Wait() }()
	journal := filepath.Join(venv, ".pylock-installing")
	for {
		if _, err := os.Stat(journal); err == nil {
			return time.Since(start), ch
		}
		select {
		case err := <-ch:
			ch <- err
			return time.Since(start), ch
		case <-time.After(100 * time.Microsecond):
		}
	}
}

// syncTime is how long a sync of project over venv runs once it has begun.
func syncTime(t *testing.T, r *pylockRunner, work, project, venv string) time.Duration {
	t.Helper()
	cmd := r.command("--project", filepath.Join(work, project), "install", "--venv", venv)
	began, done := startWatched(t, cmd, venv)
	start := time.Now()
	if err := <-done; err != nil {
		t.Fatalf("install %s: %v", project, err)
	}
	return time.Since(start) + began/10
}

// diffSorted returns what got has and want lacks, and what want has and got lacks.
func diffSorted(got, want []string) (extra, missing []string) {
	in := func(list []string, s string) bool {
		i := sort.SearchStrings(list, s)
		return i < len(list) && list[i] == s
	}
	for _, g := range got {
		if !in(want, g) {
			extra = append(extra, g)
		}
	}
	for _, w := range want {
		if !in(got, w) {
			missing = append(missing, w)
		}
	}
	return extra, missing
}

// TestInstallInterrupted kills `pylock install` (SIGKILL) at random moments,
// alternating between two locks over one venv, and checks that the next
// `pylock install` leaves exactly what a fresh install does. Most kills land
// during the sync (after its journal appears); every fifth run starts
// without a venv and is killed at any moment from its start.
func TestInstallInterrupted(t *testing.T) {
	r, work := newPylockRunner(t)
	want := map[string][]string{}
	modules := map[string][]string{}
	for _, name := range []string{"a", "b"} {
		ref := filepath.Join(work, "ref-"+name)
		r.install(work, name, ref)
		want[name] = venvFiles(t, ref)
		modules[name] = topModules(t, want[name])
	}
	venv := filepath.Join(work, "venv")
	r.install(work, "a", venv)
	took := map[string]time.Duration{"b": syncTime(t, r, work, "b", venv), "a": syncTime(t, r, work, "a", venv)}
	rng := rand.New(rand.NewSource(5))
	deadline := time.Now().Add(40 * time.Second)
	for i := 0; i < 20 && time.Now().Before(deadline); i++ {
		name := []string{"b", "a"}[i%2]
		fresh := i%5 == 4
		if fresh {
			if err := os.RemoveAll(venv); err != nil {
				t.Fatal(err)
			}
		}
		delay := time.Duration(rng.Int63n(int64(took[name])*6/5 + 1))
		cmd := r.command("--project", filepath.Join(work, name), "install", "--venv", venv)
		var began time.Duration
		var done <-chan error
		if fresh {
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			ch := make(chan error, 1)
			go func() { ch <- cmd.Wait() }()
			done = ch
			delay *= 3
		} else {
			began, done = startWatched(t, cmd, venv)
		}
		time.Sleep(delay)
		cmd.Process.Kill()
		<-done
		what := fmt.Sprintf("install %s killed %s after its sync began at %s (a sync takes %s; fresh venv %v)", name, delay, began, took[name], fresh)
		t.Log(what)
		r.install(work, name, venv)
		checkSame(t, what, venv, want[name], modules[name])
	}
}

// TestInstallConcurrent runs two installs of one lock into one venv at once:
// both succeed, one after the other, and the venv is exact afterwards.
func TestInstallConcurrent(t *testing.T) {
	r, work := newPylockRunner(t)
	ref := filepath.Join(work, "ref")
	r.install(work, "b", ref)
	want := venvFiles(t, ref)
	venv := filepath.Join(work, "venv")
	r.install(work, "a", venv)
	var wg sync.WaitGroup
	outs := make([][]byte, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := r.command("--project", filepath.Join(work, "b"), "install", "--venv", venv)
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Errorf("install %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	checkSame(t, "after two installs at once", venv, want, topModules(t, want))
}
