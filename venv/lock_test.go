package venv

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLockDirSerialises(t *testing.T) {
	dir := t.TempDir()
	var holders, overlaps atomic.Int32
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				unlock, err := LockDir(context.Background(), dir, 10*time.Second)
				if err != nil {
					t.Error(err)
					return
				}
				if n := holders.Add(1); n != 1 {
					overlaps.Add(1)
				}
				time.Sleep(2 * time.Millisecond)
				holders.Add(-1)
				if err := unlock(); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if n := overlaps.Load(); n != 0 {
		t.Errorf("the lock was held twice at once %d times", n)
	}
}

func TestLockDirWaitsAndGivesUp(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockDir(context.Background(), dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = LockDir(context.Background(), dir, 60*time.Millisecond)
	var locked *LockedError
	if !errors.As(err, &locked) || locked.Dir != dir || !strings.Contains(err.Error(), "another pylock is installing into "+dir) {
		t.Errorf("second LockDir error = %v, want *LockedError for %s", err, dir)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LockDir(ctx, dir, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("LockDir with a done context: %v, want context.Canceled", err)
	}
	_, err = LockDir(context.Background(), filepath.Join(dir, "missing", "dir"), time.Second)
	var le *LockError
	if !errors.As(err, &le) {
		t.Errorf("LockDir in a missing directory: %v, want *LockError", err)
	}
}

// interrupted builds the states a killed sync can leave: one whole package,
// one whose RECORD was never written, one whose uninstall stopped half way,
// and a file written by no finished install.
// start begins the sync once the user's own file exists.
func interrupted(t *testing.T, env *Env, start func()) (site string) {
	t.Helper()
	dir := t.TempDir()
	site = env.path(env.Python.Scheme.Purelib)
	if err := os.WriteFile(filepath.Join(site, "user_file.pth"), []byte("\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	start()
	for _, name := range []string{"whole", "halfin", "halfout"} {
		files := append(meta(name, "1.0", true),
			wheelFile{name: name + "/__init__.py", data: "X = 1\n"},
			wheelFile{name: name + "/sub/mod.py", data: "Y = 2\n"},
			wheelFile{name: name + "-1.0.dist-info/entry_points.txt", data: "[console_scripts]\n" + name + "-cli = " + name + ":X\n"},
		)
		if err := env.InstallWheel(buildWheel(t, dir, name+"-1.0-py3-none-any.whl", files, nil)); err != nil {
			t.Fatal(err)
		}
	}
	mustRemove(t, filepath.Join(site, "halfin-1.0.dist-info", "RECORD"))
	mustRemove(t, filepath.Join(site, "halfout", "sub", "mod.py"))
	if err := os.WriteFile(filepath.Join(site, "stray.py"), []byte("Z = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return site
}

func mustRemove(t *testing.T, p string) {
	t.Helper()
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
}

func TestRepair(t *testing.T) {
	env := newEnv(t)
	var since time.Time
	site := interrupted(t, env, func() { since = time.Now() })
	if err := env.Repair(since); err != nil {
		t.Fatalf("Repair: %v", err)
	}
	checkRepaired(t, env, site)
}

func checkRepaired(t *testing.T, env *Env, site string) {
	t.Helper()
	dists, err := env.Installed()
	if err != nil {
		t.Fatal(err)
	}
	if len(dists) != 1 || dists[0].Name != "whole" {
		t.Errorf("after repair Installed = %v, want only whole", dists)
	}
	bin := env.path(env.Python.Scheme.Scripts)
	for _, p := range []struct {
		path string
		want bool
	}{
		{filepath.Join(site, "whole", "sub", "mod.py"), true},
		{filepath.Join(bin, "whole-cli"), true},
		{filepath.Join(site, "user_file.pth"), true},
		{filepath.Join(bin, "python"), true},
		{filepath.Join(env.Dir, "pyvenv.cfg"), true},
		{filepath.Join(site, "halfin"), false},
		{filepath.Join(site, "halfin-1.0.dist-info"), false},
		{filepath.Join(bin, "halfin-cli"), false},
		{filepath.Join(site, "halfout"), false},
		{filepath.Join(site, "halfout-1.0.dist-info"), false},
		{filepath.Join(bin, "halfout-cli"), false},
		{filepath.Join(site, "stray.py"), false},
	} {
		_, err := os.Lstat(p.path)
		if got := err == nil; got != p.want {
			t.Errorf("%s exists = %v, want %v", p.path, got, p.want)
		}
	}
}

func TestBeginSyncRepairsAfterAnInterruptedSync(t *testing.T) {
	env := newEnv(t)
	journal := filepath.Join(env.Dir, JournalFile)
	site := interrupted(t, env, func() {
		end, err := env.BeginSync(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(journal)
		if err != nil {
			t.Fatalf("no journal during a sync: %v", err)
		}
		// The sync is "killed": its lock goes, its journal stays.
		if err := end(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(journal, data, 0o644); err != nil {
			t.Fatal(err)
		}
	})
	end, err := env.BeginSync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkRepaired(t, env, site)
	if err := end(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(journal); !os.IsNotExist(err) {
		t.Errorf("journal left after a finished sync: %v", err)
	}
}
