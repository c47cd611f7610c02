package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/testindex"
)

// crashIndex is the test index of the crash and load tests: every request
// waits a little, as a distant index does, which widens the moments a kill
// can land in, and pages must be revalidated, so each run asks the index.
var crashIndex = testindex.Options{Delay: time.Millisecond, PageCacheControl: "no-cache"}

// killer runs pylock commands and kills them (SIGKILL) at seeded random
// moments.
type killer struct {
	*pylockRunner
	t   *testing.T
	rng *rand.Rand
}

// newKiller starts a crashIndex and the projects of newPylockRunner; seed
// makes the kill moments.
func newKiller(t *testing.T, seed int64) (*killer, string) {
	r, work := newPylockRunnerWith(t, crashIndex)
	return &killer{pylockRunner: r, t: t, rng: rand.New(rand.NewSource(seed))}, work
}

// killDuring starts pylock with args, kills it after a random moment within
// 1.2 times took (how long the command runs when left alone), and says when.
func (k *killer) killDuring(took time.Duration, args ...string) string {
	k.t.Helper()
	cmd := k.command(args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	delay := time.Duration(k.rng.Int63n(int64(took)*6/5 + 1))
	if err := cmd.Start(); err != nil {
		k.t.Fatal(err)
	}
	time.Sleep(delay)
	cmd.Process.Kill()
	err := cmd.Wait()
	return fmt.Sprintf("pylock %s killed after %s (it takes %s; %v)", strings.Join(args, " "), delay, took, err)
}

// timed runs pylock with args to completion and returns how long it took.
func (k *killer) timed(args ...string) time.Duration {
	k.t.Helper()
	start := time.Now()
	k.run(args...)
	return time.Since(start)
}

// TestLockKilled kills `pylock lock` at random moments while it re-locks a
// project whose pyproject.toml changed: pylock.toml is always the old lock
// or the new one, never a part, nothing else is left in the project, the
// cache holds only complete entries, and the next lock writes the new lock.
func TestLockKilled(t *testing.T) {
	k, work := newKiller(t, 7)
	old := readFile(t, filepath.Join(work, "a", "pylock.toml"))
	want := readFile(t, filepath.Join(work, "b", "pylock.toml"))
	dir := filepath.Join(work, "p")
	newProject := readFile(t, filepath.Join(work, "b", "pyproject.toml"))
	reset := func() {
		writeFile(t, filepath.Join(dir, "pylock.toml"), old)
		writeFile(t, filepath.Join(dir, "pyproject.toml"), newProject)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	reset()
	took := k.timed("--project", dir, "lock")
	kinds := map[string]int{}
	for i := 0; i < 8; i++ {
		reset()
		what := k.killDuring(took, "--project", dir, "lock")
		got := readFile(t, filepath.Join(dir, "pylock.toml"))
		switch {
		case bytes.Equal(got, old):
			kinds["old"]++
		case bytes.Equal(got, want):
			kinds["new"]++
		default:
			t.Fatalf("%s: pylock.toml is neither the old lock nor the new one:\n%s", what, got)
		}
		checkCache(t, what, filepath.Join(work, "cache"))
		k.run("--project", dir, "lock")
		if got := readFile(t, filepath.Join(dir, "pylock.toml")); !bytes.Equal(got, want) {
			t.Fatalf("%s: the next lock wrote another lock:\n%s", what, got)
		}
		checkOnly(t, what, dir, "pylock.toml", "pyproject.toml")
	}
	t.Logf("after a kill: %d old locks, %d new ones", kinds["old"], kinds["new"])
}

// TestInstallKilledColdCache kills `pylock install` at random moments while
// it downloads and unpacks into a cache emptied of downloads: the cache
// holds only complete, verifiable entries, and the next install makes the
// same virtualenv as a fresh one. (TestInstallInterrupted kills installs
// with a warm cache, to hit the sync of the venv itself.)
func TestInstallKilledColdCache(t *testing.T) {
	k, work := newKiller(t, 11)
	ref := filepath.Join(work, "ref")
	k.install(work, "b", ref)
	want := venvFiles(t, ref)
	modules := topModules(t, want)
	cacheDir := filepath.Join(work, "cache")
	venv := filepath.Join(work, "venv")
	emptyDownloads := func() {
		for _, bucket := range []string{"wheels-v1", "unpacked-v1"} {
			if err := os.RemoveAll(filepath.Join(cacheDir, bucket)); err != nil {
				t.Fatal(err)
			}
		}
	}
	args := []string{"--project", filepath.Join(work, "b"), "install", "--venv", venv}
	emptyDownloads()
	took := k.timed(args...)
	for i := 0; i < 6; i++ {
		emptyDownloads()
		if i%3 == 0 {
			if err := os.RemoveAll(venv); err != nil {
				t.Fatal(err)
			}
		}
		what := k.killDuring(took, args...)
		checkCache(t, what, cacheDir)
		k.run(args...)
		checkSame(t, what, venv, want, modules)
		checkCache(t, what, cacheDir)
	}
}

// TestAddKilled kills `pylock add` at random moments while it adds a
// requirement without a version (which it locks, then writes with the
// locked version as its lower bound): pyproject.toml and pylock.toml are
// each the old file or the new one, never a part, and the next add makes
// the new pair.
func TestAddKilled(t *testing.T) {
	k, work := newKiller(t, 13)
	oldProject := readFile(t, filepath.Join(work, "b", "pyproject.toml"))
	oldLock := readFile(t, filepath.Join(work, "b", "pylock.toml"))
	dir := filepath.Join(work, "p")
	reset := func() {
		writeFile(t, filepath.Join(mkdir(t, dir), "pyproject.toml"), oldProject)
		writeFile(t, filepath.Join(dir, "pylock.toml"), oldLock)
	}
	reset()
	args := []string{"--project", dir, "add", "sniffio"}
	took := k.timed(args...)
	newProject := readFile(t, filepath.Join(dir, "pyproject.toml"))
	newLock := readFile(t, filepath.Join(dir, "pylock.toml"))
	if bytes.Equal(newProject, oldProject) || bytes.Equal(newLock, oldLock) {
		t.Fatal("add changed nothing")
	}
	for i := 0; i < 8; i++ {
		reset()
		what := k.killDuring(took, args...)
		for _, f := range []struct{ name, old, new []byte }{
			{[]byte("pyproject.toml"), oldProject, newProject}, {[]byte("pylock.toml"), oldLock, newLock},
		} {
			got := readFile(t, filepath.Join(dir, string(f.name)))
			if !bytes.Equal(got, f.old) && !bytes.Equal(got, f.new) {
				t.Fatalf("%s: %s is neither the old file nor the new one:\n%s", what, f.name, got)
			}
		}
		k.run(args...)
		if !bytes.Equal(readFile(t, filepath.Join(dir, "pyproject.toml")), newProject) ||
			!bytes.Equal(readFile(t, filepath.Join(dir, "pylock.toml")), newLock) {
			t.Fatalf("%s: the next add did not make the new files", what)
		}
		checkOnly(t, what, dir, "pylock.toml", "pyproject.toml")
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkOnly fails unless dir holds exactly the named entries.
func checkOnly(t *testing.T, what, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	sort.Strings(names)
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Fatalf("%s: %s holds %v, want %v", what, dir, got, names)
	}
}

// checkCache fails unless every entry of the cache is complete: each
// download's content has the sha256 its name says, each unpacked wheel has
// every file its RECORD lists with the recorded hash and size, each index
// page and metadata entry parses. Names starting with a dot are the temporary files of
// writes in flight (or killed), which no reader opens.
func checkCache(t *testing.T, what, root string) {
	t.Helper()
	if err := cacheDamage(root); err != nil {
		t.Fatalf("%s: the cache is not consistent: %v", what, err)
	}
}

// cacheDamage returns the first incomplete entry of the cache at root (see
// checkCache) as an error, or nil.
func cacheDamage(root string) error {
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		bucket, _, _ := strings.Cut(parts[0], "-v")
		switch {
		case bucket == "unpacked" && len(parts) == 2 && d.IsDir():
			return checkUnpacked(path)
		case d.IsDir():
			return nil
		case bucket == "wheels":
			return checkDigest(path, d.Name())
		case bucket == "simple":
			return checkPageEntry(path)
		case bucket == "metadata":
			return checkJSONEntry(path)
		}
		return nil // unpacked trees are checked whole; project locks are empty
	})
}

// TestCacheDamageFound checks that the consistency check of the crash tests
// finds each kind of damaged entry a kill could leave.
func TestCacheDamageFound(t *testing.T) {
	sum := sha256.Sum256([]byte("whole"))
	sha := hex.EncodeToString(sum[:])
	recordLine := func(content string) string {
		s := sha256.Sum256([]byte(content))
		return fmt.Sprintf("m.py,sha256=%s,%d\n", base64.RawURLEncoding.EncodeToString(s[:]), len(content))
	}
	tests := []struct {
		name  string
		files map[string]string
	}{
		{"download of other bytes", map[string]string{"wheels-v1/sha256/" + sha[:2] + "/" + sha: "who"}},
		{"half a metadata entry", map[string]string{"metadata-v1/ab/abcd": `{"name": "x"`}},
		{"half a page header", map[string]string{"simple-v2/ab/abcd": `{"url": "u"`}},
		{"half a JSON page", map[string]string{"simple-v2/ab/abcd": `{"content_type": "application/vnd.pypi.simple.v1+json"}` + "\n" + `{"files": [`}},
		{"unpacked file cut short", map[string]string{"unpacked-v1/" + sha + "/m.py": "print(", "unpacked-v1/" + sha + "/m-1.0.dist-info/RECORD": recordLine("print(1)")}},
		{"unpacked without RECORD", map[string]string{"unpacked-v1/" + sha + "/m.py": "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for name, text := range tt.files {
				writeFile(t, filepath.Join(mkdir(t, filepath.Dir(filepath.Join(root, name))), filepath.Base(name)), []byte(text))
			}
			if err := cacheDamage(root); err == nil {
				t.Error("the damage was not found")
			}
		})
	}
	whole := t.TempDir()
	writeFile(t, filepath.Join(mkdir(t, filepath.Join(whole, "wheels-v1", "sha256", sha[:2])), sha), []byte("whole"))
	writeFile(t, filepath.Join(mkdir(t, filepath.Join(whole, "unpacked-v1", sha, "m-1.0.dist-info")), "RECORD"), []byte(recordLine("print(1)")))
	writeFile(t, filepath.Join(whole, "unpacked-v1", sha, "m.py"), []byte("print(1)"))
	writeFile(t, filepath.Join(mkdir(t, filepath.Join(whole, "simple-v2", "ab")), "abcd"), []byte(`{"content_type": "text/html"}`+"\n<html>"))
	if err := cacheDamage(whole); err != nil {
		t.Errorf("a whole cache is reported damaged: %v", err)
	}
}

