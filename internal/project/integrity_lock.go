package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pylock/pylock/venv"
)

// projectLocksBucket is the cache folder holding one lock file per project
// folder, named by the sha256 of the folder's absolute path, so that
// workflows that write one project's pylock.toml run one at a time without
// leaving a file in the project.
const projectLocksBucket = "projects-v1"

// projectLockTimeout is how long a workflow waits for another one writing
// the same project's lock.
const projectLockTimeout = venv.DefaultLockTimeout

// ProjectBusyError reports a project whose lock another pylock process kept
// writing for longer than the wait allows.
type ProjectBusyError struct {
	Dir    string // the project folder
	Waited time.Duration
}

func (e *ProjectBusyError) Error() string {
	return fmt.Sprintf("another pylock is writing the lock of %s (waited %s)", e.Dir, e.Waited)
}

// lockProject takes the project's file lock (flock(2), released by the
// operating system if the process dies), waiting for another pylock that
// holds it, then removes what a killed writer of the lock file left behind.
// Call unlock when the lock file is written. A workflow that runs inside
// another that holds the lock (Lock inside Add) reuses it.
func (p *Project) lockProject(ctx context.Context) (unlock func() error, err error) {
	if p.projectLocked {
		return func() error { return nil }, nil
	}
	root, err := p.cacheRoot()
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(p.dir))
	dir := filepath.Join(root, projectLocksBucket, hex.EncodeToString(sum[:16]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot lock project %s: %w", p.dir, err)
	}
	unlock, err = venv.LockDir(ctx, dir, 0)
	var busy *venv.LockedError
	if errors.As(err, &busy) {
		p.log(0, "Waiting for another pylock to finish writing the lock of %s", p.dir)
		unlock, err = venv.LockDir(ctx, dir, projectLockTimeout)
	}
	if errors.As(err, &busy) {
		return nil, &ProjectBusyError{Dir: p.dir, Waited: busy.Waited}
	}
	if err != nil {
		return nil, err
	}
	removeEditTemps(p.dir)
	p.projectLocked = true
	release := unlock
	return func() error {
		p.projectLocked = false
		return release()
	}, nil
}
