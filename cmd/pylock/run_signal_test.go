//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
)

// signalChild is the command `pylock run` starts: it says it is ready, then
// waits; on SIGINT or SIGTERM it writes the signal's name to a marker file
// and exits 5.
const signalChild = `
import os, signal, sys, time
marker, ready = sys.argv[1], sys.argv[2]
def handler(signum, frame):
    with open(marker, "w") as f:
        f.write(signal.Signals(signum).name)
    sys.exit(5)
signal.signal(signal.SIGINT, handler)
signal.signal(signal.SIGTERM, handler)
open(ready, "w").close()
time.sleep(60)
`

// TestRunForwardsSignals sends SIGINT and SIGTERM to `pylock run` (not to
// its child) and checks that the child receives each, and that pylock waits
// for it and exits with its code.
func TestRunForwardsSignals(t *testing.T) {
	root, err := conformance.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	srv := startIndex(t, filepath.Join(root, "testdata", "index"), testindex.Options{})
	work := t.TempDir()
	pyproject := "[project]\nname = \"demo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.9\"\ndependencies = []\n"
	if err := os.WriteFile(filepath.Join(work, "pyproject.toml"), []byte(pyproject), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &pylockRunner{t: t, env: append(os.Environ(), helperEnv+"=1", "PYLOCK_INDEX_URL="+srv.SimpleURL(),
		"PYLOCK_CACHE_DIR="+filepath.Join(work, "cache"), "HOME="+work)}
	r.run("--project", work, "lock")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			marker, ready := filepath.Join(work, "marker-"+sig.String()), filepath.Join(work, "ready-"+sig.String())
			cmd := r.command("--project", work, "run", "python", "-c", signalChild, marker, ready)
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForFile(t, cmd, ready, &out)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 5 {
				t.Fatalf("pylock run ended with %v, want exit status 5 (the child's)\n%s", err, out.String())
			}
			got, err := os.ReadFile(marker)
			if err != nil {
				t.Fatalf("the child did not receive %v: %v\n%s", sig, err, out.String())
			}
			if want := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[sig]; string(got) != want {
				t.Errorf("the child received %s, want %s", got, want)
			}
		})
	}
}

// waitForFile waits until path exists, failing if cmd ends first.
func waitForFile(t *testing.T, cmd *exec.Cmd, path string, out *strings.Builder) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if cmd.ProcessState != nil {
			t.Fatalf("pylock run ended early\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	t.Fatalf("the child never became ready\n%s", out.String())
}
