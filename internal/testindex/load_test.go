package testindex

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const demoDir = "../../testdata/index"

func loadDemo(t testing.TB) *Index {
	t.Helper()
	ix, err := LoadDir(demoDir)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestLoadDirDemo(t *testing.T) {
	ix := loadDemo(t)
	if n := len(ix.Projects); n < 10 || n > 15 {
		t.Errorf("demo index has %d projects, want 10 to 15", n)
	}
	httpx := ix.Project("HTTPX")
	if httpx == nil {
		t.Fatal("no httpx")
	}
	tests := []struct {
		what, got, want string
	}{
		{"httpx latest", httpx.Latest().Version.String(), "0.27.0"},
		{"markupsafe display name", ix.Project("markupsafe").Name, "MarkupSafe"},
		{"typing of upload-time", httpx.Releases[0].UploadTime.Format(time.RFC3339), "2023-12-20T10:00:00Z"},
		{"pytest entry points", ix.Project("pytest").Releases[1].EntryPoints[0].Script, "py.test"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.what, tt.got, tt.want)
		}
	}
	var versions []string
	for _, r := range httpx.Releases {
		versions = append(versions, r.Version.String())
	}
	if want := []string{"0.26.0", "0.27.0", "0.27.1", "0.28.0b1"}; !slices.Equal(versions, want) {
		t.Errorf("httpx versions %v, want %v", versions, want)
	}
	yanked := httpx.Releases[2]
	if !yanked.Yanked || yanked.YankedReason != "broken packaging, use 0.27.0" {
		t.Errorf("httpx 0.27.1 yanked = %v %q", yanked.Yanked, yanked.YankedReason)
	}
	want := []string{"anyio", "certifi", "httpcore==1.*", "idna", "sniffio", `click==8.*; extra == "cli"`, `h2<5,>=3; extra == "http2"`}
	if got := httpx.Releases[1].RequiresDist; !equalRequirements(got, want) {
		t.Errorf("httpx 0.27.0 requires-dist %q, want %q", got, want)
	}
	if f := ix.File("markupsafe-2.1.5-py3-none-any.whl"); f == nil || f.Project.Name != "MarkupSafe" {
		t.Errorf("File(markupsafe py3 wheel) = %v", f)
	}
}

// equalRequirements compares Requires-Dist lines ignoring the order of the
// clauses of a specifier set.
func equalRequirements(got, want []string) bool {
	norm := func(s string) string {
		req, marker, _ := strings.Cut(s, ";")
		if i := strings.IndexAny(req, "<>=!~"); i > 0 {
			clauses := strings.Split(req[i:], ",")
			slices.Sort(clauses)
			req = req[:i] + strings.Join(clauses, ",")
		}
		return req + ";" + marker
	}
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if norm(got[i]) != norm(want[i]) {
			return false
		}
	}
	return true
}

func TestLoadDirDeterministic(t *testing.T) {
	a, b := loadDemo(t), loadDemo(t)
	n := 0
	for _, p := range a.Projects {
		for _, r := range p.Releases {
			for _, f := range r.Files {
				g := b.File(f.Filename)
				if g == nil || g.SHA256 != f.SHA256 || string(g.Data) != string(f.Data) {
					t.Errorf("%s differs between two loads", f.Filename)
				}
				n++
			}
		}
	}
	if n < 30 {
		t.Errorf("only %d files built", n)
	}
}

