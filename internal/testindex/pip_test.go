package testindex

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// python runs python3 with args and fails the test on error. pip is required:
// these tests prove that a real installer accepts the index.
func python(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("python3", args...)
	cmd.Env = append(os.Environ(), "PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_NO_CACHE_DIR=1", "PIP_NO_INPUT=1", "PIP_CONFIG_FILE="+os.DevNull)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3 %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestPipDownload(t *testing.T) {
	python(t, "-m", "pip", "--version")
	tests := []struct {
		name string
		opts Options
		args []string
		want []string
	}{
		{
			name: "resolve httpx[cli] via HTML, skipping yanked and prerelease",
			opts: Options{NoSimpleJSON: true, NoJSONAPI: true},
			args: []string{"httpx[cli]"},
			want: []string{"anyio-4.4.0-py3-none-any.whl", "certifi-2024.7.4-py3-none-any.whl", "click-8.1.7-py3-none-any.whl",
				"h11-0.14.0-py3-none-any.whl", "httpcore-1.0.5-py3-none-any.whl", "httpx-0.27.0-py3-none-any.whl",
				"idna-3.7-py3-none-any.whl", "sniffio-1.3.1-py3-none-any.whl"},
		},
		{
			name: "pins and prereleases through PEP 691 JSON",
			args: []string{"--no-deps", "--pre", "httpx", "pytest==8.1.1", "exceptiongroup<1.2.1"},
			want: []string{"exceptiongroup-1.2.0-py3-none-any.whl", "httpx-0.28.0b1-py3-none-any.whl", "pytest-8.1.1-py3-none-any.whl"},
		},
		{
			name: "platform wheel for CPython 3.11 on manylinux x86_64",
			args: []string{"--no-deps", "--only-binary=:all:", "--platform", "manylinux_2_17_x86_64", "--python-version", "3.11",
				"--implementation", "cp", "--abi", "cp311", "MarkupSafe==2.1.5"},
			want: []string{"markupsafe-2.1.5-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
		},
		{
			name: "pure fallback for another platform",
			args: []string{"--no-deps", "--only-binary=:all:", "--platform", "macosx_11_0_arm64", "--python-version", "3.12",
				"--implementation", "cp", "--abi", "cp312", "markupsafe"},
			want: []string{"markupsafe-2.1.5-py3-none-any.whl"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := startDemo(t, tt.opts)
			dir := t.TempDir()
			python(t, append([]string{"-m", "pip", "download", "-d", dir, "--index-url", s.SimpleURL()}, tt.args...)...)
			got := listDir(t, dir)
			if !slices.Equal(got, tt.want) {
				t.Errorf("downloaded %v, want %v", got, tt.want)
			}
			for _, name := range got {
				data, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if f := s.Index().File(name); f == nil || string(f.Data) != string(data) {
					t.Errorf("%s differs from the served file", name)
				}
			}
		})
	}
}

func TestPipInstallTarget(t *testing.T) {
	t.Parallel()
	s := startDemo(t, Options{})
	target := t.TempDir()
	// A wheel with an entry point, and click 8.1.6, which only has an sdist
	// that pip builds with the sdist's in-tree backend.
	python(t, "-m", "pip", "install", "--target", target, "--index-url", s.SimpleURL(), "--no-deps", "httpx==0.27.0", "click==8.1.6")
	got := listDir(t, target)
	for _, want := range []string{"bin", "click", "click-8.1.6.dist-info", "httpx", "httpx-0.27.0.dist-info"} {
		if !slices.Contains(got, want) {
			t.Errorf("installed %v, lacks %s", got, want)
		}
	}
	if _, err := os.Stat(filepath.Join(target, "bin", "httpx")); err != nil {
		t.Errorf("console script: %v", err)
	}
	cmd := exec.Command("python3", "-c", "import httpx, click; httpx.main(); click.main(); print(httpx.__version__, httpx.BUILD_TAG, click.BUILD_TAG)")
	cmd.Env = append(os.Environ(), "PYTHONPATH="+target)
	out, err := cmd.CombinedOutput()
	if want := "httpx 0.27.0\nclick 8.1.6\n0.27.0 py3-none-any sdist\n"; err != nil || string(out) != want {
		t.Errorf("import: %v\n%q, want %q", err, out, want)
	}
}
