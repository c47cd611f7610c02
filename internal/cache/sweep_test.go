package cache

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSweep(t *testing.T) {
	root := t.TempDir()
	now := time.Now()
	old := now.Add(-2 * StaleAge)
	entries := []struct {
		path    string
		dir     bool
		mtime   time.Time
		removed bool
	}{
		{"simple-v2/ab/.tmp-123", false, old, true},
		{"unpacked-v1/.idna-3.7.tmp-456", true, old, true},
		{"unpacked-v1/.idna-3.7.tmp-789", true, now, false}, // a running pylock's
		{"venvs/.env.old-1", true, old, true},
		{"simple-v2/ab/abcdef", false, old, false}, // an entry
		{"unpacked-v1/idna-3.7", true, old, false}, // an entry
		{"projects-v1/x/.pylock.lock", false, old, false},
		{Parsed + "/ab/abcdef", false, now.Add(-2 * DerivedAge), true},  // derived, unused for long
		{Parsed + "/cd/cdef01", false, old, false},                      // derived, recent
		{"simple-v2/ef/ef0123", false, now.Add(-2 * DerivedAge), false}, // not derived: kept
	}
	for _, e := range entries {
		p := filepath.Join(root, filepath.FromSlash(e.path))
		if e.dir {
			if err := os.MkdirAll(filepath.Join(p, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
		} else {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chtimes(p, e.mtime, e.mtime); err != nil {
			t.Fatal(err)
		}
	}
	if n := Sweep(root, now); n != 4 {
		t.Errorf("Sweep removed %d entries, want 4", n)
	}
	for _, e := range entries {
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(e.path)))
		if gone := os.IsNotExist(err); gone != e.removed {
			t.Errorf("%s: removed = %v, want %v", e.path, gone, e.removed)
		}
	}
	// A second sweep within the interval does not walk again.
	leftover := filepath.Join(root, ".tmp-again")
	if err := os.WriteFile(leftover, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(leftover, old, old); err != nil {
		t.Fatal(err)
	}
	if n := Sweep(root, now.Add(time.Minute)); n != 0 {
		t.Errorf("a sweep within the interval removed %d entries, want 0", n)
	}
	// A day later both that one and the running pylock's folder are stale.
	if n := Sweep(root, now.Add(SweepInterval+time.Minute)); n != 2 {
		t.Errorf("the next day's sweep removed %d entries, want 2", n)
	}
}
