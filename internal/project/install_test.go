package project

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/venv"
)

func TestNewPlan(t *testing.T) {
	tests := []struct {
		name      string
		installed map[string]string
		wanted    map[string]string
		inexact   bool
		want      []Change
	}{
		{name: "empty venv", wanted: map[string]string{"idna": "3.7", "anyio": "4.0"},
			want: []Change{{ChangeInstall, "anyio", "", "4.0"}, {ChangeInstall, "idna", "", "3.7"}}},
		{name: "nothing to do", installed: map[string]string{"idna": "3.7"}, wanted: map[string]string{"idna": "3.7"},
			want: []Change{{ChangeUnchanged, "idna", "3.7", "3.7"}}},
		{name: "equal by PEP 440", installed: map[string]string{"idna": "3.7.0"}, wanted: map[string]string{"idna": "3.7"},
			want: []Change{{ChangeUnchanged, "idna", "3.7.0", "3.7"}}},
		{name: "upgrade", installed: map[string]string{"idna": "3.6"}, wanted: map[string]string{"idna": "3.7"},
			want: []Change{{ChangeUpgrade, "idna", "3.6", "3.7"}}},
		{name: "downgrade past a prerelease", installed: map[string]string{"idna": "4.0rc1"}, wanted: map[string]string{"idna": "3.7"},
			want: []Change{{ChangeDowngrade, "idna", "4.0rc1", "3.7"}}},
		{name: "extraneous removed, name normalized", installed: map[string]string{"Foo_Bar": "1.0", "idna": "3.7"}, wanted: map[string]string{"idna": "3.7"},
			want: []Change{{ChangeRemove, "foo-bar", "1.0", ""}, {ChangeUnchanged, "idna", "3.7", "3.7"}}},
		{name: "inexact keeps extraneous", installed: map[string]string{"foo": "1.0"}, wanted: map[string]string{"idna": "3.7"}, inexact: true,
			want: []Change{{ChangeInstall, "idna", "", "3.7"}}},
		{name: "unparsable installed version", installed: map[string]string{"idna": "weird"}, wanted: map[string]string{"idna": "3.7"},
			want: []Change{{ChangeUpgrade, "idna", "weird", "3.7"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var installed []venv.Dist
			for name, v := range tt.installed {
				installed = append(installed, venv.Dist{Name: name, Version: v})
			}
			got := newPlan(installed, tt.wanted, tt.inexact)
			if !reflect.DeepEqual(got.Changes, tt.want) {
				t.Errorf("newPlan = %v, want %v", got.Changes, tt.want)
			}
		})
	}
}

func TestChangeString(t *testing.T) {
	tests := []struct {
		c    Change
		want string
	}{
		{Change{ChangeInstall, "idna", "", "3.7"}, "+ idna 3.7"},
		{Change{ChangeRemove, "idna", "3.7", ""}, "- idna 3.7"},
		{Change{ChangeUpgrade, "idna", "3.6", "3.7"}, "~ idna 3.6 -> 3.7"},
		{Change{ChangeDowngrade, "idna", "3.7", "3.6"}, "~ idna 3.7 -> 3.6"},
		{Change{ChangeUnchanged, "idna", "3.7", "3.7"}, "  idna 3.7"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.c, got, tt.want)
		}
	}
}

// installFixture is a locked project served by the test index.
type installFixture struct {
	p     *Project
	srv   *testindex.Server
	cache string
}

func newInstallFixture(tb testing.TB, deps string) *installFixture {
	tb.Helper()
	root, err := conformance.RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := testindex.Start(filepath.Join(root, "testdata", "index"), testindex.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close() })
	dir, cache := tb.TempDir(), tb.TempDir()
	pyproject := "[project]\nname = \"demo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.9\"\ndependencies = [" + deps + "]\n"
	if err := os.WriteFile(filepath.Join(dir, PyprojectName), []byte(pyproject), 0o644); err != nil {
		tb.Fatal(err)
	}
	p, err := New(Settings{Dir: dir, IndexURL: srv.SimpleURL(), CacheDir: cache})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := p.Lock(context.Background(), LockOptions{}); err != nil {
		tb.Fatal(err)
	}
	return &installFixture{p: p, srv: srv, cache: cache}
}

