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
	tmp, err := os.CreateTemp(dir, tempPattern)
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

// tempPattern names the temporary files WriteFile writes beside the lock.
const tempPattern = ".pylock-*.tmp"

// RemoveTemps removes from dir the temporary files of WriteFile calls that
// were killed before their rename. Call it only while no WriteFile into dir
// can be running (pylock holds the project's file lock).
func RemoveTemps(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, tempPattern))
	for _, m := range matches {
		os.Remove(m)
	}
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
