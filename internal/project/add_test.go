package project

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pyproject"
)

// editProject is a project folder with pyproject.toml holding text (and
// pylock.toml, when lock is set, locked from it) against an index of num
// 1.0 and 1.2.
func editProject(t *testing.T, text string, lock bool) *Project {
	t.Helper()
	ix := numIndex(t, testindex.ReleaseSpec{Version: "1.0"}, testindex.ReleaseSpec{Version: "1.2"})
	srv, err := testindex.Serve(ix, testindex.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, PyprojectName), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := New(Settings{Dir: dir, IndexURL: srv.URL() + "/simple/", CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if lock {
		if _, err := p.Lock(context.Background(), LockOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

const (
	pep621Project = "[project]\nname = \"demo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.9\"\ndependencies = [\n    # none yet\n]\n"
	poetryProject = "[tool.poetry]\nname = \"demo\"\nversion = \"0.1.0\"\n\n[tool.poetry.dependencies]\npython = \"^3.9\"\n"
	lockedProject = "[project]\nname = \"demo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.9\"\ndependencies = [\"num==1.0\"]\n"
)

// TestAdd adds a requirement, locks, and checks what pyproject.toml says
// and that the lock holds the package.
func TestAdd(t *testing.T) {
	tests := []struct {
		name    string
		project string
		opts    AddOptions
		want    string // a line pyproject.toml must hold
		version string // num's locked version
	}{
		{"lower bound from the lock", pep621Project, AddOptions{Requirements: []string{"NUM"}}, `    "NUM>=1.2",`, "1.2"},
		{"version given", pep621Project, AddOptions{Requirements: []string{"num<1.2"}}, `    "num<1.2",`, "1.0"},
		{"group", pep621Project, AddOptions{Requirements: []string{"num"}, Group: "test"}, `    "num>=1.2",`, "1.2"},
		{"poetry caret", poetryProject, AddOptions{Requirements: []string{"num"}}, `num = "^1.2"`, "1.2"},
		{"poetry extra", poetryProject, AddOptions{Requirements: []string{"num"}, Extra: "n"}, `n = ["num"]`, "1.2"},
		{"replace keeps the locked version", lockedProject, AddOptions{Requirements: []string{"num>=1.0"}}, `dependencies = ["num>=1.0"]`, "1.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := editProject(t, tt.project, strings.Contains(tt.project, "num"))
			res, err := p.Add(context.Background(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(p.PyprojectPath())
			if !strings.Contains(string(data), tt.want+"\n") {
				t.Errorf("pyproject.toml lacks %q:\n%s", tt.want, data)
			}
			if len(res.Changes) != 1 || res.Changes[0].Name != "num" || !res.Lock.Changed {
				t.Errorf("result = %+v, lock %+v", res.Changes, res.Lock)
			}
			checkLockedVersion(t, p, "num", tt.version)
		})
	}
}

func checkLockedVersion(t *testing.T, p *Project, name, version string) {
	t.Helper()
	lock, err := lockfile.ReadFile(p.LockPath())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pkg := range lock.Packages {
		if pkg.Name == name {
			got = append(got, pkg.Version)
		}
	}
	if version == "" && len(got) > 0 || version != "" && (len(got) != 1 || got[0] != version) {
		t.Errorf("%s locked at %v, want %q", name, got, version)
	}
}

// TestEditFailureRestores checks that an edit that cannot be locked, or
// not made, leaves pyproject.toml byte-identical and pylock.toml as it was.
func TestEditFailureRestores(t *testing.T) {
	tests := []struct {
		name    string
		project string
		run     func(p *Project) error
		check   func(err error) bool
	}{
		{"unknown package", pep621Project, func(p *Project) error {
			_, err := p.Add(context.Background(), AddOptions{Requirements: []string{"nope"}})
			return err
		}, func(err error) bool {
			var e *NotLockedEditError
			return errors.As(err, &e) && strings.Contains(err.Error(), "nope")
		}},
		{"conflict", lockedProject, func(p *Project) error {
			_, err := p.Add(context.Background(), AddOptions{Requirements: []string{"num>=5"}})
			return err
		}, func(err error) bool {
			var e *NotLockedEditError
			return errors.As(err, &e) && strings.Contains(err.Error(), "num")
		}},
		{"bad requirement", lockedProject, func(p *Project) error {
			_, err := p.Add(context.Background(), AddOptions{Requirements: []string{"num>>1"}})
			return err
		}, func(err error) bool {
			var e *RequirementArgError
			return errors.As(err, &e) && e.Text == "num>>1"
		}},
		{"remove not declared", lockedProject, func(p *Project) error {
			_, err := p.Remove(context.Background(), RemoveOptions{Packages: []string{"idna"}})
			return err
		}, func(err error) bool {
			var e *pyproject.NotDeclaredError
			return errors.As(err, &e) && e.Name == "idna"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := editProject(t, tt.project, tt.project == lockedProject)
			lockBefore, _ := os.ReadFile(p.LockPath())
			err := tt.run(p)
			if err == nil || !tt.check(err) {
				t.Fatalf("error = %v (%T)", err, err)
			}
			data, _ := os.ReadFile(p.PyprojectPath())
			if string(data) != tt.project {
				t.Errorf("pyproject.toml changed:\n%s", data)
			}
			lockAfter, _ := os.ReadFile(p.LockPath())
			if string(lockAfter) != string(lockBefore) {
				t.Errorf("pylock.toml changed")
			}
			if entries, _ := os.ReadDir(filepath.Dir(p.PyprojectPath())); len(entries) > 2 {
				t.Errorf("left behind: %v", entries)
			}
		})
	}
}

// TestRemove removes a package and relocks without it.
func TestRemove(t *testing.T) {
	p := editProject(t, lockedProject, true)
	res, err := p.Remove(context.Background(), RemoveOptions{Packages: []string{"NUM"}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p.PyprojectPath())
	if !strings.Contains(string(data), "dependencies = []\n") {
		t.Errorf("pyproject.toml:\n%s", data)
	}
	if len(res.Changes) != 1 || res.Changes[0].Old != "num==1.0" {
		t.Errorf("changes = %+v", res.Changes)
	}
	checkLockedVersion(t, p, "num", "")
}

func TestLowestLocked(t *testing.T) {
	tests := []struct {
		name string
		lock *lockfile.File
		req  string
		want string
	}{
		{"one version", lockOf("num", "1.2"), "Num", "1.2"},
		{"forked: the lowest", lockOf("num", "2.0", "num", "1.10", "num", "1.9"), "num", "1.9"},
		{"local label dropped", lockOf("num", "1.2+cpu"), "num", "1.2"},
		{"not locked", lockOf("other", "1.0"), "num", ""},
		{"version given", lockOf("num", "1.2"), "num>=1", ""},
		{"url", lockOf("num", "1.2"), "num @ https://example.com/num-1.2.tar.gz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := pep508.ParseRequirement(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := lowestLocked(tt.lock, r); got != tt.want {
				t.Errorf("lowestLocked = %q, want %q", got, tt.want)
			}
		})
	}
}
