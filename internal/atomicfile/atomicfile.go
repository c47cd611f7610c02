// Package atomicfile writes files so that a reader, or the next run after a
// crash, sees either the old content or the new one, never a part of it.
//
// Data goes to a temporary file in the target's folder (so the rename stays
// on one file system), which is optionally synced to disk, then renamed over
// the target; with Sync the folder is synced too, so the rename itself
// survives a power loss. A write that fails leaves the target as it was and
// removes its temporary file.
package atomicfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// DefaultTempPattern names temporary files when Options.TempPattern is empty
// (os.CreateTemp's pattern: the last "*" becomes a random string).
const DefaultTempPattern = ".tmp-*"

// Options tune a write.
type Options struct {
	// Sync flushes the file and its folder to disk before returning. Without
	// it a crash of the machine (not of the process) may lose the write.
	Sync bool
	// Perm is the new file's permission bits; 0 keeps the permissions of the
	// file being replaced, or 0o644 for a new file.
	Perm fs.FileMode
	// TempPattern names the temporary file (DefaultTempPattern when empty), so
	// that a caller can find and remove the ones a killed process left.
	TempPattern string
	// MkdirAll creates the target's missing parent folders.
	MkdirAll bool
}

// Error reports a write that failed, with the target's path.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("cannot write %s: %v", e.Path, e.Err) }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Write writes data to path atomically.
func Write(path string, data []byte, opts Options) error {
	return WriteWith(path, func(w io.Writer) error {
		_, err := w.Write(data)
		if err != nil {
			return &Error{Path: path, Err: err}
		}
		return nil
	}, opts)
}

// WriteWith writes path atomically with what fill writes. When fill fails its
// error is returned unchanged and path keeps its old content, if any.
func WriteWith(path string, fill func(io.Writer) error, opts Options) error {
	dir := filepath.Dir(path)
	if opts.MkdirAll {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return &Error{Path: path, Err: err}
		}
	}
	pattern := opts.TempPattern
	if pattern == "" {
		pattern = DefaultTempPattern
	}
	tmp, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return &Error{Path: path, Err: err}
	}
	if err := fill(tmp); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := finish(tmp, path, opts); err != nil {
		os.Remove(tmp.Name())
		return &Error{Path: path, Err: err}
	}
	if opts.Sync {
		syncDir(dir)
	}
	return nil
}

// finish sets the temporary file's permissions, syncs and closes it, and
// renames it to path.
func finish(tmp *os.File, path string, opts Options) error {
	err := tmp.Chmod(permFor(path, opts.Perm))
	if err == nil && opts.Sync {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// permFor is perm, else the permissions of the file at path, else 0o644.
func permFor(path string, perm fs.FileMode) fs.FileMode {
	if perm != 0 {
		return perm
	}
	if info, err := os.Stat(path); err == nil {
		return info.Mode().Perm()
	}
	return 0o644
}

// syncDir flushes a folder's entries (the rename); platforms that cannot
// sync a folder are left as they are.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
