package lockfile

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep508"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

const (
	hashA = "c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a"
	hashB = "67c7495b760168d931a10233f979b28dc04daf853b30752246f4f8471c6d68d0"
	hashC = "83807d445817326b4bcdaaaf8e8e9f1753da04341eceec705c001ff342002e5d"
)

// sample builds a File exercising every field, in canonical order.
func sample() *File {
	up := time.Date(2025, 1, 25, 11, 30, 10, 164985000, time.UTC)
	return &File{
		LockVersion:      "1.0",
		CreatedBy:        "pylock",
		RequiresPython:   ">=3.9",
		Environments:     []string{`sys_platform == "linux"`, `sys_platform == "win32"`},
		Extras:           []string{"socks"},
		DependencyGroups: []string{"dev"},
		DefaultGroups:    []string{},
		Packages: []Package{
			{
				Name: "attrs", Version: "25.1.0", RequiresPython: ">=3.8", Index: "https://pypi.org/simple",
				Sdist: &Sdist{Name: "attrs-25.1.0.tar.gz", URL: "https://files.example/attrs-25.1.0.tar.gz", Size: 810000,
					Hashes: map[string]string{"sha256": hashB}},
				Wheels: []Wheel{{Name: "attrs-25.1.0-py3-none-any.whl", URL: "https://files.example/attrs-25.1.0-py3-none-any.whl",
					Size: 63152, UploadTime: up, Hashes: map[string]string{"sha256": hashA}}},
				AttestationIdentities: []map[string]any{{"kind": "GitHub", "repository": "python-attrs/attrs"}},
			},
			{
				Name: "cattrs", Version: "24.1.2", Marker: `"dev" in dependency_groups`,
				Dependencies: []Dependency{{Name: "attrs"}, {Name: "exceptiongroup", Version: "1.2.2", Keys: map[string]any{"index": "https://pypi.org/simple"}}},
				Wheels:       []Wheel{{Name: "cattrs-24.1.2-py3-none-any.whl", Path: "wheels/cattrs-24.1.2-py3-none-any.whl", Hashes: map[string]string{"sha256": hashB}}},
				Tool:         map[string]any{"other": map[string]any{"note": "quoted \"x\"\tand\\ more", "n": int64(3)}},
			},
			{Name: "local-pkg", Directory: &Directory{Path: "../local", Editable: true}},
			{
				Name: "numpy", Version: "2.2.3", Marker: `sys_platform == "linux"`,
				Wheels: []Wheel{
					{Name: "numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", URL: "https://files.example/n1.whl", Hashes: map[string]string{"sha256": hashC, "md5": "0123456789abcdef0123456789abcdef"}},
					{Name: "numpy-2.2.3-cp312-cp312-win_amd64.whl", URL: "https://files.example/n2.whl", Hashes: map[string]string{"sha256": hashA}},
				},
			},
			{Name: "tarball", Archive: &Archive{URL: "https://example.com/t.tar.gz", Hashes: map[string]string{"sha256": hashA}, Subdirectory: "src"}},
			{Name: "vcs-pkg", VCS: &VCS{Type: "git", URL: "https://github.com/x/y.git", RequestedRevision: "main", CommitID: "abc123"}},
		},
		Tool: map[string]any{"other-tool": map[string]any{"run-on": time.Date(2025, 3, 6, 12, 0, 0, 0, time.UTC), "list": []any{int64(1), "two", 3.5, true}}},
		Pylock: ToolPylock{
			FormatVersion:  FormatVersion,
			RequiresPython: ">=3.9",
			IndexURLs:      []string{"https://pypi.org/simple"},
			Environments:   []string{"sys_platform == 'darwin'", "sys_platform == 'linux'"},
			Settings:       map[string]string{"prereleases": "default", "strategy": "highest"},
			Sections: []Section{
				{Label: "dependencies", Requirements: []string{"attrs>=25", "numpy; sys_platform == \"linux\""}},
				{Label: "dependency-groups.dev", Requirements: []string{"cattrs"}},
			},
		},
	}
}