// checkDigest checks that the file at path has the sha256 digest sha.
func checkDigest(path, sha string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		return fmt.Errorf("%s: content has sha256 %s", path, got)
	}
	return nil
}

// checkJSONEntry checks that a keyed cache entry is a whole JSON document.
func checkJSONEntry(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !json.Valid(data) {
		return fmt.Errorf("%s: not a whole JSON document (%d bytes)", path, len(data))
	}
	return nil
}

// checkPageEntry checks that an index page's entry is whole: a line of
// JSON (the response's validators and content type), then the body, which
// for a JSON page must be a whole JSON document.
func checkPageEntry(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if string(data) == "absent" {
		return nil
	}
	header, body, _ := bytes.Cut(data, []byte("\n"))
	var page struct {
		ContentType string `json:"content_type"`
	}
	if err := json.Unmarshal(header, &page); err != nil {
		return fmt.Errorf("%s: the header line is not whole JSON: %v", path, err)
	}
	if strings.Contains(page.ContentType, "json") && !json.Valid(body) {
		return fmt.Errorf("%s: the %s body is not a whole JSON document (%d bytes)", path, page.ContentType, len(body))
	}
	return nil
}

// checkUnpacked checks an unpacked wheel against its RECORD.
func checkUnpacked(dir string) error {
	records, err := filepath.Glob(filepath.Join(dir, "*.dist-info", "RECORD"))
	if err != nil || len(records) != 1 {
		return fmt.Errorf("%s: want one .dist-info/RECORD, found %v (%v)", dir, records, err)
	}
	f, err := os.Open(records[0])
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ",")
		if len(fields) != 3 || fields[1] == "" {
			continue
		}
		if err := checkRecorded(filepath.Join(dir, filepath.FromSlash(fields[0])), fields[1], fields[2]); err != nil {
			return err
		}
	}
	return sc.Err()
}

// checkRecorded checks a file against its RECORD hash ("sha256=<urlsafe
// base64>") and size.
func checkRecorded(path, hash, size string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	if got := "sha256=" + base64.RawURLEncoding.EncodeToString(sum[:]); got != hash {
		return fmt.Errorf("%s: hash %s, RECORD says %s", path, got, hash)
	}
	if n, err := strconv.Atoi(size); err == nil && n != len(data) {
		return fmt.Errorf("%s: %d bytes, RECORD says %d", path, len(data), n)
	}
	return nil
}

// commandError runs cmd and returns its error with its output.
func commandError(cmd *exec.Cmd) error {
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v\n%s", err, out)
	}
	return nil
}
