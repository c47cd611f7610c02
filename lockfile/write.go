package lockfile

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/pylock/pylock/internal/atomicfile"
)

// WriteFile writes f.Format() to path atomically: to a temporary file in the
// same directory, synced, then renamed over path, so a crash leaves either
// the old lock file or the new one, never part of one. The base name of path
// must be a valid lock file name (ValidFileName).
func WriteFile(path string, f *File) error {
	if !ValidFileName(filepath.Base(path)) {
		return &Error{File: path, Msg: "invalid lock file name: want pylock.toml or pylock.<name>.toml"}
	}
	err := atomicfile.Write(path, f.Format(), atomicfile.Options{Sync: true, Perm: 0o644, TempPattern: tempPattern})
	var ae *atomicfile.Error
	if errors.As(err, &ae) {
		return &Error{File: path, Msg: "cannot write lock file", Err: ae.Err}
	}
	return err
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