// linkedTo reports whether path is a hard link to target.
func linkedTo(t *testing.T, path, target string) bool {
	t.Helper()
	pathInfo, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	targetInfo, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	return os.SameFile(pathInfo, targetInfo)
}

// TestInstallReusesUnpacked checks that a wheel is unpacked once: a second
// install into another virtualenv neither downloads nor unpacks, and links
// its files to the tree the first install unpacked.
func TestInstallReusesUnpacked(t *testing.T) {
	f := newInstallFixture(t, `"idna", "sniffio"`)
	ctx := context.Background()
	first, err := f.p.Install(ctx, InstallOptions{VenvDir: filepath.Join(t.TempDir(), "a")})
	if err != nil {
		t.Fatal(err)
	}
	if first.Installed != 2 || !first.CreatedVenv {
		t.Fatalf("first install: %+v", first)
	}
	bucket := filepath.Join(f.cache, unpackedBucket)
	trees, err := os.ReadDir(bucket)
	if err != nil || len(trees) != 2 {
		t.Fatalf("unpacked trees: %v %v", trees, err)
	}
	before := map[string]time.Time{}
	for _, tree := range trees {
		fi, _ := tree.Info()
		before[tree.Name()] = fi.ModTime()
	}
	requests := f.srv.TotalRequests()

	other := filepath.Join(t.TempDir(), "b")
	second, err := f.p.Install(ctx, InstallOptions{VenvDir: other})
	if err != nil {
		t.Fatal(err)
	}
	if second.Installed != 2 {
		t.Fatalf("second install: %+v", second)
	}
	if n := f.srv.TotalRequests(); n != requests {
		t.Errorf("the second install sent %d requests, want none", n-requests)
	}
	after, _ := os.ReadDir(bucket)
	if len(after) != len(trees) {
		t.Errorf("the bucket holds %d entries after the second install, want %d", len(after), len(trees))
	}
	for _, tree := range after {
		fi, _ := tree.Info()
		if !fi.ModTime().Equal(before[tree.Name()]) {
			t.Errorf("tree %s was unpacked again", tree.Name())
		}
	}
	env, err := venv.Open(other)
	if err != nil {
		t.Fatal(err)
	}
	site := filepath.Join(other, filepath.FromSlash(env.Python.Scheme.Purelib))
	linked := false
	for _, tree := range after {
		if p := filepath.Join(bucket, tree.Name(), "idna", "__init__.py"); fileExists(p) {
			linked = linkedTo(t, p, filepath.Join(site, "idna", "__init__.py"))
		}
	}
	if !linked {
		t.Error("idna/__init__.py in the second venv is not a hard link to the unpacked tree")
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// BenchmarkInstallNoop times `pylock install` with nothing to do: the lock
// checked against pyproject.toml, the interpreter found, the venv listed,
// an empty plan. Run it with
//
//	go test -run '^$' -bench BenchmarkInstallNoop ./internal/project/
func BenchmarkInstallNoop(b *testing.B) {
	f := newInstallFixture(b, `"httpx", "idna"`)
	ctx := context.Background()
	if _, err := f.p.Install(ctx, InstallOptions{}); err != nil {
		b.Fatal(err)
	}
	requests := f.srv.TotalRequests()
	for b.Loop() {
		res, err := f.p.Install(ctx, InstallOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if !res.Plan.Empty() {
			b.Fatalf("not a no-op: %v", res.Plan.Changes)
		}
	}
	if n := f.srv.TotalRequests(); n != requests {
		b.Errorf("no-op installs sent %d requests", n-requests)
	}
}
