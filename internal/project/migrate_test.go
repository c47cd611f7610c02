package project

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/pyproject"
)

// pinList prints pins as "name==version" lines, in order.
func pinList(pins []pin) string {
	var lines []string
	for _, p := range pins {
		lines = append(lines, p.name+"=="+p.version.String())
	}
	return strings.Join(lines, "\n")
}

func readFixture(t *testing.T, rel string) []byte {
	t.Helper()
	root, err := conformance.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "testdata", "migration", rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The fixtures are real Poetry 1.3 and PDM 2.2 lock files (see
// scripts/gen-migration-fixtures.sh) and hand-written uv and pip-compile
// files.
func TestMigrationFixtures(t *testing.T) {
	common := "anyio==4.3.0\ncertifi==2024.2.2\ncolorama==0.4.6\nexceptiongroup==1.2.1\nh11==0.13.0\nhttpcore==1.0.4\nhttpx==0.26.0\nidna==3.6\niniconfig==2.0.0\npluggy==1.5.0\npytest==8.1.1\nsniffio==1.3.1"
	tests := []struct {
		file string
		read func(string, []byte) ([]pin, error)
		want string
	}{
		{"poetry/poetry.lock", readTOMLLock, common},
		{"pdm/pdm.lock", readTOMLLock, common},
		{"uv/uv.lock", readTOMLLock, "anyio==4.3.0\ncertifi==2024.2.2\nexceptiongroup==1.2.0\nh11==0.13.0\nhttpcore==1.0.4\nhttpx==0.26.0\nidna==3.6\nsniffio==1.3.1"},
		{"requirements/requirements.txt", readRequirementsPins, "anyio==4.3.0\ncertifi==2024.2.2\nexceptiongroup==1.2.0\nh11==0.13.0\nhttpcore==1.0.4\nhttpx==0.26.0\nidna==3.6\nsniffio==1.3.1"},
		{"requirements/requirements-dev.txt", readRequirementsPins, "iniconfig==2.0.0\npluggy==1.4.0\npytest==8.1.1"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			pins, err := tt.read(filepath.Base(tt.file), readFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := pinList(pins); got != tt.want {
				t.Errorf("pins:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestReadRequirementsPins(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"plain", "a==1.0\nB_c==2\n", "a==1.0\nb-c==2"},
		{"comments", "# top\na==1.0  # via b\n\n   # indented\n", "a==1.0"},
		{"hash continuation", "a==1.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\nb==2\n", "a==1.0\nb==2"},
		{"marker and extras", "a[x,y]==1.0 ; python_version < \"3.11\"\n", "a==1.0"},
		{"arbitrary equality", "a===1.0\n", "a==1.0"},
		{"not pins", "a>=1\nb==1.*\nc\nd==1,<2\ne @ https://x/e.whl\n", ""},
		{"options", "-r other.txt\n--index-url https://x\n-e .\n-c constraints.txt\n", ""},
		{"paths", "./pkg\n/abs/pkg.whl\nhttps://x/y.whl\n", ""},
		{"crlf", "a==1.0\r\nb==2.0\r\n", "a==1.0\nb==2.0"},
		{"trailing backslash", "a==1.0 \\", "a==1.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pins, err := readRequirementsPins("requirements.txt", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if got := pinList(pins); got != tt.want {
				t.Errorf("pins:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestReadMigrationErrors(t *testing.T) {
	tests := []struct {
		name string
		read func(string, []byte) ([]pin, error)
		text string
		want string
	}{
		{"requirements.txt", readRequirementsPins, "a==1\n\nb==1 \\\n  --hash=sha256:aa\n%bad\n", "requirements.txt:5: not a requirement"},
		{"poetry.lock", readTOMLLock, "[[package]]\nname = \"a\"\nversion = \n", "poetry.lock:3: not a TOML lock file"},
		{"pdm.lock", readTOMLLock, "[[package]]\nname = \"a\"\nversion = \"not a version\"\n", `pdm.lock: package "a" has no valid version "not a version"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.read(tt.name, []byte(tt.text))
			var me *MigrationError
			if !errors.As(err, &me) {
				t.Fatalf("error %v, want a *MigrationError", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %q, want it to start with %q", err, tt.want)
			}
		})
	}
}

func TestReadTOMLLockSkipsNonIndexPackages(t *testing.T) {
	text := `
[[package]]
name = "a"
version = "1.0"
[package.source]
type = "git"
url = "https://x/a.git"

[[package]]
name = "b"
version = "2.0"
[package.source]
type = "legacy"
url = "https://x/simple"

[[package]]
name = "c"
version = "3.0"
git = "https://x/c.git"

[[package]]
name = "d"
version = "4.0"
source = { virtual = "." }

[[package]]
name = "e"
version = "5.0"
source = { registry = "https://x/simple" }
`
	pins, err := readTOMLLock("x.lock", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pinList(pins), "b==2.0\ne==5.0"; got != want {
		t.Errorf("pins:\n%s\nwant:\n%s", got, want)
	}
}

// findMigration takes poetry.lock over pdm.lock over uv.lock over
// requirements files, and only requirements files that pin something.
func TestFindMigrationOrder(t *testing.T) {
	files := map[string]string{
		"poetry.lock":          "[[package]]\nname = \"a\"\nversion = \"1\"\n",
		"pdm.lock":             "[[package]]\nname = \"b\"\nversion = \"1\"\n",
		"uv.lock":              "[[package]]\nname = \"c\"\nversion = \"1\"\nsource = { registry = \"x\" }\n",
		"requirements.txt":     "d==1\n",
		"requirements-dev.txt": "e>=1\n",
	}
	order := []struct{ remove, want, files string }{
		{"", "a==1", "poetry.lock"},
		{"poetry.lock", "b==1", "pdm.lock"},
		{"pdm.lock", "c==1", "uv.lock"},
		{"uv.lock", "d==1", "requirements.txt"},
		{"requirements.txt", "", ""},
	}
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := New(Settings{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range order {
		if step.remove != "" {
			if err := os.Remove(filepath.Join(dir, step.remove)); err != nil {
				t.Fatal(err)
			}
		}
		m, err := p.findMigration()
		if err != nil {
			t.Fatal(err)
		}
		if step.want == "" {
			if m != nil {
				t.Errorf("after removing %s: migration from %v, want none", step.remove, m.files)
			}
			continue
		}
		if m == nil || pinList(m.pins) != step.want || strings.Join(m.files, ", ") != step.files {
			t.Errorf("after removing %q: got %+v, want %s from %s", step.remove, m, step.want, step.files)
		}
	}
}

// fakeReleases answers Project from a table: name -> versions, "!" marking
// a yanked one; names not there are not found.
type fakeReleases map[string][]string

func (f fakeReleases) Project(_ context.Context, name string) (*pypi.Project, error) {
	versions, ok := f[name]
	if !ok {
		return nil, &pypi.NotFoundError{Name: name, Index: "test"}
	}
	proj := &pypi.Project{Name: name}
	for _, v := range versions {
		plain := strings.TrimSuffix(v, "!")
		file := pypi.File{Filename: name + "-" + plain + ".tar.gz", Version: pep440.MustParse(plain), Yanked: plain != v}
		proj.Files = append(proj.Files, file)
	}
	return proj, nil
}

func TestUnkeptPins(t *testing.T) {
	dir := t.TempDir()
	pyproject := "[project]\nname = \"demo\"\nversion = \"1\"\ndependencies = [\"app>=2\", \"lib\", \"new\"]\n"
	if err := os.WriteFile(filepath.Join(dir, PyprojectName), []byte(pyproject), 0o644); err != nil {
		t.Fatal(err)
	}
	proj := loadProject(t, filepath.Join(dir, PyprojectName))
	lock := &lockfile.File{Packages: []lockfile.Package{
		{Name: "app", Version: "2.0"}, {Name: "lib", Version: "2.0"}, {Name: "new", Version: "3.0"},
		{Name: "kept", Version: "1.0"},
	}}
	pins := []pin{mustPin("app", "1.0"), mustPin("lib", "1.0"), mustPin("new", "0.1"), mustPin("new", "0.2"),
		mustPin("gone", "1.0"), mustPin("kept", "1.0")}
	lookup := fakeReleases{"app": {"1.0", "2.0"}, "lib": {"1.0", "2.0"}, "new": {"0.1!", "3.0"}}
	var got []string
	for _, u := range unkeptPins(context.Background(), pins, lock, proj, lookup) {
		got = append(got, u.String())
	}
	want := []string{
		"app 1.0: no longer satisfies `app>=2` (pyproject.toml:4); locked 2.0",
		"lib 1.0: conflicts with the other requirements; locked 2.0",
		"new 0.1: yanked on the index; locked 3.0",
		"new 0.2: not on the index; locked 3.0",
		"gone 1.0: no longer required by pyproject.toml",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("unkept:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func mustPin(name, version string) pin {
	return pin{name: name, version: pep440.MustParse(version)}
}

func loadProject(t *testing.T, path string) *pyproject.Project {
	t.Helper()
	proj, err := pyproject.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return proj
}

func FuzzReadRequirementsPins(f *testing.F) {
	f.Add("a==1.0 \\\n  --hash=sha256:aa\n# c\n-r x.txt\nb[x]==2 ; python_version<'3'\n")
	f.Add("\\\n\\")
	f.Fuzz(func(t *testing.T, text string) {
		pins, err := readRequirementsPins("requirements.txt", []byte(text))
		var me *MigrationError
		if err != nil && (!errors.As(err, &me) || me.Line < 1) {
			t.Fatalf("error %v is not a *MigrationError with a line", err)
		}
		for _, p := range pins {
			if p.name == "" {
				t.Fatalf("pin without a name from %q", text)
			}
		}
	})
}

func FuzzReadTOMLLock(f *testing.F) {
	f.Add("[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { registry = \"x\" }\n")
	f.Add("[[package]]\nname = 1\n")
	f.Fuzz(func(t *testing.T, text string) {
		pins, err := readTOMLLock("x.lock", []byte(text))
		var me *MigrationError
		if err != nil && !errors.As(err, &me) {
			t.Fatalf("error %v is not a *MigrationError", err)
		}
		for _, p := range pins {
			if p.name == "" {
				t.Fatalf("pin without a name from %q", text)
			}
		}
	})
}
