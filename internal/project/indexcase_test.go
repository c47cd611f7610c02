package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// indexCase is the shared resolvelib case schema.
type indexCase = conformance.IndexCase

// TestIndexCases serves each resolvelib snapshot from the test index (every
// version a py3-none-any wheel, built when first asked for) and locks the
// case's requirements for CPython 3.11 on Linux; the lock must hold exactly
// the resolved set.
func TestIndexCases(t *testing.T) {
	known := conformance.KnownFailuresOf(t, "indexes")
	dir, cases := conformance.IndexCases(t)
	for _, path := range cases {
		key := "indexes/resolvelib/" + strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(key, func(t *testing.T) {
			conformance.Check(t, known, key, runIndexCase(t, dir, path))
		})
	}
}

func runIndexCase(t *testing.T, dir, path string) string {
	c, srv, err := serveIndexCase(dir, path, 0)
	if err != nil {
		return err.Error()
	}
	defer srv.Close()
	projectDir := t.TempDir()
	var b strings.Builder
	b.WriteString("[project]\nname = \"pylock-index-case\"\nversion = \"0.1.0\"\ndependencies = [\n")
	for _, r := range c.Requested {
		fmt.Fprintf(&b, "  %q,\n", r)
	}
	b.WriteString("]\n")
	if err := os.WriteFile(filepath.Join(projectDir, PyprojectName), []byte(b.String()), 0o644); err != nil {
		return err.Error()
	}
	p, err := New(Settings{Dir: projectDir, IndexURL: srv.SimpleURL(), CacheDir: t.TempDir()})
	if err != nil {
		return err.Error()
	}
	if _, err := p.Lock(context.Background(), LockOptions{PythonVersion: "3.11", PythonPlatform: "x86_64-unknown-linux-gnu"}); err != nil {
		return err.Error()
	}
	return compareLocked(p.LockPath(), c.Resolved)
}

// compareLocked says how the lock's packages differ from want (name ->
// version, compared as PEP 440 versions), or "".
func compareLocked(lockPath string, want map[string]string) string {
	lock, err := lockfile.ReadFile(lockPath)
	if err != nil {
		return err.Error()
	}
	wanted := map[string]pep440.Version{}
	for name, v := range want {
		wanted[pep508.NormalizeName(name)] = pep440.MustParse(v)
	}
	var diffs []string
	for _, pkg := range lock.Packages {
		name := pep508.NormalizeName(pkg.Name)
		w, ok := wanted[name]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s %s locked, not wanted", name, pkg.Version))
		case !w.Equal(pep440.MustParse(pkg.Version)):
			diffs = append(diffs, fmt.Sprintf("%s: got %s, want %s", name, pkg.Version, w))
		}
		delete(wanted, name)
	}
	for name, w := range wanted {
		diffs = append(diffs, fmt.Sprintf("%s %s wanted, not locked", name, w))
	}
	slices.Sort(diffs)
	return strings.Join(diffs, "; ")
}

// serveIndexCase reads a case and serves its snapshot from the test index
// (every version a py3-none-any wheel, built when first asked for), adding
// delay to every response.
func serveIndexCase(dir, path string, delay time.Duration) (indexCase, *testindex.Server, error) {
	c, err := conformance.ReadIndexCase(path)
	if err != nil {
		return c, nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, "index", c.Index+".json"))
	if err != nil {
		return c, nil, err
	}
	specs, err := testindex.ResolvelibSpecs(data)
	if err != nil {
		return c, nil, err
	}
	ix, err := testindex.FromSpecs(specs, testindex.SpecOptions{Lazy: true})
	if err != nil {
		return c, nil, err
	}
	srv, err := testindex.Serve(ix, testindex.Options{Delay: delay})
	return c, srv, err
}
