package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestLockConcurrent runs four `pylock lock` of one project at once: they
// run one after the other (those that start while another writes say they
// wait), all succeed, and the lock is the one a single run writes.
func TestLockConcurrent(t *testing.T) {
	r, work := newPylockRunnerWith(t, crashIndex)
	want := readFile(t, filepath.Join(work, "b", "pylock.toml"))
	dir := filepath.Join(work, "p")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "pyproject.toml"), readFile(t, filepath.Join(work, "b", "pyproject.toml")))
	outs := make([][]byte, 4)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = r.command("--project", dir, "lock", "--refresh").CombinedOutput()
		}()
	}
	wg.Wait()
	waited := 0
	for i := range outs {
		if errs[i] != nil {
			t.Errorf("lock %d: %v\n%s", i, errs[i], outs[i])
		}
		if bytes.Contains(outs[i], []byte("Waiting for another pylock to finish writing the lock of "+dir)) {
			waited++
		}
	}
	if waited == 0 {
		t.Errorf("no lock waited for another; outputs:\n%s", bytes.Join(outs, []byte("\n---\n")))
	}
	if got := readFile(t, filepath.Join(dir, "pylock.toml")); !bytes.Equal(got, want) {
		t.Fatalf("after four locks at once the lock is:\n%s\nwant:\n%s", got, want)
	}
	checkOnly(t, "after four locks at once", dir, "pylock.toml", "pyproject.toml")
}

// loadProjects are the projects of TestParallelLoad: the two of the
// interrupt tests and a third sharing packages with both.
var loadProjects = map[string]string{
	"c": `[project]
name = "c"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["anyio", "click>=8", "idna==3.6"]
`,
}

// TestParallelLoad runs eight pylock processes at once on one empty cache,
// each locking one of three projects and installing it into that project's
// virtualenv (so several processes share each venv and every download):
// all succeed, every cache entry is complete and verifiable, and each venv
// is exactly what a fresh install makes.
func TestParallelLoad(t *testing.T) {
	r, work := newPylockRunnerWith(t, crashIndex)
	names := []string{"a", "b", "c"}
	for name, text := range loadProjects {
		if err := os.MkdirAll(filepath.Join(work, name), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(work, name, "pyproject.toml"), []byte(text))
	}
	cacheDir := filepath.Join(work, "cache")
	if err := os.RemoveAll(cacheDir); err != nil {
		t.Fatal(err)
	}
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dir := filepath.Join(work, names[i%len(names)])
			if err := commandError(r.command("--project", dir, "lock")); err != nil {
				errs[i] = fmt.Errorf("lock %s: %w", dir, err)
				return
			}
			if err := commandError(r.command("--project", dir, "install", "--venv", dir+"-venv")); err != nil {
				errs[i] = fmt.Errorf("install %s: %w", dir, err)
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	checkCache(t, "after the parallel runs", cacheDir)
	for _, name := range names {
		ref := filepath.Join(work, name+"-ref")
		r.install(work, name, ref)
		want := venvFiles(t, ref)
		checkSame(t, "venv of "+name+" after the parallel runs", filepath.Join(work, name+"-venv"), want, topModules(t, want))
		checkOnly(t, "project "+name, filepath.Join(work, name), "pylock.toml", "pyproject.toml")
	}
	if t.Failed() {
		return
	}
	entries, err := os.ReadDir(filepath.Join(cacheDir, "unpacked-v1"))
	if err != nil || len(entries) == 0 {
		t.Fatalf("the parallel installs left no unpacked wheels in the cache: %v", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("a temporary tree is left in the cache: %s", e.Name())
		}
	}
}

// TestAddConcurrent runs three `pylock add` of different packages to one
// project at once: each edit of pyproject.toml waits for the one before, so
// none is lost, and the lock matches the result.
func TestAddConcurrent(t *testing.T) {
	r, work := newPylockRunnerWith(t, crashIndex)
	dir := filepath.Join(work, "b")
	added := []string{"sniffio", "certifi", "h11"}
	errs := make([]error, len(added))
	var wg sync.WaitGroup
	for i, name := range added {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = commandError(r.command("--project", dir, "add", name))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("add %s: %v", added[i], err)
		}
	}
	project := string(readFile(t, filepath.Join(dir, "pyproject.toml")))
	for _, name := range added {
		if !strings.Contains(project, `"`+name+`>=`) {
			t.Errorf("pyproject.toml lost the addition of %s:\n%s", name, project)
		}
	}
	r.run("--project", dir, "check")
}
