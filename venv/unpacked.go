package venv

import (
	"archive/zip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// member is one entry of a wheel: read from its zip archive, or from the
// tree UnpackWheel made of it.
type member struct {
	name string // path in the wheel, forward slashes; directories end in "/"
	mode os.FileMode
	zf   *zip.File // set when read from an archive
	src  string    // set when read from an unpacked tree: the file on disk
}

func (m member) open() (io.ReadCloser, error) {
	if m.zf != nil {
		return m.zf.Open()
	}
	return os.Open(m.src)
}

func (m member) read() ([]byte, error) {
	rc, err := m.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// fileMode is the mode an installed copy of m gets: executable when the
// wheel marks it so.
func (m member) fileMode() os.FileMode {
	if m.mode&0o111 != 0 {
		return 0o755
	}
	return 0o644
}

func zipMembers(zr *zip.Reader) []member {
	out := make([]member, 0, len(zr.File))
	for _, f := range zr.File {
		out = append(out, member{name: f.Name, mode: f.Mode(), zf: f})
	}
	return out
}

// treeMembers lists the files of an unpacked wheel; symlinks and special
// files are listed too, so that validation refuses them.
func treeMembers(dir string) ([]member, error) {
	var out []member
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, member{name: filepath.ToSlash(rel), mode: info.Mode(), src: p})
		return nil
	})
	return out, err
}

// UnpackWheel validates the wheel file at path, whose file name is filename
// (the tags and name are read from it), as InstallWheel does before
// installing (paths, the .dist-info directory, WHEEL, RECORD hashes and
// sizes), and unpacks it into the directory dst, which must not exist yet.
// It unpacks into a temporary directory beside dst and renames it into
// place, so dst, once it exists, is complete. When another process renamed
// a tree into dst first, that tree is kept and UnpackWheel succeeds.
func UnpackWheel(path, filename, dst string) error {
	zr, err := openWheel(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	label := filepath.Join(filepath.Dir(path), filename)
	a, err := validate(label, zipMembers(&zr.Reader), true)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return &WheelError{Wheel: label, Reason: "cannot unpack", Err: err}
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-")
	if err != nil {
		return &WheelError{Wheel: label, Reason: "cannot unpack", Err: err}
	}
	if err := writeTree(tmp, a.members); err != nil {
		os.RemoveAll(tmp)
		return &WheelError{Wheel: label, Reason: "cannot unpack", Err: err}
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(dst, a.distInfo, "RECORD")); serr == nil {
			return nil
		}
		return &WheelError{Wheel: label, Reason: "cannot unpack", Err: err}
	}
	return nil
}

// writeTree writes every member below dir.
func writeTree(dir string, members []member) error {
	for _, m := range members {
		rc, err := m.open()
		if err != nil {
			return err
		}
		err = writeFrom(filepath.Join(dir, filepath.FromSlash(m.name)), rc, m.fileMode())
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// InstallUnpacked installs the wheel that UnpackWheel unpacked into dir,
// whose file name is filename, replacing an installed distribution of the
// same name. The tree's files were checked against RECORD when it was
// unpacked; the paths, the .dist-info directory, WHEEL, the tags and the
// entry points are checked again, as InstallWheel checks them. Files are
// hard-linked from the tree (see WithLinkMode), except those the installer
// writes itself: scripts whose shebang it rewrites, entry-point launchers,
// RECORD, INSTALLER, REQUESTED and direct_url.json.
func (e *Env) InstallUnpacked(dir, filename string, opts ...InstallOption) error {
	label := filepath.Join(dir, filename)
	members, err := treeMembers(dir)
	if err != nil {
		return &WheelError{Wheel: label, Reason: "unreadable unpacked wheel", Err: err}
	}
	if len(members) == 0 {
		return &WheelError{Wheel: label, Reason: "unreadable unpacked wheel", Err: errors.New("empty directory")}
	}
	a, err := validate(label, members, false)
	if err != nil {
		return err
	}
	return e.install(a, opts)
}