func TestLoadDirErrors(t *testing.T) {
	tests := []struct {
		name, file, text string
		line             int
		reason           string
	}{
		{"bad toml", "a.toml", "summary = \"x\"\n[[release]\n", 2, "invalid TOML"},
		{"unknown key", "a.toml", "[[release]]\nversion = \"1.0\"\nrequires = [\"x\"]\n", 3, `unknown key "release.requires"`},
		{"bad version", "a.toml", "[[release]]\nversion = \"1.0\"\n\n[[release]]\nversion = \"1.0foo\"\n", 5, `invalid version "1.0foo"`},
		{"missing version", "a.toml", "[[release]]\nfiles = [\"sdist\"]\n", 0, `invalid version ""`},
		{"bad requirement", "a.toml", "[[release]]\nversion = \"1\"\nrequires-dist = [\n  \"ok\",\n  \"bad==\",\n]\n", 5, `invalid requirement "bad=="`},
		{"bad extra requirement", "a.toml", "[[release]]\nversion = \"1\"\nextras = { x = [\"y (\"] }\n", 3, `invalid requirement "y ("`},
		{"bad requires-python", "a.toml", "[[release]]\nversion = \"1\"\nrequires-python = \"=>3.8\"\n", 3, `invalid requires-python "=>3.8"`},
		{"bad file", "a.toml", "[[release]]\nversion = \"1\"\nfiles = [\"py3-none\"]\n", 3, `invalid file "py3-none"`},
		{"duplicate file", "a.toml", "[[release]]\nversion = \"1\"\nfiles = [\"sdist\", \"sdist\"]\n", 3, `file "sdist" listed twice`},
		{"bad yanked", "a.toml", "[[release]]\nversion = \"1\"\nyanked = 3\n", 3, "yanked must be"},
		{"bad entry point", "a.toml", "[[release]]\nversion = \"1\"\nentry-points = { a = \"nocolon\" }\n", 3, "invalid entry point"},
		{"bad upload time", "a.toml", "[[release]]\nversion = \"1\"\nupload-time = \"yesterday\"\n", 3, `invalid upload-time "yesterday"`},
		{"duplicate version", "a.toml", "[[release]]\nversion = \"1.0\"\n[[release]]\nversion = \"1\"\n", 4, "version 1 listed twice"},
		{"no releases", "a.toml", "summary = \"x\"\n", 0, "no [[release]] tables"},
		{"bad module", "a.toml", "module = \"a-b\"\n[[release]]\nversion = \"1\"\n", 1, `invalid module name "a-b"`},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		path := filepath.Join(dir, tt.file)
		if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadDir(dir)
		var de *DescriptionError
		if !errors.As(err, &de) {
			t.Errorf("%s: error %v, want *DescriptionError", tt.name, err)
			continue
		}
		if de.File != path || de.Line != tt.line || !strings.Contains(de.Reason, tt.reason) {
			t.Errorf("%s: got %s:%d %q, want %s:%d %q", tt.name, de.File, de.Line, de.Reason, path, tt.line, tt.reason)
		}
		if !strings.HasPrefix(err.Error(), "testindex: "+path) {
			t.Errorf("%s: message %q", tt.name, err)
		}
	}
}

func TestLoadDirDuplicateProject(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"foo-bar.toml", "foo_bar.toml"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("[[release]]\nversion = \"1\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "also described in") {
		t.Errorf("duplicate project: error %v", err)
	}
	if _, err := LoadDir(t.TempDir()); err == nil {
		t.Error("empty folder loaded without error")
	}
}

func FuzzParseProject(f *testing.F) {
	f.Add([]byte("[[release]]\nversion = \"1.0\"\nrequires-dist = [\"a>=1\"]\nextras = { x = [\"b; os_name == 'nt'\"] }\n"))
	f.Add([]byte("name = \"X\"\n[[release]]\nversion = \"2\"\nyanked = \"why\"\nfiles = [\"py2.py3-none-any\"]\n"))
	f.Add([]byte("[[release]]\nversion = \"1\"\nentry-points = { a = \"b:c\" }\nupload-time = 2024-01-01T00:00:00Z\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parseProject("fuzz.toml", data)
		if err != nil {
			var de *DescriptionError
			if !errors.As(err, &de) {
				t.Errorf("error %v is not a *DescriptionError", err)
			}
			return
		}
		if len(p.Releases) == 0 {
			t.Error("project without releases accepted")
		}
	})
}

func TestExtraRequirement(t *testing.T) {
	tests := []struct{ in, extra, line, plain string }{
		{"h2>=3", "http2", `h2>=3; extra == "http2"`, "h2>=3"},
		{"brotli; platform_python_implementation == 'CPython'", "brotli",
			`brotli; (platform_python_implementation == "CPython") and extra == "brotli"`,
			`brotli; platform_python_implementation == "CPython"`},
		{"a[x]==1; os_name == 'nt' or sys_platform == 'win32'", "win",
			`a[x]==1; (os_name == "nt" or sys_platform == "win32") and extra == "win"`,
			`a[x]==1; os_name == "nt" or sys_platform == "win32"`},
	}
	for _, tt := range tests {
		line, plain, err := extraRequirement(tt.in, tt.extra)
		if err != nil || line != tt.line || plain != tt.plain {
			t.Errorf("extraRequirement(%q, %q) = %q, %q, %v; want %q, %q", tt.in, tt.extra, line, plain, err, tt.line, tt.plain)
		}
	}
}