func mustParse(t *testing.T, name string, data []byte) *File {
	t.Helper()
	f, err := Parse(name, data)
	if err != nil {
		t.Fatalf("Parse(%s): %v\n%s", name, err, data)
	}
	return f
}

func TestRoundTrip(t *testing.T) {
	f := sample()
	out := f.Format()
	g := mustParse(t, "pylock.toml", out)
	if !reflect.DeepEqual(f, g) {
		t.Fatalf("Parse(Format(f)) != f\nformatted:\n%s\nf: %#v\ng: %#v", out, f, g)
	}
	if again := g.Format(); !bytes.Equal(out, again) {
		t.Fatalf("Format not stable:\n%s\n---\n%s", out, again)
	}
}

func TestFormatOrderIndependent(t *testing.T) {
	a := sample()
	b := sample()
	reverse := func(s []Package) {
		for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
			s[i], s[j] = s[j], s[i]
		}
	}
	reverse(b.Packages)
	for i := range b.Packages {
		w := b.Packages[i].Wheels
		for x, y := 0, len(w)-1; x < y; x, y = x+1, y-1 {
			w[x], w[y] = w[y], w[x]
		}
	}
	b.Environments[0], b.Environments[1] = b.Environments[1], b.Environments[0]
	b.Pylock.Sections[0], b.Pylock.Sections[1] = b.Pylock.Sections[1], b.Pylock.Sections[0]
	snapshot := b.Packages[0].Name
	if !bytes.Equal(a.Format(), b.Format()) {
		t.Fatalf("different orders format differently:\n%s\n---\n%s", a.Format(), b.Format())
	}
	if b.Packages[0].Name != snapshot {
		t.Fatal("Format changed the order of its receiver")
	}
}

func TestFormatStyle(t *testing.T) {
	out := string(sample().Format())
	for _, want := range []string{
		"lock-version = \"1.0\"\nenvironments = [",
		"created-by = \"pylock\"\n\n[[packages]]\nname = \"attrs\"\n",
		`wheels = [` + "\n" + `    { name = "attrs-25.1.0-py3-none-any.whl", url = "https://files.example/attrs-25.1.0-py3-none-any.whl", size = 63152, upload-time = 2025-01-25T11:30:10.164985Z, hashes = { sha256 = "` + hashA + `" } },` + "\n]\n",
		`note = "quoted \"x\"\tand\\ more"`, `marker = '"dev" in dependency_groups'`,
		"[packages.tool.other]\n",
		"[tool.pylock]\nformat-version = 1\n",
		"[tool.other-tool]\nlist = [1, \"two\", 3.5, true]\nrun-on = 2025-03-06T12:00:00Z\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "name = \"numpy-2.2.3-cp312-cp312-manylinux") > strings.Index(out, "numpy-2.2.3-cp312-cp312-win") {
		t.Error("wheels not sorted by file name")
	}
}

func TestEmptyPackages(t *testing.T) {
	f := &File{LockVersion: "1.0", CreatedBy: "pylock"}
	out := f.Format()
	if want := "lock-version = \"1.0\"\ncreated-by = \"pylock\"\npackages = []\n"; string(out) != want {
		t.Fatalf("got %q, want %q", out, want)
	}
	if g := mustParse(t, "pylock.toml", out); !reflect.DeepEqual(f, g) {
		t.Fatalf("got %#v", g)
	}
}

func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "*.toml"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			f := mustParse(t, filepath.Base(in), data)
			got := f.Format()
			golden := strings.TrimSuffix(in, ".toml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("Format(%s) differs from %s:\n%s", in, golden, got)
			}
			if g := mustParse(t, golden, got); !reflect.DeepEqual(f, g) {
				t.Fatalf("golden output does not parse back equal")
			}
		})
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pylock.toml")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := sample()
	if err := WriteFile(path, f); err != nil {
		t.Fatal(err)
	}
	g, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f, g) {
		t.Fatal("ReadFile(WriteFile(f)) != f")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
	var le *Error
	if err := WriteFile(filepath.Join(dir, "lock.toml"), f); !errors.As(err, &le) {
		t.Fatalf("bad name: got %v", err)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "pylock.toml"), f); !errors.As(err, &le) {
		t.Fatalf("missing dir: got %v", err)
	}
}

