package venv

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tarEntry is one member of a test sdist.
type tarEntry struct {
	name, body string
	typ        byte
}

func writeTarGz(t testing.TB, path string, entries []tarEntry) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: e.typ, Linkname: "/etc/passwd"}
		if e.typ == tar.TypeDir || e.typ == tar.TypeSymlink {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestUnpackSdist(t *testing.T) {
	tests := []struct {
		name    string
		entries []tarEntry
		bad     string // the member refused, "" when it unpacks
	}{
		{"plain", []tarEntry{{"demo-1.0/", "", tar.TypeDir}, {"demo-1.0/pyproject.toml", "x", tar.TypeReg}}, ""},
		{"dot prefix", []tarEntry{{"./demo-1.0/setup.py", "x", tar.TypeReg}}, ""},
		{"parent", []tarEntry{{"demo-1.0/../../evil", "x", tar.TypeReg}}, "demo-1.0/../../evil"},
		{"absolute", []tarEntry{{"/tmp/evil", "x", tar.TypeReg}}, "/tmp/evil"},
		{"symlink", []tarEntry{{"demo-1.0/link", "", tar.TypeSymlink}}, "demo-1.0/link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			archive := filepath.Join(dir, "demo-1.0.tar.gz")
			writeTarGz(t, archive, tt.entries)
			src, err := UnpackSdist(archive, filepath.Join(dir, "out"))
			var se *SdistError
			switch {
			case tt.bad == "" && err != nil:
				t.Fatalf("UnpackSdist: %v", err)
			case tt.bad == "":
				if want := filepath.Join(dir, "out", "demo-1.0"); src != want {
					t.Errorf("tree = %s, want %s", src, want)
				}
			case !errors.As(err, &se) || se.Member != tt.bad:
				t.Errorf("err = %v, want a *SdistError for %q", err, tt.bad)
			}
		})
	}
}

// inTreeBackend is a PEP 517 backend that writes a minimal wheel.
const inTreeBackend = `import os, zipfile
def get_requires_for_build_wheel(config_settings=None):
    return ["extra-dep>=1"] if os.path.exists("NEEDS_EXTRA") else []
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    print("noise on stdout")
    name = "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        z.writestr("demo.py", "X = 1\n")
    return name
def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    name = "demo-1.0-0editable-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        z.writestr("demo.pth", os.getcwd() + "\n")
    return name
`

func TestBuildWheel(t *testing.T) {
	env := newEnv(t)
	src := t.TempDir()
	if err := os.MkdirAll(filepath.Join(src, "_backend"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "_backend", "demo_backend.py"), []byte(inTreeBackend), 0o644); err != nil {
		t.Fatal(err)
	}
	bs := BuildSystem{Backend: "demo_backend", BackendPath: []string{"_backend"}}
	ctx := context.Background()
	req, err := env.BuildRequires(ctx, src, bs, false)
	if err != nil || len(req) != 0 {
		t.Fatalf("BuildRequires = %v, %v; want none", req, err)
	}
	if err := os.WriteFile(filepath.Join(src, "NEEDS_EXTRA"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if req, err = env.BuildRequires(ctx, src, bs, false); err != nil || strings.Join(req, ",") != "extra-dep>=1" {
		t.Errorf("BuildRequires = %v, %v; want [extra-dep>=1]", req, err)
	}
	out := t.TempDir()
	path, err := env.BuildWheel(ctx, src, out, bs)
	if err != nil || path != filepath.Join(out, "demo-1.0-py3-none-any.whl") {
		t.Fatalf("BuildWheel = %s, %v", path, err)
	}
	if path, err := env.BuildEditable(ctx, src, out, bs); err != nil || filepath.Base(path) != "demo-1.0-0editable-py3-none-any.whl" {
		t.Errorf("BuildEditable = %s, %v", path, err)
	}
	if req, err = env.BuildRequires(ctx, src, bs, true); err != nil || len(req) != 0 {
		t.Errorf("BuildRequires(editable) = %v, %v; want none", req, err)
	}
	var be *BuildError
	if _, err := env.BuildEditable(ctx, src, out, BuildSystem{Backend: "zipfile"}); !errors.As(err, &be) || !strings.Contains(err.Error(), "has no build_editable hook") {
		t.Errorf("BuildEditable without the hook: err = %v", err)
	}
	bad := []BuildSystem{
		{Backend: "demo_backend", BackendPath: []string{"../elsewhere"}},
		{Backend: "demo_backend", BackendPath: []string{"/abs"}},
		{Backend: "no_such_backend"},
		{},
	}
	for _, b := range bad {
		var be *BuildError
		if _, err := env.BuildWheel(ctx, src, out, b); !errors.As(err, &be) {
			t.Errorf("BuildWheel(%+v): err = %v, want a *BuildError", b, err)
		}
	}
}

// FuzzUnpackSdist checks that no archive writes outside its folder.
func FuzzUnpackSdist(f *testing.F) {
	seeds := [][]tarEntry{
		{{"demo-1.0/pyproject.toml", "x", tar.TypeReg}},
		{{"demo-1.0/../../evil", "x", tar.TypeReg}},
		{{"/abs", "x", tar.TypeReg}},
	}
	for _, entries := range seeds {
		path := filepath.Join(f.TempDir(), "s.tar.gz")
		writeTarGz(f, path, entries)
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root := t.TempDir()
		archive := filepath.Join(root, "s.tar.gz")
		if err := os.WriteFile(archive, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _ = UnpackSdist(archive, filepath.Join(root, "out"))
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != "s.tar.gz" && e.Name() != "out" {
				t.Fatalf("unpacking wrote %s outside its folder", e.Name())
			}
		}
	})
}
