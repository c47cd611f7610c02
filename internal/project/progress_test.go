package project

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/pylock/pylock/internal/testindex"
)

// recordedProgress records the progress reported to it.
type recordedProgress struct {
	mu     sync.Mutex
	events []string            // "start Phase" and "done Phase", in order
	items  map[string][]string // the items advanced, by phase
}

func (r *recordedProgress) Start(phase string, _ int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, "start "+phase)
}

func (r *recordedProgress) Advance(phase string, _ int, item string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.items[phase] = append(r.items[phase], item)
}

func (r *recordedProgress) Done(phase string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, "done "+phase)
}

// TestLockReportsProgress locks a project of two packages: resolving counts
// each package once, then locking counts each package.
func TestLockReportsProgress(t *testing.T) {
	ix, err := testindex.FromSpecs([]testindex.Spec{
		{Name: "app", Releases: []testindex.ReleaseSpec{{Version: "1.0", RequiresDist: []string{"lib>=1"}}}},
		{Name: "lib", Releases: []testindex.ReleaseSpec{{Version: "1.0"}, {Version: "2.0"}}},
	}, testindex.SpecOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := testindex.Serve(ix, testindex.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	pyproject := "[project]\nname = \"demo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.9\"\ndependencies = [\"app\"]\n"
	if err := os.WriteFile(filepath.Join(dir, PyprojectName), []byte(pyproject), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := &recordedProgress{items: map[string][]string{}}
	p, err := New(Settings{Dir: dir, IndexURL: srv.URL() + "/simple/", CacheDir: t.TempDir(), Progress: rec})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Lock(context.Background(), LockOptions{}); err != nil {
		t.Fatal(err)
	}
	wantEvents := []string{"start " + PhaseResolving, "done " + PhaseResolving, "start " + PhaseLocking, "done " + PhaseLocking}
	if !reflect.DeepEqual(rec.events, wantEvents) {
		t.Errorf("phases = %v, want %v", rec.events, wantEvents)
	}
	wantItems := map[string][]string{PhaseResolving: {"app 1.0", "lib 2.0"}, PhaseLocking: {"app", "lib"}}
	if !reflect.DeepEqual(rec.items, wantItems) {
		t.Errorf("items = %v, want %v", rec.items, wantItems)
	}
}
