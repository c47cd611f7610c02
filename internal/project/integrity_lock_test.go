package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestLockWaitsForProjectLock holds a project's file lock and checks that
// Lock and Update of another Project of the folder wait for it (they give up only when their context ends,
// having written nothing), that a killed writer's temporary file is removed,
// and that once the lock is free they run.
func TestLockWaitsForProjectLock(t *testing.T) {
	dir := t.TempDir()
	var logged []string
	logf := func(_ int, format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }
	p, err := New(Settings{Dir: dir, CacheDir: filepath.Join(dir, ".cache"), Log: logf})
	if err != nil {
		t.Fatal(err)
	}
	holder, err := New(Settings{Dir: dir, CacheDir: filepath.Join(dir, ".cache")}) // another pylock
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := holder.lockProject(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".pylock-123.tmp")
	if err := os.WriteFile(stale, []byte("half a lo"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, run := range map[string]func(context.Context) error{
		"lock":   func(ctx context.Context) error { _, err := p.Lock(ctx, LockOptions{}); return err },
		"update": func(ctx context.Context) error { _, err := p.Update(ctx, UpdateOptions{}); return err },
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := run(ctx)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s while another holds the project lock: got %v, want it to wait until its context ends", name, err)
		}
	}
	if _, err := os.Stat(stale); err != nil {
		t.Fatalf("the temporary file was removed while the lock was held: %v", err)
	}
	if want := "Waiting for another pylock to finish writing the lock of " + dir; len(logged) != 2 || logged[0] != want {
		t.Errorf("logged %q, want %q for each", logged, want)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	_, err = p.Lock(context.Background(), LockOptions{})
	if err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("lock without pyproject.toml once the project lock is free: got %v, want the missing file", err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a killed writer's temporary file is still there: %v", err)
	}
}

// TestProjectLockReentrant checks that a workflow inside another that holds
// the project's lock (Lock inside Add) takes it again without waiting, and
// that the lock is free once the outer one releases it.
func TestProjectLockReentrant(t *testing.T) {
	dir := t.TempDir()
	p, err := New(Settings{Dir: dir, CacheDir: filepath.Join(dir, ".cache")})
	if err != nil {
		t.Fatal(err)
	}
	outer, err := p.lockProject(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	inner, err := p.lockProject(ctx)
	if err != nil {
		t.Fatalf("the holder could not take its own lock again: %v", err)
	}
	if err := inner(); err != nil {
		t.Fatal(err)
	}
	if !p.projectLocked {
		t.Fatal("releasing the inner lock released the outer one")
	}
	if err := outer(); err != nil {
		t.Fatal(err)
	}
	other, err := New(Settings{Dir: dir, CacheDir: filepath.Join(dir, ".cache")})
	if err != nil {
		t.Fatal(err)
	}
	again, err := other.lockProject(ctx)
	if err != nil {
		t.Fatalf("the lock is not free after the holder released it: %v", err)
	}
	if err := again(); err != nil {
		t.Fatal(err)
	}
}
