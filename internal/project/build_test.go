package project

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/venv"
)

func TestReadBuildSystem(t *testing.T) {
	legacy := venv.LegacyBuildSystem()
	tests := []struct {
		name      string
		pyproject string // "" for no file
		want      venv.BuildSystem
		wantErr   bool
	}{
		{name: "no pyproject.toml", want: legacy},
		{name: "no build-system", pyproject: "[project]\nname = \"x\"\n", want: legacy},
		{name: "in-tree backend", pyproject: "[build-system]\nrequires = []\nbuild-backend = \"b\"\nbackend-path = [\"_b\"]\n",
			want: venv.BuildSystem{Requires: []string{}, Backend: "b", BackendPath: []string{"_b"}}},
		{name: "requires without backend", pyproject: "[build-system]\nrequires = [\"setuptools\", \"wheel\"]\n",
			want: venv.BuildSystem{Requires: []string{"setuptools", "wheel"}, Backend: legacy.Backend}},
		{name: "malformed", pyproject: "[build-system\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.pyproject != "" {
				if err := os.WriteFile(filepath.Join(dir, PyprojectName), []byte(tt.pyproject), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := readBuildSystem(dir)
			if (err != nil) != tt.wantErr {
				t.Fatalf("readBuildSystem: err = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("readBuildSystem = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestInstallBuildRequires resolves build requirements against the test
// index and installs them into a build environment; a requirement the index
// does not have (setuptools, for the legacy backend) is a clear error.
func TestInstallBuildRequires(t *testing.T) {
	f := newInstallFixture(t, `"idna"`)
	ctx := context.Background()
	py, err := f.p.finder().Find(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := f.p.indexes(f.p.loadedProject())
	if err != nil {
		t.Fatal(err)
	}
	env, err := venv.Create(filepath.Join(t.TempDir(), "build"), py)
	if err != nil {
		t.Fatal(err)
	}
	lw := lockedWheel{pkg: &lockfile.Package{Name: "demo", Version: "1.0"}}
	tests := []struct {
		reqs    []string
		want    []string // installed afterwards, sorted
		wantErr string
	}{
		{reqs: nil},
		{reqs: []string{"sniffio>=1", "idna; sys_platform == 'nowhere'"}, want: []string{"sniffio"}},
		{reqs: []string{"anyio"}, want: []string{"anyio", "idna", "sniffio"}},
		{reqs: venv.LegacyBuildSystem().Requires, wantErr: "demo 1.0: cannot install its build requirements (setuptools>=40.8.0) from the index"},
	}
	for _, tt := range tests {
		err := f.p.installBuildRequires(ctx, ix, env, lw, tt.reqs)
		var be *BuildRequiresError
		if tt.wantErr != "" {
			if !errors.As(err, &be) || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("installBuildRequires(%v): err = %v, want %q", tt.reqs, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("installBuildRequires(%v): %v", tt.reqs, err)
		}
		for _, name := range tt.want {
			if !installedIn(t, env, name) {
				t.Errorf("installBuildRequires(%v): %s not installed", tt.reqs, name)
			}
		}
	}
}

func installedIn(t *testing.T, env *venv.Env, name string) bool {
	t.Helper()
	dists, err := env.Installed()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dists {
		if strings.EqualFold(d.Name, name) {
			return true
		}
	}
	return false
}

// needsSniffio is an in-tree PEP 517 backend whose build imports sniffio,
// which only its build-system.requires provides.
const needsSniffio = `import os, zipfile
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    import sniffio
    name = "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        z.writestr("demo.py", "X = 1\n")
    return name
`

// TestBuildSdist builds sdists the test writes: one whose backend needs a
// build requirement from the index, one without [build-system] that needs
// setuptools, which the index lacks, and one whose build fails.
func TestBuildSdist(t *testing.T) {
	f := newInstallFixture(t, `"idna"`)
	py, err := f.p.finder().Find(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := f.p.indexes(f.p.loadedProject())
	if err != nil {
		t.Fatal(err)
	}
	inTree := "[build-system]\nrequires = [\"sniffio\"]\nbuild-backend = \"b\"\nbackend-path = [\"_b\"]\n"
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string // "" when it builds
	}{
		{"build requirement", map[string]string{"pyproject.toml": inTree, "_b/b.py": needsSniffio}, ""},
		{"legacy setup.py", map[string]string{"setup.py": "raise SystemExit(1)\n"},
			"demo 1.0: cannot install its build requirements (setuptools>=40.8.0) from the index (it has no [build-system], so it builds with setuptools' legacy backend)"},
		{"another package", map[string]string{"pyproject.toml": strings.Replace(inTree, `"sniffio"`, "", 1), "_b/b.py": strings.NewReplacer("demo-1.0", "other-1.0", "import sniffio", "pass").Replace(needsSniffio)},
			"demo 1.0: the wheel built from its source distribution, other-1.0-py3-none-any.whl, is another package or version"},
		{"failing backend", map[string]string{"pyproject.toml": inTree, "_b/b.py": "def build_wheel(d, c=None, m=None):\n    raise RuntimeError('boom')\n"},
			"venv: building "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := t.TempDir()
			sdist := filepath.Join(t.TempDir(), "demo-1.0.tar.gz")
			writeSdist(t, sdist, "demo-1.0", tt.files)
			lw := lockedWheel{pkg: &lockfile.Package{Name: "demo", Version: "1.0", Sdist: &lockfile.Sdist{Name: "demo-1.0.tar.gz"}}}
			err := f.p.buildSdist(context.Background(), ix, py, lw, sdist, work)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("buildSdist: err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("buildSdist: %v", err)
			}
			if _, err := os.Stat(filepath.Join(work, "out", "demo-1.0-py3-none-any.whl")); err != nil {
				t.Errorf("no wheel built: %v", err)
			}
		})
	}
}

// writeSdist writes a .tar.gz whose files sit under the folder top.
func writeSdist(t *testing.T, path, top string, files map[string]string) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	gz := gzip.NewWriter(out)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		h := &tar.Header{Name: top + "/" + name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
}
