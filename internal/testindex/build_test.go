package testindex

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/pylock/pylock/internal/dist"
)

// readZip returns the members of a zip archive in archive order.
func readZip(t *testing.T, data []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
		files[f.Name] = b
	}
	return names, files
}

func TestWheels(t *testing.T) {
	ix := loadDemo(t)
	wheels := 0
	for _, p := range ix.Projects {
		for _, r := range p.Releases {
			for _, f := range r.Files {
				if f.Packagetype == "bdist_wheel" {
					checkWheel(t, f)
					wheels++
				}
			}
		}
	}
	if wheels < 20 {
		t.Errorf("only %d wheels", wheels)
	}
}

// checkWheel checks a built wheel's name, members, RECORD and metadata.
func checkWheel(t *testing.T, f *File) {
	t.Helper()
	wn, err := dist.ParseWheelName(f.Filename)
	if err != nil {
		t.Fatalf("%s: %v", f.Filename, err)
	}
	if wn.NormalizedName() != f.Project.NormalizedName || !wn.Version.Equal(f.Release.Version) {
		t.Errorf("%s: name %q version %s", f.Filename, wn.Name, wn.Version)
	}
	names, files := readZip(t, f.Data)
	if !slices.IsSorted(names) {
		t.Errorf("%s: members not sorted: %v", f.Filename, names)
	}
	info := fmt.Sprintf("%s-%s.dist-info/", wn.Name, wn.Version)
	checkRecord(t, f.Filename, files, info+"RECORD")
	if !bytes.Equal(files[info+"METADATA"], f.Metadata) {
		t.Errorf("%s: METADATA differs from the served .metadata", f.Filename)
	}
	md, err := dist.ParseMetadata(f.Metadata)
	if err != nil || md.Name != f.Project.Name || md.Version != f.Release.Version.String() || md.RequiresPython != f.Release.RequiresPython {
		t.Errorf("%s: metadata %+v, %v", f.Filename, md, err)
	}
	if len(md.RequiresDist) != len(f.Release.RequiresDist) || !slices.Equal(md.ProvidesExtra, f.Release.ProvidesExtra) {
		t.Errorf("%s: metadata requirements %v extras %v", f.Filename, md.RequiresDist, md.ProvidesExtra)
	}
	init := string(files[f.Release.Module+"/__init__.py"])
	if !strings.Contains(init, fmt.Sprintf("__version__ = %q", wn.Version.String())) || !strings.Contains(init, "def main():") {
		t.Errorf("%s: __init__.py is\n%s", f.Filename, init)
	}
	wheel := string(files[info+"WHEEL"])
	for _, tag := range wn.Tags {
		if !strings.Contains(wheel, "Tag: "+tag.String()+"\n") {
			t.Errorf("%s: WHEEL lacks tag %s:\n%s", f.Filename, tag, wheel)
		}
	}
	if pure := wn.Tags[0].Platform == "any"; !strings.Contains(wheel, fmt.Sprintf("Root-Is-Purelib: %t\n", pure)) {
		t.Errorf("%s: WHEEL purelib wrong:\n%s", f.Filename, wheel)
	}
	if ep := files[info+"entry_points.txt"]; (ep != nil) != (len(f.Release.EntryPoints) > 0) {
		t.Errorf("%s: entry_points.txt %q for entry points %v", f.Filename, ep, f.Release.EntryPoints)
	}
}

// checkRecord checks that RECORD lists every member with its sha256 and size.
func checkRecord(t *testing.T, filename string, files map[string][]byte, record string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(files[record]), "\n"), "\n")
	if len(lines) != len(files) {
		t.Errorf("%s: RECORD has %d lines for %d members", filename, len(lines), len(files))
	}
	for _, line := range lines {
		parts := strings.Split(line, ",")
		if len(parts) != 3 {
			t.Errorf("%s: RECORD line %q", filename, line)
			continue
		}
		data, ok := files[parts[0]]
		if parts[0] == record {
			if parts[1] != "" || parts[2] != "" {
				t.Errorf("%s: RECORD's own line %q", filename, line)
			}
			continue
		}
		sum := sha256.Sum256(data)
		want := fmt.Sprintf("%s,sha256=%s,%d", parts[0], base64.RawURLEncoding.EncodeToString(sum[:]), len(data))
		if !ok || line != want {
			t.Errorf("%s: RECORD line %q, want %q", filename, line, want)
		}
	}
}

func TestSdists(t *testing.T) {
	ix := loadDemo(t)
	f := ix.File("click-8.1.6.tar.gz")
	if f == nil || f.Packagetype != "sdist" || f.Metadata != nil {
		t.Fatalf("click sdist: %+v", f)
	}
	sn, err := dist.ParseSdistName(f.Filename)
	if err != nil || sn.Name != "click" || sn.Version.String() != "8.1.6" {
		t.Errorf("ParseSdistName(%s) = %+v, %v", f.Filename, sn, err)
	}
	gz, err := gzip.NewReader(bytes.NewReader(f.Data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	members := map[string]string{}
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if !h.ModTime.Equal(fileTime) || h.Uid != 0 || h.Mode != 0o644 {
			t.Errorf("%s: header %+v", h.Name, h)
		}
		names = append(names, h.Name)
		members[h.Name] = string(b)
	}
	want := []string{"click-8.1.6/PKG-INFO", "click-8.1.6/_backend/testindex_backend.py", "click-8.1.6/click/__init__.py", "click-8.1.6/pyproject.toml"}
	if !slices.Equal(names, want) {
		t.Errorf("members %v, want %v", names, want)
	}
	md, err := dist.ParseMetadata([]byte(members["click-8.1.6/PKG-INFO"]))
	if err != nil || md.MetadataVersion != "2.2" || md.Name != "click" || len(md.RequiresDist) != 1 || len(md.Dynamic) != 0 {
		t.Errorf("PKG-INFO: %+v, %v", md, err)
	}
	py := members["click-8.1.6/pyproject.toml"]
	for _, s := range []string{`build-backend = "testindex_backend"`, `backend-path = ["_backend"]`, `name = "click"`, `version = "8.1.6"`, `requires-python = ">=3.7"`, `dependencies = ["colorama`} {
		if !strings.Contains(py, s) {
			t.Errorf("pyproject.toml lacks %q:\n%s", s, py)
		}
	}
}
