package lockfile

import (
	"os"
	"path/filepath"
)

// WriteFile writes f.Format() to path atomically: to a temporary file in the
// same directory, synced, then renamed over path, so a crash leaves either
// the old lock file or the new one, never part of one. The base name of path
// must be a valid lock file name (ValidFileName).
func WriteFile(path string, f *File) error {
	if !ValidFileName(filepath.Base(path)) {
		return &Error{File: path, Msg: "invalid lock file name: want pylock.toml or pylock.<name>.toml"}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".pylock-*.tmp")
	if err != nil {
		return &Error{File: path, Msg: "cannot create temporary file", Err: err}
	}
	if err := writeSync(tmp, f.Format()); err != nil {
		os.Remove(tmp.Name())
		return &Error{File: path, Msg: "cannot write lock file", Err: err}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return &Error{File: path, Msg: "cannot replace lock file", Err: err}
	}
	syncDir(dir)
	return nil
}

// writeSync writes data to t, makes it world-readable, syncs and closes it.
func writeSync(t *os.File, data []byte) error {
	_, err := t.Write(data)
	if err == nil {
		err = t.Chmod(0o644)
	}
	if err == nil {
		err = t.Sync()
	}
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir flushes the directory entry of a rename; platforms that cannot
// sync a directory are left as they are.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
