package project

import (
	"strings"
	"testing"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pyproject"
	"github.com/pylock/pylock/resolver"
)

func req(t *testing.T, s string) pep508.Requirement {
	t.Helper()
	r, err := pep508.ParseRequirement(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func deps(t *testing.T, reqs ...string) []pyproject.Dependency {
	var out []pyproject.Dependency
	for _, s := range reqs {
		out = append(out, pyproject.Dependency{Requirement: req(t, s)})
	}
	return out
}

// resolved builds a resolution from "from -> to" edges; from "" is the root,
// and "pkg[x]" is pkg's extra x.
func resolved(t *testing.T, edges map[string][]string) *resolver.Resolution {
	dependents := map[string][]resolver.Edge{}
	for from, tos := range edges {
		name, extra, _ := strings.Cut(strings.TrimSuffix(from, "]"), "[")
		for _, to := range tos {
			r := req(t, to)
			dependents[r.NormalizedName()] = append(dependents[r.NormalizedName()], resolver.Edge{From: name, FromExtra: extra, Requirement: r})
		}
	}
	res := &resolver.Resolution{}
	for name, es := range dependents {
		res.Packages = append(res.Packages, resolver.ResolvedPackage{Name: name, Version: pep440.MustParse("1.0"), Dependents: es})
	}
	return res
}

func TestPackageMarkers(t *testing.T) {
	env := pep508.Environment{Vars: map[string]string{"python_version": "3.11", "sys_platform": "linux"}}
	origins := []origin{
		{deps: deps(t, "httpx")},
		{marker: "'socks' in extras", deps: deps(t, "httpx[socks]")},
		{marker: "'dev' in dependency_groups", deps: deps(t, "pytest", "anyio")},
		{marker: "'win' in dependency_groups", deps: deps(t, "colorama; sys_platform == 'win32'")},
	}
	res := resolved(t, map[string][]string{
		"":             {"httpx", "pytest", "anyio"},
		"httpx":        {"anyio", "idna"},
		"httpx[socks]": {"socksio"},
		"pytest":       {"iniconfig"},
	})
	got := packageMarkers(res, origins, env)
	want := map[string]string{
		"httpx":     "",
		"anyio":     "",
		"idna":      "",
		"socksio":   "'socks' in extras",
		"pytest":    "'dev' in dependency_groups",
		"iniconfig": "'dev' in dependency_groups",
	}
	for name, marker := range want {
		m, ok := got[name]
		if !ok || m != marker {
			t.Errorf("%s: marker %q (present %v), want %q", name, m, ok, marker)
		}
	}
	if len(got) != len(want) {
		t.Errorf("markers for %d packages, want %d: %v", len(got), len(want), got)
	}
}

func TestJoinMarkers(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"'b' in extras", "'a' in dependency_groups"}, "'a' in dependency_groups or 'b' in extras"},
		{[]string{"'b' in extras", ""}, ""},
		{[]string{"'x' in extras"}, "'x' in extras"},
	}
	for _, tt := range tests {
		if got := joinMarkers(tt.in); got != tt.want {
			t.Errorf("joinMarkers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
