package project

import (
	"errors"
	"reflect"
	"testing"

	"github.com/pylock/pylock/lockfile"
)

func treeLock(sections ...lockfile.Section) *lockfile.File {
	dep := func(names ...string) []lockfile.Dependency {
		var deps []lockfile.Dependency
		for _, n := range names {
			deps = append(deps, lockfile.Dependency{Name: n})
		}
		return deps
	}
	return &lockfile.File{
		Packages: []lockfile.Package{
			{Name: "a", Version: "1.0", Dependencies: dep("b", "c")},
			{Name: "b", Version: "2.0", Dependencies: dep("c")},
			{Name: "c", Version: "3.0", Dependencies: dep("a")}, // a cycle
			{Name: "d", Version: "4.0"},
			{Name: "d", Version: "4.1"},
		},
		Pylock: lockfile.ToolPylock{Sections: sections},
	}
}

func TestGraphChains(t *testing.T) {
	recorded := lockfile.Section{Label: lockfile.LabelDependencies, Requirements: []string{"A>=1", "d", "missing"}}
	tests := []struct {
		name    string
		lock    *lockfile.File
		pkg     string
		roots   []string
		chains  [][]string
		missing bool
	}{
		{name: "recorded roots", lock: treeLock(recorded), pkg: "C",
			roots: []string{"a", "d"}, chains: [][]string{{"a", "b", "c"}, {"a", "c"}}},
		{name: "roots nothing depends on", lock: treeLock(), pkg: "d",
			roots: []string{"d"}, chains: [][]string{{"d"}}},
		{name: "not locked", lock: treeLock(recorded), pkg: "flask", roots: []string{"a", "d"}, missing: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewGraph("demo", tt.lock)
			if !reflect.DeepEqual(g.Roots, tt.roots) {
				t.Errorf("roots = %q, want %q", g.Roots, tt.roots)
			}
			chains, err := g.Chains(tt.pkg, "pylock.toml")
			var notIn *NotInLockError
			if tt.missing != errors.As(err, &notIn) {
				t.Fatalf("Chains(%q) error = %v, want missing %v", tt.pkg, err, tt.missing)
			}
			if !reflect.DeepEqual(chains, tt.chains) {
				t.Errorf("Chains(%q) = %q, want %q", tt.pkg, chains, tt.chains)
			}
		})
	}
	if v := NewGraph("demo", treeLock()).Nodes["d"].Version; v != "4.0, 4.1" {
		t.Errorf("merged version = %q, want %q", v, "4.0, 4.1")
	}
}
