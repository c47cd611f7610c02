package pep508

import (
	"slices"
	"testing"
)

func TestResolveSelection(t *testing.T) {
	env := Environment{Extras: []string{"cli"}, DependencyGroups: []string{"dev"}}
	tests := []struct {
		marker string
		want   string
		ok     bool
	}{
		{``, ``, true},
		{`python_version < "3.11"`, `python_version < "3.11"`, true},
		{`"cli" in extras`, ``, true},
		{`"CLI" in extras`, ``, true},
		{`"test" in dependency_groups`, ``, false},
		{`"test" not in dependency_groups`, ``, true},
		{`extras == "cli"`, ``, false},
		{`platform_system == "Windows" and "cli" in extras or sys_platform == "win32" and "test" in dependency_groups`,
			`platform_system == "Windows"`, true},
		{`platform_system == "Windows" and "web" in extras or sys_platform == "win32" and "test" in dependency_groups`, ``, false},
		{`("cli" in extras or "dev" in dependency_groups) and (os_name == "nt" or python_version < "3.10")`,
			`os_name == "nt" or python_version < "3.10"`, true},
		{`("web" in extras or python_version < "3.10") and os_name == "nt"`,
			`python_version < "3.10" and os_name == "nt"`, true},
		{`"dev" in dependency_groups or os_name == "nt"`, ``, true},
		{`python_version < "3.10" and ("dev" in dependency_groups or os_name == "nt")`, `python_version < "3.10"`, true},
		{`os_name == "nt" and (python_version < "3.10" or sys_platform == "linux") and "cli" in extras`,
			`os_name == "nt" and (python_version < "3.10" or sys_platform == "linux")`, true},
	}
	for _, tt := range tests {
		got, ok := mustMarker(t, tt.marker).ResolveSelection(env)
		if got.String() != tt.want || ok != tt.ok {
			t.Errorf("ResolveSelection(%q) = %q, %v; want %q, %v", tt.marker, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSelectionNames(t *testing.T) {
	tests := []struct {
		marker         string
		extras, groups []string
	}{
		{``, nil, nil},
		{`python_version < "3.11"`, nil, nil},
		{`"CLI" in extras and "Dev_Tools" not in dependency_groups`, []string{"cli"}, []string{"dev-tools"}},
		{`"a" in extras or ("b" in extras and "a" in extras) or "a" in dependency_groups`, []string{"a", "b"}, []string{"a"}},
		{`extras == "x"`, nil, nil},
		{`"x" == extras`, nil, nil},
	}
	for _, tt := range tests {
		extras, groups := mustMarker(t, tt.marker).SelectionNames()
		if !slices.Equal(extras, tt.extras) || !slices.Equal(groups, tt.groups) {
			t.Errorf("SelectionNames(%q) = %q, %q; want %q, %q", tt.marker, extras, groups, tt.extras, tt.groups)
		}
	}
}

// anyTestsSelection reports whether a comparison under n tests extras or
// dependency_groups.
func anyTestsSelection(n *node) bool {
	if n.kind == leafNode {
		return n.cmp.testsSelection()
	}
	return slices.ContainsFunc(n.kids, anyTestsSelection)
}

// FuzzResolveSelection checks that what ResolveSelection leaves of a marker
// no longer tests the selection, holds (with the same selection) exactly
// where the marker does, and reads back as a marker.
func FuzzResolveSelection(f *testing.F) {
	for _, s := range []string{`"cli" in extras`, `(os_name == "nt" or "dev" in dependency_groups) and python_version < "3.10"`,
		`"a" not in extras or sys_platform == "win32" and "b" in dependency_groups`,
		`("web" in extras or python_version < "3.10") and os_name == "nt"`} {
		f.Add(s)
	}
	selection := Environment{Extras: []string{"cli", "a"}, DependencyGroups: []string{"dev"}}
	envs := []map[string]string{
		{"os_name": "nt", "python_version": "3.9", "sys_platform": "win32"},
		{"os_name": "posix", "python_version": "3.12", "sys_platform": "linux"},
	}
	f.Fuzz(func(t *testing.T, marker string) {
		m, err := ParseMarker(marker)
		if err != nil {
			return
		}
		rest, ok := m.ResolveSelection(selection)
		if rest.root != nil && anyTestsSelection(rest.root) {
			t.Errorf("ResolveSelection(%q) = %q: still tests the selection", marker, rest)
		}
		if _, err := ParseMarker(rest.String()); err != nil && !rest.IsTrue() {
			t.Fatalf("ResolveSelection(%q) = %q: %v", marker, rest, err)
		}
		for _, vars := range envs {
			env := selection
			env.Vars = vars
			if want, got := m.Evaluate(env), ok && rest.Evaluate(env); got != want {
				t.Errorf("ResolveSelection(%q) = %q, %v: evaluates to %v where the marker is %v (%v)", marker, rest, ok, got, want, vars)
			}
		}
	})
}
