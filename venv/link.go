package venv

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// LinkMode says how InstallUnpacked puts a file of an unpacked wheel into an
// environment.
type LinkMode int

const (
	// LinkHardlink hard-links each file, and copies it where linking fails
	// (another device, a file system without links). The default.
	LinkHardlink LinkMode = iota
	// LinkCopy copies each file.
	LinkCopy
)

// String returns "hardlink" or "copy".
func (m LinkMode) String() string {
	if m == LinkCopy {
		return "copy"
	}
	return "hardlink"
}

// LinkModeError reports an unknown link mode name.
type LinkModeError struct {
	Name string
}

// Error implements error.
func (e *LinkModeError) Error() string {
	return fmt.Sprintf("venv: unknown link mode %q (want hardlink or copy)", e.Name)
}

// ParseLinkMode reads "hardlink" or "copy".
func ParseLinkMode(s string) (LinkMode, error) {
	switch s {
	case "hardlink":
		return LinkHardlink, nil
	case "copy":
		return LinkCopy, nil
	}
	return 0, &LinkModeError{Name: s}
}

// WithLinkMode sets how InstallUnpacked places files; InstallWheel, which
// reads an archive, always writes them.
func WithLinkMode(m LinkMode) InstallOption {
	return func(c *installConfig) { c.link = m }
}

// place puts one planned file at its destination: a script is read and
// rewritten, a file of an unpacked tree is linked or copied, an archive
// member is written.
func (r *recorder) place(f planned, python string, record map[string]RecordEntry, mode LinkMode) error {
	if f.script || f.file.src == "" {
		data, err := f.file.read()
		if err != nil {
			return err
		}
		perm := f.file.fileMode()
		if f.script {
			data, _ = rewriteShebang(data, python)
			perm = 0o755
		}
		return r.add(f.dest, data, perm)
	}
	entry, ok := record[f.file.name]
	if !ok || entry.Hash == "" {
		data, err := f.file.read()
		if err != nil {
			return err
		}
		return r.add(f.dest, data, f.file.fileMode())
	}
	if err := linkOrCopy(f.file.src, f.dest, f.file.fileMode(), mode); err != nil {
		return err
	}
	return r.added(f.dest, entry.Hash, entry.Size)
}

// linkOrCopy replaces dest with src: a hard link in LinkHardlink mode when
// the file system allows it, else a copy.
func linkOrCopy(src, dest string, perm os.FileMode, mode LinkMode) error {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	if err := os.Remove(dest); err != nil && !os.IsNotExist(err) {
		return err
	}
	if mode == LinkHardlink && os.Link(src, dest) == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeFrom(dest, in, perm)
}

// writeFrom creates dest (which must not exist, so the write never follows a
// link) with the content of r and mode perm.
func writeFrom(dest string, r io.Reader, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Chmod(dest, perm)
}

// writeFile replaces dest with data; an existing file or symlink is removed
// first, so the write never follows a link.
func writeFile(dest string, data []byte, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	if err := os.Remove(dest); err != nil && !os.IsNotExist(err) {
		return err
	}
	return writeFrom(dest, bytes.NewReader(data), mode)
}