func TestFileNames(t *testing.T) {
	for _, tc := range []struct {
		in   string
		name string
		ok   bool
	}{
		{"pylock.toml", "", true},
		{"pylock.spam.toml", "spam", true},
		{"pylock.dev-tools.toml", "dev-tools", true},
		{"pylock.a.b.toml", "", false},
		{"Pylock.toml", "", false},
		{"pylock..toml", "", false},
		{"pylock.toml.bak", "", false},
		{"poetry.lock", "", false},
	} {
		name, ok := LockName(tc.in)
		if name != tc.name || ok != tc.ok || ValidFileName(tc.in) != tc.ok {
			t.Errorf("LockName(%q) = %q, %v; want %q, %v", tc.in, name, ok, tc.name, tc.ok)
		}
	}
}

func TestSelect(t *testing.T) {
	f := sample()
	env := pep508.Environment{Vars: map[string]string{"sys_platform": "linux", "python_full_version": "3.12.4"}}
	byName := func(pkgs []*Package) []string {
		var out []string
		for _, p := range pkgs {
			out = append(out, p.Name)
		}
		return out
	}
	got, err := f.SelectPackages(env)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"attrs", "local-pkg", "numpy", "tarball", "vcs-pkg"}; !reflect.DeepEqual(byName(got), want) {
		t.Errorf("linux: got %v, want %v", byName(got), want)
	}
	env.DependencyGroups = []string{"dev"}
	got, _ = f.SelectPackages(env)
	if !reflect.DeepEqual(byName(got)[:2], []string{"attrs", "cattrs"}) {
		t.Errorf("dev group not selected: %v", byName(got))
	}
	for _, tc := range []struct {
		name string
		vars map[string]string
	}{
		{"old python", map[string]string{"sys_platform": "linux", "python_full_version": "3.8.10"}},
		{"no environment", map[string]string{"sys_platform": "darwin", "python_full_version": "3.12.4"}},
		{"no python", map[string]string{"sys_platform": "linux"}},
	} {
		var se *SelectError
		if _, err := f.SelectPackages(pep508.Environment{Vars: tc.vars}); !errors.As(err, &se) {
			t.Errorf("%s: got %v, want *SelectError", tc.name, err)
		}
	}
	dup := sample()
	dup.Packages = append(dup.Packages, Package{Name: "attrs", Version: "24.0"})
	if _, err := dup.SelectPackages(pep508.Environment{Vars: map[string]string{"sys_platform": "linux", "python_full_version": "3.12.4"}}); err == nil {
		t.Error("ambiguous package selected without error")
	}
}

