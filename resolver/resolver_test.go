package resolver

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// pkgSpec is one version of a test index: "name version" and its requirements.
type pkgSpec struct {
	id   string
	reqs []string
}

func index(specs ...pkgSpec) *memProvider {
	m := &memProvider{}
	for _, s := range specs {
		name, version, _ := strings.Cut(s.id, " ")
		m.add(name, version, s.reqs...)
	}
	return m
}

func v(id string, reqs ...string) pkgSpec { return pkgSpec{id: id, reqs: reqs} }

func requirements(t testing.TB, lines ...string) []pep508.Requirement {
	t.Helper()
	var out []pep508.Requirement
	for _, l := range lines {
		r, err := pep508.ParseRequirement(l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func pins(res *Resolution) string {
	var parts []string
	for _, p := range res.Packages {
		s := p.Name
		if len(p.Extras) > 0 {
			s += "[" + strings.Join(p.Extras, ",") + "]"
		}
		parts = append(parts, s+"=="+p.Version.String())
	}
	return strings.Join(parts, " ")
}

func TestResolve(t *testing.T) {
	py311 := pep440.MustParse("3.11")
	tests := []struct {
		name  string
		index *memProvider
		roots []string
		opts  Options
		want  string // pins, or "" for no solution
	}{
		{
			name:  "no conflicts",
			index: index(v("foo 1.0.0", "bar>=1.0.0,<2"), v("bar 1.0.0"), v("bar 2.0.0")),
			roots: []string{"foo>=1.0.0,<2"},
			want:  "bar==1.0.0 foo==1.0.0",
		},
		{
			name: "avoiding conflict during decision making",
			index: index(v("foo 1.1.0", "bar>=2.0.0,<3"), v("foo 1.0.0"),
				v("bar 1.0.0"), v("bar 1.1.0"), v("bar 2.0.0")),
			roots: []string{"foo>=1.0.0,<2", "bar>=1.0.0,<2"},
			want:  "bar==1.1.0 foo==1.0.0",
		},
		{
			name:  "performing conflict resolution",
			index: index(v("foo 2.0.0", "bar>=1.0.0,<2"), v("foo 1.0.0"), v("bar 1.0.0", "foo>=1.0.0,<2")),
			roots: []string{"foo>=1.0.0"},
			want:  "foo==1.0.0",
		},
		{
			name: "conflict resolution with a partial satisfier",
			index: index(
				v("foo 1.1.0", "left>=1.0.0,<2", "right>=1.0.0,<2"), v("foo 1.0.0"),
				v("left 1.0.0", "shared>=1.0.0"), v("right 1.0.0", "shared<2.0.0"),
				v("shared 2.0.0"), v("shared 1.0.0", "target>=1.0.0,<2"),
				v("target 2.0.0"), v("target 1.0.0")),
			roots: []string{"foo>=1.0.0,<2", "target>=2.0.0,<3"},
			want:  "foo==1.0.0 target==2.0.0",
		},
		{
			name:  "linear error",
			index: index(v("foo 1.0.0", "bar>=2.0.0,<3"), v("bar 2.0.0", "baz>=3.0.0,<4"), v("baz 1.0.0"), v("baz 3.0.0")),
			roots: []string{"foo>=1.0.0,<2", "baz>=1.0.0,<2"},
		},
		{
			name:  "markers are evaluated",
			index: index(v("a 1.0", "b; sys_platform == 'win32'", "c; sys_platform == 'linux'"), v("b 1.0"), v("c 1.0")),
			roots: []string{"a", "d; python_version < '3'"},
			opts:  Options{Environment: pep508.Environment{Vars: map[string]string{"sys_platform": "linux", "python_version": "3.12"}}},
			want:  "a==1.0 c==1.0",
		},
		{
			name: "extras require other extras of the same package",
			index: index(v("a 1.0", "b; extra == 'x'", "a[y]; extra == 'x'", "c; extra == 'y'"),
				v("a 2.0"), v("b 1.0"), v("c 1.0")),
			roots: []string{"a[x]<2"},
			want:  "a[x,y]==1.0 b==1.0 c==1.0",
		},
		{
			name:  "an extra pins the base package's version",
			index: index(v("a 1.0", "b; extra == 'x'"), v("a 2.0", "b<1; extra == 'x'"), v("b 1.0")),
			roots: []string{"a", "a[x]"},
			want:  "a[x]==1.0 b==1.0",
		},
		{
			name:  "requires-python makes versions unavailable",
			index: withPython(index(v("a 1.0"), v("a 2.0")), "a", "2.0", ">=3.12"),
			roots: []string{"a"},
			opts:  Options{Python: &py311},
			want:  "a==1.0",
		},
		{
			name:  "yanked versions only when pinned",
			index: yank(index(v("a 1.0"), v("a 2.0"), v("b 1.0"), v("b 2.0")), "a", "2.0", "b", "2.0"),
			roots: []string{"a", "b==2.0"},
			want:  "a==1.0 b==2.0",
		},
		{
			name:  "final releases before pre-releases",
			index: index(v("a 1.0"), v("a 2.0a1"), v("b 1.0a1"), v("b 1.0a2")),
			roots: []string{"a>=0.1a1", "b"},
			want:  "a==1.0 b==1.0a2",
		},
		{
			name:  "pre-releases allowed",
			index: index(v("a 1.0"), v("a 2.0a1")),
			roots: []string{"a"},
			opts:  Options{Prereleases: PrereleaseAllow},
			want:  "a==2.0a1",
		},
		{
			name:  "pre-releases disallowed",
			index: index(v("a 2.0a1")),
			roots: []string{"a"},
			opts:  Options{Prereleases: PrereleaseDisallow},
		},
		{
			name:  "lowest",
			index: index(v("a 1.0", "b"), v("a 2.0"), v("b 1.0"), v("b 2.0")),
			roots: []string{"a"},
			opts:  Options{Strategy: StrategyLowest},
			want:  "a==1.0 b==1.0",
		},
		{
			name:  "lowest direct",
			index: index(v("a 1.0", "b"), v("a 2.0", "b"), v("b 1.0"), v("b 2.0")),
			roots: []string{"a"},
			opts:  Options{Strategy: StrategyLowestDirect},
			want:  "a==1.0 b==2.0",
		},
		{
			name:  "root ranges",
			index: index(v("a 1.0"), v("a 2.0"), v("a 3.0")),
			opts:  Options{RootRanges: []RootRange{{Name: "A", Range: rangeOf("<2").Union(rangeOf(">=3,<4"))}}},
			want:  "a==3.0",
		},
		{
			name:  "names are normalized",
			index: index(v("Foo.Bar 1.0", "Baz_Qux"), v("baz.qux 1.0")),
			roots: []string{"foo_bar"},
			want:  "baz-qux==1.0 foo-bar==1.0",
		},
		{
			name:  "unknown package",
			index: index(v("a 1.0")),
			roots: []string{"reqeusts"},
		},
		{
			name:  "a preferred version is tried first",
			index: index(v("a 1.0"), v("a 2.0"), v("a 3.0"), v("b 1.0"), v("b 2.0")),
			roots: []string{"a", "b>=2"},
			opts:  Options{Preferences: map[string]pep440.Version{"a": pep440.MustParse("2.0"), "b": pep440.MustParse("1.0")}},
			want:  "a==2.0 b==2.0",
		},
		{
			name:  "preferences hold for every strategy",
			index: index(v("a 1.0"), v("a 2.0"), v("a 3.0")),
			roots: []string{"a"},
			opts:  Options{Strategy: StrategyLowest, Preferences: map[string]pep440.Version{"a": pep440.MustParse("2.0")}},
			want:  "a==2.0",
		},
		{
			name:  "backjump past an unrelated decision",
			index: index(v("a 2.0", "c==2"), v("a 1.0", "c==1"), v("b 1.0"), v("b 2.0"), v("c 1.0"), v("c 2.0", "d<1"), v("d 1.0")),
			roots: []string{"a", "b", "d"},
			want:  "a==1.0 b==2.0 c==1.0 d==1.0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Resolve(context.Background(), tt.index, requirements(t, tt.roots...), tt.opts)
			var ns *NoSolutionError
			switch {
			case tt.want == "" && errors.As(err, &ns):
				if got := Explain(ns.Tree); !strings.Contains(got, "hint:") {
					t.Errorf("explanation has no hint:\n%s", got)
				}
			case err != nil:
				t.Fatalf("want %q, got error %v", tt.want, err)
			case tt.want == "":
				t.Fatalf("want no solution, got %s", pins(res))
			case pins(res) != tt.want:
				t.Errorf("got %s, want %s", pins(res), tt.want)
			}
		})
	}
}

func rangeOf(spec string) pep440.Range {
	s, err := pep440.ParseSpecifierSet(spec)
	if err != nil {
		panic(err)
	}
	return s.Range()
}

func withPython(m *memProvider, name, version, rp string) *memProvider {
	for i := range m.pkgs[name] {
		if m.pkgs[name][i].cand.Version.String() == version {
			m.pkgs[name][i].cand.RequiresPython, _ = pep440.ParseSpecifierSet(rp)
		}
	}
	return m
}

func yank(m *memProvider, nameVersions ...string) *memProvider {
	for i := 0; i+1 < len(nameVersions); i += 2 {
		name, version := nameVersions[i], nameVersions[i+1]
		for j := range m.pkgs[name] {
			if m.pkgs[name][j].cand.Version.String() == version {
				m.pkgs[name][j].cand.Yanked = true
			}
		}
	}
	return m
}

func TestDependents(t *testing.T) {
	m := index(v("a 1.0", "c>=1", "b[x]; extra == 'extra'"), v("b 1.0", "c<2; extra == 'x'"), v("c 1.0"))
	res, err := Resolve(context.Background(), m, requirements(t, "a[extra]", "c"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, ok := res.Get("c")
	if !ok {
		t.Fatal("c not resolved")
	}
	var got []string
	for _, e := range c.Dependents {
		got = append(got, e.From+"["+e.FromExtra+"] "+e.Requirement.Name+e.Requirement.Specifier.String())
	}
	want := "[] c|a[] c>=1|b[x] c<2"
	if strings.Join(got, "|") != want {
		t.Errorf("dependents of c:\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	b, _ := res.Get("b")
	if len(b.Extras) != 1 || b.Extras[0] != "x" {
		t.Errorf("extras of b = %v, want [x]", b.Extras)
	}
}

type failingProvider struct{ memProvider }

var errIndexDown = errors.New("index down")

func (f *failingProvider) Requirements(context.Context, string, pep440.Version) ([]pep508.Requirement, error) {
	return nil, errIndexDown
}

func TestProviderErrorsAbort(t *testing.T) {
	f := &failingProvider{*index(v("a 1.0"))}
	_, err := Resolve(context.Background(), f, requirements(t, "a"), Options{})
	var pe *ProviderError
	if !errors.As(err, &pe) || !errors.Is(err, errIndexDown) || pe.Name != "a" {
		t.Fatalf("got %v, want a ProviderError wrapping errIndexDown", err)
	}
}

func TestContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Resolve(ctx, index(v("a 1.0")), requirements(t, "a"), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestProviderCallsAreCached(t *testing.T) {
	m := index(v("a 1.0", "b"), v("a 2.0", "b", "c==9"), v("b 1.0"), v("c 1.0"))
	if _, err := Resolve(context.Background(), m, requirements(t, "a", "b"), Options{}); err != nil {
		t.Fatal(err)
	}
	// Versions of a, b, c; requirements of a 2.0, a 1.0, b 1.0.
	if m.calls > 6 {
		t.Errorf("%d provider calls, want at most 6", m.calls)
	}
}

func TestDeterministic(t *testing.T) {
	m := index(v("a 1.0", "b", "c"), v("b 1.0", "d"), v("c 1.0", "d"), v("d 1.0"), v("d 2.0"))
	first := ""
	for i := 0; i < 20; i++ {
		res, err := Resolve(context.Background(), m, requirements(t, "a"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := pins(res)
		for _, p := range res.Packages {
			for _, e := range p.Dependents {
				got += " " + e.From + ">" + p.Name
			}
		}
		if first == "" {
			first = got
		} else if got != first {
			t.Fatalf("run %d: %s, first run: %s", i, got, first)
		}
	}
}
