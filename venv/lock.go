package venv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pylock/pylock/internal/atomicfile"
)

// LockFile is the file, inside a virtualenv, that installs lock with flock(2).
const LockFile = ".pylock.lock"

// JournalFile is the file, inside a virtualenv, that marks a sync in progress.
// It holds the time the sync began (Unix nanoseconds). A sync that is killed
// leaves it behind, and the next sync repairs the environment before acting.
const JournalFile = ".pylock-installing"

// DefaultLockTimeout is how long BeginSync waits for another install into the
// same environment to finish.
const DefaultLockTimeout = 5 * time.Minute

// lockPoll is how often a held lock is tried again.
const lockPoll = 20 * time.Millisecond

// LockedError reports a directory whose lock another process holds for longer
// than the timeout.
type LockedError struct {
	Dir    string
	Waited time.Duration
}

// Error implements error.
func (e *LockedError) Error() string {
	return fmt.Sprintf("venv: another pylock is installing into %s (waited %s)", e.Dir, e.Waited)
}

// LockError reports a lock file that cannot be opened or locked.
type LockError struct {
	Path string
	Err  error
}

// Error implements error.
func (e *LockError) Error() string {
	return fmt.Sprintf("venv: cannot lock %s: %v", e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *LockError) Unwrap() error { return e.Err }

// errBusy is what tryLock returns while another process holds the lock.
var errBusy = errors.New("lock is held")

// LockDir takes an exclusive lock on dir/.pylock.lock (flock(2) on Unix, an
// unshared open on Windows), waiting until the lock is free, ctx is done, or
// timeout has passed (a *LockedError). The lock is released by unlock, or by
// the operating system when the process dies.
func LockDir(ctx context.Context, dir string, timeout time.Duration) (unlock func() error, err error) {
	path := filepath.Join(dir, LockFile)
	start := time.Now()
	deadline := start.Add(timeout)
	for {
		unlock, err := tryLock(path)
		if err == nil {
			return unlock, nil
		}
		if !errors.Is(err, errBusy) {
			return nil, &LockError{Path: path, Err: err}
		}
		if !time.Now().Before(deadline) {
			return nil, &LockedError{Dir: dir, Waited: time.Since(start).Round(time.Millisecond)}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// BeginSync prepares the environment for a sync: it locks it (waiting up to
// DefaultLockTimeout for another install), repairs what an interrupted sync
// left behind when the journal says there was one, and writes a new journal.
// end removes the journal and releases the lock; call it when the sync is over.
func (e *Env) BeginSync(ctx context.Context) (end func() error, err error) {
	unlock, err := LockDir(ctx, e.Dir, DefaultLockTimeout)
	if err != nil {
		return nil, err
	}
	if err := e.beginJournal(); err != nil {
		unlock()
		return nil, err
	}
	journal := filepath.Join(e.Dir, JournalFile)
	return func() error {
		rerr := os.Remove(journal)
		uerr := unlock()
		return errors.Join(rerr, uerr)
	}, nil
}

// beginJournal repairs after an interrupted sync, if any, and records the
// start of this one.
func (e *Env) beginJournal() error {
	journal := filepath.Join(e.Dir, JournalFile)
	info, err := os.Stat(journal)
	switch {
	case err == nil:
		if err := e.Repair(journalTime(journal, info)); err != nil {
			return err
		}
	case !os.IsNotExist(err):
		return &EnvError{Dir: e.Dir, Reason: "cannot read " + JournalFile, Err: err}
	}
	return writeJournal(journal, []byte(strconv.FormatInt(time.Now().UnixNano(), 10)+"\n"))
}

// journalTime is when the interrupted sync began: the earlier of the time
// its journal records and the journal file's own change time, which the file
// system's clock set, as it sets those of the files the sync wrote. An
// unreadable journal gives the file's change time alone.
func journalTime(path string, info os.FileInfo) time.Time {
	fs := changedAt(info)
	data, err := os.ReadFile(path)
	if err != nil {
		return fs
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil || fs.Before(time.Unix(0, ns)) {
		return fs
	}
	return time.Unix(0, ns)
}

// journalTemp is the pattern of the journal's temporary files.
const journalTemp = JournalFile + ".tmp*"

// writeJournal writes the journal at path atomically and synced, first
// removing the temporary files of journal writes that were killed (the
// caller holds the environment's lock, so none is being written).
func writeJournal(path string, data []byte) error {
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), journalTemp))
	for _, l := range leftovers {
		os.Remove(l)
	}
	err := atomicfile.Write(path, data, atomicfile.Options{Sync: true, Perm: 0o644, TempPattern: journalTemp})
	if err != nil {
		return &EnvError{Dir: filepath.Dir(path), Reason: "cannot write " + filepath.Base(path), Err: err}
	}
	return nil
}
