package testindex

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pylock/pylock/internal/dist"
)

// fileTime is the modification time of every archive member, so that equal
// descriptions give byte-identical files.
var fileTime = time.Date(2020, 2, 2, 0, 0, 0, 0, time.UTC)

// member is one file inside a built archive.
type member struct {
	name string
	data []byte
}

// build creates the release's files.
func (r *Release) build(p *Project) error {
	for _, kind := range r.fileKinds {
		var f *File
		var err error
		if kind == "sdist" {
			f, err = r.buildSdist(p)
		} else {
			f, err = r.buildWheel(p, kind)
		}
		if err != nil {
			return &DescriptionError{File: p.Source, Reason: fmt.Sprintf("cannot build %s %s", p.Name, kind), Err: err}
		}
		f.Release, f.Project = r, p
		sum := sha256.Sum256(f.Data)
		f.SHA256 = hex.EncodeToString(sum[:])
		m := md5.Sum(f.Data)
		f.MD5 = hex.EncodeToString(m[:])
		r.Files = append(r.Files, f)
	}
	return nil
}

// distName is the project name as it appears in file names (PEP 427 escaping).
func distName(p *Project) string {
	return strings.ReplaceAll(p.NormalizedName, "-", "_")
}

// fileName is the name of the file of the given kind ("sdist" or a wheel
// tag triple) that build makes.
func (r *Release) fileName(p *Project, kind string) string {
	stem := distName(p) + "-" + r.Version.String()
	if kind == "sdist" {
		return stem + ".tar.gz"
	}
	return stem + "-" + kind + ".whl"
}

// buildWheel builds the wheel with the given tag triple (possibly compressed).
func (r *Release) buildWheel(p *Project, tag string) (*File, error) {
	tags, err := dist.ParseTag(tag)
	if err != nil {
		return nil, err
	}
	stem := distName(p) + "-" + r.Version.String()
	info := stem + ".dist-info/"
	metadata := r.metadata(p, "2.1")
	members := []member{
		{r.Module + "/__init__.py", r.initPy(p, tag)},
		{info + "METADATA", metadata},
		{info + "WHEEL", wheelFile(tags)},
	}
	if ep := r.entryPointsTxt(); ep != nil {
		members = append(members, member{info + "entry_points.txt", ep})
	}
	members = append(members, member{info + "RECORD", record(members, info+"RECORD")})
	data, err := zipMembers(members)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(metadata)
	return &File{
		Filename:       stem + "-" + tag + ".whl",
		Packagetype:    "bdist_wheel",
		PythonVersion:  strings.Split(tag, "-")[0],
		Data:           data,
		Metadata:       metadata,
		MetadataSHA256: hex.EncodeToString(sum[:]),
	}, nil
}

// metadata renders the core metadata file (METADATA or PKG-INFO).
func (r *Release) metadata(p *Project, version string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Metadata-Version: %s\nName: %s\nVersion: %s\n", version, p.Name, r.Version)
	if p.Summary != "" {
		fmt.Fprintf(&b, "Summary: %s\n", p.Summary)
	}
	if r.RequiresPython != "" {
		fmt.Fprintf(&b, "Requires-Python: %s\n", r.RequiresPython)
	}
	for _, e := range r.ProvidesExtra {
		fmt.Fprintf(&b, "Provides-Extra: %s\n", e)
	}
	for _, d := range r.RequiresDist {
		fmt.Fprintf(&b, "Requires-Dist: %s\n", d)
	}
	fmt.Fprintf(&b, "\n%s %s, served by pylock's test index.\n", p.Name, r.Version)
	return b.Bytes()
}

// initPy renders the package's __init__.py.
func (r *Release) initPy(p *Project, tag string) []byte {
	return fmt.Appendf(nil, `"""%[1]s %[2]s, built by pylock's test index."""

__version__ = %[3]q
BUILD_TAG = %[4]q


def main():
    print(%[5]q)
`, p.Name, r.Version, r.Version.String(), tag, p.Name+" "+r.Version.String())
}

func wheelFile(tags []dist.Tag) []byte {
	pure := true
	for _, t := range tags {
		pure = pure && t.Platform == "any"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "Wheel-Version: 1.0\nGenerator: pylock-testindex\nRoot-Is-Purelib: %t\n", pure)
	for _, t := range tags {
		fmt.Fprintf(&b, "Tag: %s\n", t)
	}
	return b.Bytes()
}

func (r *Release) entryPointsTxt() []byte {
	if len(r.EntryPoints) == 0 {
		return nil
	}
	var b bytes.Buffer
	b.WriteString("[console_scripts]\n")
	for _, ep := range r.EntryPoints {
		fmt.Fprintf(&b, "%s = %s\n", ep.Script, ep.Target)
	}
	return b.Bytes()
}

// record renders a wheel's RECORD for members, plus its own unhashed line.
func record(members []member, self string) []byte {
	var lines []string
	for _, m := range members {
		sum := sha256.Sum256(m.data)
		lines = append(lines, fmt.Sprintf("%s,sha256=%s,%d", m.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(m.data)))
	}
	lines = append(lines, self+",,")
	sort.Strings(lines)
	return []byte(strings.Join(lines, "\n") + "\n")
}

// zipMembers writes a zip archive of members sorted by name, stored
// uncompressed with fixed times and modes.
func zipMembers(members []member) ([]byte, error) {
	sort.Slice(members, func(i, j int) bool { return members[i].name < members[j].name })
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		h := &zip.FileHeader{Name: m.name, Method: zip.Store, Modified: fileTime}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(m.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// buildSdist builds the release's .tar.gz source distribution.
func (r *Release) buildSdist(p *Project) (*File, error) {
	stem := distName(p) + "-" + r.Version.String()
	members := []member{
		{stem + "/PKG-INFO", r.metadata(p, "2.2")},
		{stem + "/pyproject.toml", r.pyprojectToml(p)},
		{stem + "/" + r.Module + "/__init__.py", r.initPy(p, "sdist")},
		{stem + "/_backend/testindex_backend.py", r.backendPy(p)},
	}
	data, err := tarGzMembers(members)
	if err != nil {
		return nil, err
	}
	return &File{Filename: stem + ".tar.gz", Packagetype: "sdist", PythonVersion: "source", Data: data}, nil
}

// tarGzMembers writes a gzip-compressed tar archive of members sorted by
// name, with fixed times, owners and modes.
func tarGzMembers(members []member) ([]byte, error) {
	sort.Slice(members, func(i, j int) bool { return members[i].name < members[j].name })
	var buf bytes.Buffer
	gz, err := gzip.NewWriterLevel(&buf, gzip.NoCompression)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(gz)
	for _, m := range members {
		h := &tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)), ModTime: fileTime, Typeflag: tar.TypeReg, Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(m.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
