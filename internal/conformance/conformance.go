// Package conformance locates the shared conformance test data for test runners.
//
// The data lives in ../shared/conformance/ beside the repository root (the folder
// holding go.mod), or in the folder named by the PYLOCK_CONFORMANCE environment
// variable when that is set, so the same runners work unchanged on a larger set
// of cases with the same layout.
package conformance

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// EnvVar names the environment variable that overrides the conformance folder.
const EnvVar = "PYLOCK_CONFORMANCE"

// Dir returns the folder holding the conformance data of one area, such as
// "pep440" or "scenarios". It fails the test when the folder does not exist.
func Dir(t testing.TB, area string) string {
	t.Helper()
	root := os.Getenv(EnvVar)
	if root == "" {
		repo, err := RepoRoot()
		if err != nil {
			t.Fatalf("conformance: %v", err)
		}
		root = filepath.Join(filepath.Dir(repo), "shared", "conformance")
	}
	dir := filepath.Join(root, area)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("conformance: no data folder %s (set %s to another folder)", dir, EnvVar)
	}
	return dir
}

// RepoRoot walks up from the working directory to the folder holding go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// KnownFailuresOf reads the known failures of one conformance area, such as
// "scenarios": testdata/known_failures/<area>.txt at the repository root.
// Every runner of an area reads the same file, so each known failure is
// listed once, with its reason.
func KnownFailuresOf(t testing.TB, area string) map[string]string {
	t.Helper()
	repo, err := RepoRoot()
	if err != nil {
		t.Fatalf("conformance: %v", err)
	}
	return KnownFailures(t, filepath.Join(repo, "testdata", "known_failures", area+".txt"))
}

// KnownFailures reads a known-failures file: one case key per line, a tab, and
// the reason. Blank lines and lines starting with '#' are ignored. A missing
// file means no known failures.
func KnownFailures(t testing.TB, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return map[string]string{}
	}
	if err != nil {
		t.Fatalf("conformance: %v", err)
	}
	known := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, reason, ok := strings.Cut(text, "\t")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("%s:%d: want \"<case>\\t<reason>\", got %q", path, line, text)
		}
		known[key] = reason
	}
	return known
}

// Check reports a case's outcome against the known failures: a failing case
// that is not listed fails the test, and a listed case that now passes fails it
// too, so the list can only shrink.
func Check(t testing.TB, known map[string]string, key string, failure string) {
	t.Helper()
	reason, listed := known[key]
	switch {
	case failure != "" && !listed:
		t.Errorf("%s: %s", key, failure)
	case failure == "" && listed:
		t.Errorf("%s: passes now but is listed as a known failure (%s); remove it from the list", key, reason)
	}
}