func TestBestWheel(t *testing.T) {
	p := sample().Packages[3]
	linux := []dist.Tag{{Python: "cp312", ABI: "cp312", Platform: "manylinux_2_17_x86_64"}, {Python: "py3", ABI: "none", Platform: "any"}}
	win := []dist.Tag{{Python: "cp312", ABI: "cp312", Platform: "win_amd64"}}
	mac := []dist.Tag{{Python: "cp312", ABI: "cp312", Platform: "macosx_11_0_arm64"}}
	for _, tc := range []struct {
		tags []dist.Tag
		want string
	}{
		{linux, "numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
		{win, "numpy-2.2.3-cp312-cp312-win_amd64.whl"},
		{mac, ""},
	} {
		w, ok := p.BestWheel(tc.tags)
		got := ""
		if ok {
			got = w.Name
		}
		if got != tc.want {
			t.Errorf("BestWheel(%v) = %q, want %q", tc.tags, got, tc.want)
		}
	}
}

func TestPackageSelect(t *testing.T) {
	linux := map[string]string{"sys_platform": "linux", "python_version": "3.12", "python_full_version": "3.12.4"}
	for _, tc := range []struct {
		marker string
		env    pep508.Environment
		want   bool
	}{
		{"", pep508.Environment{Vars: linux}, true},
		{`sys_platform == "linux"`, pep508.Environment{Vars: linux}, true},
		{`sys_platform == "win32"`, pep508.Environment{Vars: linux}, false},
		{`"socks" in extras`, pep508.Environment{Vars: linux}, false},
		{`"socks" in extras`, pep508.Environment{Vars: linux, Extras: []string{"socks"}}, true},
		{`"dev" in dependency_groups and python_version >= "3.10"`, pep508.Environment{Vars: linux, DependencyGroups: []string{"dev"}}, true},
		{`"dev" not in dependency_groups`, pep508.Environment{Vars: linux, DependencyGroups: []string{"dev"}}, false},
		{`not a marker`, pep508.Environment{Vars: linux}, false},
	} {
		p := Package{Name: "x", Marker: tc.marker}
		if got := p.Select(tc.env); got != tc.want {
			t.Errorf("Select(%q, %+v) = %v, want %v", tc.marker, tc.env, got, tc.want)
		}
	}
}

func TestSortOrder(t *testing.T) {
	pkg := func(version, marker, index string) Package {
		return Package{Name: "a", Version: version, Marker: marker, Index: index}
	}
	f := &File{LockVersion: "1.0", CreatedBy: "t", Packages: []Package{
		pkg("1.10", "", ""), {Name: "b"}, pkg("1.9", `os_name == "nt"`, ""), pkg("1.9", "", "z"),
		pkg("1.9", "", "y"), pkg("1.9.0", "", ""), pkg("1.0rc1", "", ""), pkg("", "", ""),
	}}
	f.Packages[1].Dependencies = []Dependency{{Name: "c", Version: "2"}, {Name: "c", Version: "10"}, {Name: "a"}, {Name: "c", Version: "2.0"}}
	f.Sort()
	var got []string
	for _, p := range f.Packages {
		got = append(got, p.Name+" "+p.Version+" "+p.Marker+" "+p.Index)
	}
	want := []string{"a 1.0rc1  ", "a 1.9  y", "a 1.9  z", `a 1.9 os_name == "nt" `, "a 1.9.0  ", "a 1.10  ", "a   ", "b   "}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("packages sorted as\n%q\nwant\n%q", got, want)
	}
	var deps []string
	for _, d := range f.Packages[len(f.Packages)-1].Dependencies {
		deps = append(deps, d.Name+" "+d.Version)
	}
	if want := []string{"a ", "c 2", "c 2.0", "c 10"}; !reflect.DeepEqual(deps, want) {
		t.Errorf("dependencies sorted as %q, want %q", deps, want)
	}
}

func TestInline(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{"plain", `"plain"`},
		{`say "hi"`, `'say "hi"'`},
		{`it's "x"`, `"it's \"x\""`},
		{"a\x01\x7f", `"a\u0001\u007F"`},
		{3, "3"},
		{int64(-4), "-4"},
		{2.0, "2.0"},
		{1e300, "1e+300"},
		{[]string{"a", "b"}, `["a", "b"]`},
		{map[string]string{"b": "2", "a": "1"}, `{ a = "1", b = "2" }`},
		{map[string]any{}, "{}"},
		{map[string]any{"a.b": []any{}}, `{ "a.b" = [] }`},
		{struct{}{}, `"{}"`},
	} {
		if got := inline(tc.in); got != tc.want {
			t.Errorf("inline(%#v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestErrorDetails(t *testing.T) {
	_, err := Parse("pylock.x.toml", []byte(head+"[[packages]]\nname = \"x\"\nversion = \"1.0foo\"\n"))
	if errors.Unwrap(err) == nil {
		t.Errorf("%v: underlying pep440 error not kept", err)
	}
	if want := "pylock.x.toml:5: packages[0].version: invalid version \"1.0foo\": "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %q, want prefix %q", err, want)
	}
	se := &SelectError{Package: "x", Msg: "boom"}
	if se.Error() != "lockfile: x: boom" || (&SelectError{Msg: "boom"}).Error() != "lockfile: boom" {
		t.Errorf("SelectError format: %q", se.Error())
	}
	if ExtraLabel("socks") != "optional-dependencies.socks" || GroupLabel("dev") != "dependency-groups.dev" {
		t.Error("section labels")
	}
}
