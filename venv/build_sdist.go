package venv

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// SdistError reports a source distribution that cannot be unpacked safely.
type SdistError struct {
	Path   string // the archive
	Member string // the offending member, "" for the whole archive
	Reason string
}

// Error implements error.
func (e *SdistError) Error() string {
	if e.Member == "" {
		return fmt.Sprintf("venv: sdist %s: %s", e.Path, e.Reason)
	}
	return fmt.Sprintf("venv: sdist %s: member %q: %s", e.Path, e.Member, e.Reason)
}

// UnpackSdist extracts the source distribution at archive (.tar.gz or .zip)
// into dst, which must not exist, and returns its source tree: the single
// top-level folder sdists have, or dst itself. Only regular files and folders
// are written; a member whose path is absolute or leaves dst, that is a
// link, a device or a duplicate, or an archive that unpacks to more than
// 4 GiB or more than 200 times its size past 1 MiB (a decompression bomb),
// is a *SdistError, and dst is removed.
func UnpackSdist(archive, dst string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	if err := os.Mkdir(dst, 0o755); err != nil {
		return "", err
	}
	var err error
	switch {
	case strings.HasSuffix(archive, ".zip"):
		err = unpackZip(archive, dst)
	case strings.HasSuffix(archive, ".tar.gz"):
		err = unpackTarGz(archive, dst)
	default:
		err = &SdistError{Path: archive, Reason: "not a .tar.gz or .zip"}
	}
	if err != nil {
		os.RemoveAll(dst)
		return "", err
	}
	entries, err := os.ReadDir(dst)
	if err != nil {
		return "", err
	}
	if len(entries) == 1 && entries[0].IsDir() {
		return filepath.Join(dst, entries[0].Name()), nil
	}
	return dst, nil
}

// memberPath checks one member's name and returns where it goes under dst.
func memberPath(archive, dst, name string) (string, error) {
	clean := path.Clean(strings.TrimPrefix(name, "./"))
	if strings.Contains(name, "\\") || path.IsAbs(name) || !filepath.IsLocal(filepath.FromSlash(clean)) {
		return "", &SdistError{Path: archive, Member: name, Reason: "path leaves the archive's folder"}
	}
	return filepath.Join(dst, filepath.FromSlash(clean)), nil
}

func unpackTarGz(archive, dst string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return &SdistError{Path: archive, Reason: err.Error()}
	}
	b, err := newBudget(archive)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &SdistError{Path: archive, Reason: err.Error()}
		}
		if h.Typeflag == tar.TypeXGlobalHeader || h.Typeflag == tar.TypeXHeader {
			continue
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeDir {
			return &SdistError{Path: archive, Member: h.Name, Reason: memberKind(h.Typeflag) + ": only regular files and folders are unpacked"}
		}
		if err := writeMember(archive, dst, h.Name, h.FileInfo().Mode(), b.reader(archive, h.Name, h.Size, tr)); err != nil {
			return err
		}
	}
}

func unpackZip(archive, dst string) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return &SdistError{Path: archive, Reason: err.Error()}
	}
	defer zr.Close()
	b, err := newBudget(archive)
	if err != nil {
		return err
	}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return &SdistError{Path: archive, Member: zf.Name, Reason: err.Error()}
		}
		err = writeMember(archive, dst, zf.Name, zf.Mode(), b.reader(archive, zf.Name, int64(zf.UncompressedSize64), rc))
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// writeMember writes one folder or regular file; anything else is refused.
func writeMember(archive, dst, name string, mode os.FileMode, r io.Reader) error {
	target, err := memberPath(archive, dst, name)
	if err != nil {
		return err
	}
	switch {
	case mode.IsDir():
		return os.MkdirAll(target, 0o755)
	case !mode.IsRegular():
		return &SdistError{Path: archive, Member: name, Reason: "not a regular file or folder"}
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644|mode.Perm()&0o111)
	if errors.Is(err, fs.ErrExist) {
		return &SdistError{Path: archive, Member: name, Reason: "duplicate member"}
	}
	if err != nil {
		return &SdistError{Path: archive, Member: name, Reason: err.Error()}
	}
	_, err = io.Copy(out, r)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
