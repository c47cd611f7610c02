package project

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
)

// TestLockRequestsEachURLOnce locks a real project (chalice, from the
// real-metadata snapshot) against each kind of index and checks what it asks
// the index for: no URL twice in a cold run (range requests into one wheel
// aside) over kept-alive connections, no project page in a warm run, and
// nothing offline.
func TestLockRequestsEachURLOnce(t *testing.T) {
	dir := filepath.Join(conformance.Dir(t, "indexes"), "resolvelib")
	data, err := os.ReadFile(filepath.Join(dir, "index", "pypi-2020-02-13-chalice.json"))
	if err != nil {
		t.Fatal(err)
	}
	specs, err := testindex.ResolvelibSpecs(data)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []struct {
		name string
		opts testindex.Options
	}{
		{"json api", testindex.Options{}},
		{"pep 691 with metadata files", testindex.Options{NoJSONAPI: true}},
		{"html with range requests", testindex.Options{NoJSONAPI: true, NoSimpleJSON: true, NoMetadataFiles: true}},
	}
	for _, kind := range kinds {
		t.Run(kind.name, func(t *testing.T) {
			ix, err := testindex.FromSpecs(specs, testindex.SpecOptions{Lazy: true})
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			plain := map[string]int{} // requests without a Range header, by path
			opts := kind.opts
			opts.OnRequest = func(r *http.Request) {
				if r.Header.Get("Range") == "" {
					mu.Lock()
					plain[r.URL.Path]++
					mu.Unlock()
				}
			}
			srv, err := testindex.Serve(ix, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			projectDir, cacheDir := t.TempDir(), t.TempDir()
			pyproject := "[project]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"chalice\"]\n"
			if err := os.WriteFile(filepath.Join(projectDir, PyprojectName), []byte(pyproject), 0o644); err != nil {
				t.Fatal(err)
			}
			lock := func(offline bool) {
				t.Helper()
				p, err := New(Settings{Dir: projectDir, IndexURL: srv.SimpleURL(), CacheDir: cacheDir, Offline: offline})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := p.Lock(context.Background(), LockOptions{PythonVersion: "3.11", PythonPlatform: "x86_64-unknown-linux-gnu", Upgrade: true}); err != nil {
					t.Fatal(err)
				}
			}
			lock(false)
			if srv.TotalRequests() == 0 {
				t.Fatal("the cold lock made no request")
			}
			for path, n := range plain {
				if n > 1 {
					t.Errorf("%s requested %d times in one run", path, n)
				}
			}
			if n := srv.Connections(); n > 2*DefaultConcurrency {
				t.Errorf("the lock opened %d connections for its %d request slots", n, DefaultConcurrency)
			}
			// A warm lock reads every page from the cache (the background
			// prefetch may still guess at metadata the cold lock never
			// finished fetching); an offline one asks for nothing.
			for _, offline := range []bool{false, true} {
				srv.ResetRequests()
				lock(offline)
				for path, n := range srv.RequestCounts() {
					if offline || isProjectPage(path) {
						t.Errorf("warm lock (offline %v) requested %s %d times", offline, path, n)
					}
				}
			}
		})
	}
}

// isProjectPage reports whether an index path is a project's page (Simple
// API or JSON API), as opposed to metadata of one release or a file.
func isProjectPage(path string) bool {
	return strings.HasPrefix(path, "/simple/") || (strings.HasPrefix(path, "/pypi/") && strings.Count(path, "/") == 3)
}
