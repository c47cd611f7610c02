package project

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/lockfile"
)

func lockOf(pkgs ...string) *lockfile.File {
	f := &lockfile.File{}
	for i := 0; i+1 < len(pkgs); i += 2 {
		f.Packages = append(f.Packages, lockfile.Package{Name: pkgs[i], Version: pkgs[i+1]})
	}
	return f
}

func TestDiffLocks(t *testing.T) {
	tests := []struct {
		name      string
		old, now  *lockfile.File
		want      []PackageChange
		wantWords []string
	}{
		{"same", lockOf("idna", "3.6"), lockOf("IDNA", "3.6"), nil, nil},
		{"upgraded", lockOf("idna", "3.6"), lockOf("idna", "3.7"),
			[]PackageChange{{Name: "idna", Kind: ChangeUpgraded, Old: []string{"3.6"}, New: []string{"3.7"}}},
			[]string{"idna 3.6 → 3.7"}},
		{"downgraded by PEP 440 order", lockOf("a", "1.10"), lockOf("a", "1.9"),
			[]PackageChange{{Name: "a", Kind: ChangeDowngraded, Old: []string{"1.10"}, New: []string{"1.9"}}},
			[]string{"a 1.10 → 1.9"}},
		{"added and removed", lockOf("Old_Pkg", "1.0"), lockOf("new", "2.0"),
			[]PackageChange{
				{Name: "new", Kind: ChangeAdded, New: []string{"2.0"}},
				{Name: "old-pkg", Kind: ChangeRemoved, Old: []string{"1.0"}},
			},
			[]string{"new 2.0", "old-pkg 1.0"}},
		{"version sets compared", lockOf("num", "2.0", "num", "1.0"), lockOf("num", "1.0", "num", "2.1"),
			[]PackageChange{{Name: "num", Kind: ChangeChanged, Old: []string{"1.0", "2.0"}, New: []string{"1.0", "2.1"}}},
			[]string{"num 1.0, 2.0 → 1.0, 2.1"}},
		{"same set in another order", lockOf("num", "2.0", "num", "1.0"), lockOf("num", "1.0", "num", "2.0"), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DiffLocks(tt.old, tt.now)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("DiffLocks = %#v, want %#v", got, tt.want)
			}
			for i, c := range got {
				if c.String() != tt.wantWords[i] {
					t.Errorf("String() = %q, want %q", c.String(), tt.wantWords[i])
				}
			}
		})
	}
}

func TestPreferencesOfLiftsNamedPackages(t *testing.T) {
	prefs := preferencesOf(lockOf("idna", "3.6", "sniffio", "1.3.1"), false, []string{"IDNA"})
	if _, ok := prefs["idna"]; ok {
		t.Errorf("idna still preferred: %v", prefs)
	}
	if v, ok := prefs["sniffio"]; !ok || v.String() != "1.3.1" {
		t.Errorf("sniffio preference = %v, %v; want 1.3.1", v, ok)
	}
}

// numIndex is an index whose num package forks by Python version, with the
// given releases.
func numIndex(t *testing.T, versions ...testindex.ReleaseSpec) *testindex.Index {
	t.Helper()
	ix, err := testindex.FromSpecs([]testindex.Spec{{Name: "num", Releases: versions}}, testindex.SpecOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestUpdateUniversal updates a universal lock holding two versions of one
// package: the change compares the version sets, and a dry run writes nothing.
func TestUpdateUniversal(t *testing.T) {
	old := []testindex.ReleaseSpec{{Version: "1.0", RequiresPython: ">=3.8"}, {Version: "2.0", RequiresPython: ">=3.10"}}
	srv, err := testindex.Serve(numIndex(t, old...), testindex.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	pyproject := "[project]\nname = \"demo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.8\"\n" +
		"dependencies = [\"num>=2; python_version >= '3.10'\", \"num<2; python_version < '3.10'\"]\n"
	if err := os.WriteFile(filepath.Join(dir, PyprojectName), []byte(pyproject), 0o644); err != nil {
		t.Fatal(err)
	}
	settings := Settings{Dir: dir, IndexURL: srv.URL() + "/simple/", CacheDir: t.TempDir(), Refresh: true}
	p, err := New(settings)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := p.Lock(ctx, LockOptions{}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(p.LockPath())
	if err != nil {
		t.Fatal(err)
	}
	srv.SetIndex(numIndex(t, append(old, testindex.ReleaseSpec{Version: "2.1", RequiresPython: ">=3.10"})...))

	tests := []struct {
		name    string
		opts    UpdateOptions
		want    []PackageChange
		written bool
	}{
		{"dry run", UpdateOptions{DryRun: true},
			[]PackageChange{{Name: "num", Kind: ChangeChanged, Old: []string{"1.0", "2.0"}, New: []string{"1.0", "2.1"}}}, false},
		{"named", UpdateOptions{Packages: []string{"NUM"}},
			[]PackageChange{{Name: "num", Kind: ChangeChanged, Old: []string{"1.0", "2.0"}, New: []string{"1.0", "2.1"}}}, true},
		{"again", UpdateOptions{}, nil, false},
	}
	for _, tt := range tests {
		res, err := p.Update(ctx, tt.opts)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !reflect.DeepEqual(res.Changes, tt.want) || res.Changed != (tt.want != nil) {
			t.Errorf("%s: changes %#v (changed %v), want %#v", tt.name, res.Changes, res.Changed, tt.want)
		}
		after, _ := os.ReadFile(p.LockPath())
		if written := !bytes.Equal(after, before); written != tt.written {
			t.Errorf("%s: lock written = %v, want %v", tt.name, written, tt.written)
		}
		before = after
	}
	var notLocked *NotLockedError
	if _, err := p.Update(ctx, UpdateOptions{Packages: []string{"other"}}); !errors.As(err, &notLocked) {
		t.Errorf("update of an unlocked package: err = %v, want *NotLockedError", err)
	}
}
