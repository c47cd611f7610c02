package resolver

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/explain")

// explainDir holds one golden explanation per failure case.
var explainDir = filepath.Join("testdata", "explain")

// explainCase is a resolution that fails, and the golden file its
// explanation must match.
type explainCase struct {
	name  string
	index *memProvider
	roots []string
	opts  Options
}

var explainPy39, explainPy312 = pep440.MustParse("3.9"), pep440.MustParse("3.12")

// explainCases are the failures the explanation is written for, beyond
// the packse scenarios.
func explainCases() []explainCase {
	return []explainCase{{
		name:  "direct-conflict",
		index: index(v("foo 1.0", "bar>=2"), v("foo 1.1", "bar>=2"), v("bar 1.0"), v("bar 2.0")),
		roots: []string{"foo", "bar<2"},
	}, {
		name: "transitive-chain",
		index: index(v("web 1.0", "lib>=1.0"), v("lib 1.0", "core>=2.0"), v("lib 1.1", "core>=2.0"),
			v("core 1.0"), v("core 2.0")),
		roots: []string{"web", "core<2"},
	}, {
		name:  "no-versions-in-range",
		index: index(v("a 1.0"), v("a 1.5")),
		roots: []string{"a>=2"},
	}, {
		name:  "unknown-package",
		index: index(v("requests 2.32.0")),
		roots: []string{"reqeusts>=2"},
	}, {
		name:  "yanked-only",
		index: yank(index(v("a 1.0"), v("a 1.1")), "a", "1.0", "a", "1.1"),
		roots: []string{"a>=1.0"},
	}, {
		name:  "prereleases-only",
		index: index(v("a 1.0a1"), v("a 1.0b2")),
		roots: []string{"a"},
		opts:  Options{Prereleases: PrereleaseDisallow},
	}, {
		name:  "requires-python-mismatch",
		index: withPython(withPython(index(v("a 1.0"), v("a 2.0")), "a", "1.0", ">=3.10"), "a", "2.0", ">=3.11"),
		roots: []string{"a"},
		opts:  Options{Python: &explainPy39},
	}, {
		name: "extras-conflict",
		index: index(v("web 1.0", "cryptography>=42; extra == 'tls'"), v("web 1.1", "cryptography>=42; extra == 'tls'"),
			v("cryptography 41.0"), v("cryptography 42.0")),
		roots: []string{"web[tls]", "cryptography<42"},
	}, {
		name: "many-versions",
		index: index(v("chalice 1.0", "pip>=9,<10"), v("chalice 1.1", "pip>=9,<11"), v("chalice 1.2", "pip>=9,<=18"),
			v("chalice 1.3", "pip>=9,<19.3"), v("chalice 1.4", "pip>=9,<19.4"), v("pip 9.0"), v("pip 19.0"), v("pip 20.0")),
		roots: []string{"chalice>=1.0", "pip>=20"},
	}, {
		name: "shared-sub-derivation",
		index: withPython(yank(index(v("core 1.0", "plugin!=4.0", "plugin>=1.0,<3.0"), v("core 2.0", "plugin; extra == 'y'"),
			v("core 3.0a1"), v("core 3.0"), v("plugin 2.0", "core<1.0"), v("plugin 3.0a1", "core[y]"), v("plugin 3.0")),
			"plugin", "3.0a1", "plugin", "3.0"), "plugin", "3.0", ">=3.13"),
		roots: []string{"core[x,y]<3.0a1"},
		opts:  Options{Python: &explainPy312},
	}}
}

func TestExplainGolden(t *testing.T) {
	want := map[string]bool{}
	for _, c := range explainCases() {
		want[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			_, err := Resolve(context.Background(), c.index, requirements(t, c.roots...), c.opts)
			checkGolden(t, c.name, err)
		})
	}
	for _, sc := range unsatisfiableScenarios(t) {
		if want[sc.Name] {
			t.Fatalf("two cases named %s", sc.Name)
		}
		want[sc.Name] = true
		t.Run(sc.Name, func(t *testing.T) {
			checkGolden(t, sc.Name, resolveScenario(t, sc))
		})
	}
	files, _ := filepath.Glob(filepath.Join(explainDir, "*.txt"))
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".txt"); !want[name] {
			t.Errorf("%s belongs to no case", f)
		}
	}
}

// checkGolden compares the explanation of a failed resolution with its
// golden file, or rewrites the file under -update.
func checkGolden(t *testing.T, name string, err error) {
	t.Helper()
	var ns *NoSolutionError
	if !errors.As(err, &ns) {
		t.Fatalf("want a NoSolutionError, got %v", err)
	}
	got := Explain(ns.Tree) + "\n"
	path := filepath.Join(explainDir, name+".txt")
	if *updateGolden {
		if err := os.MkdirAll(explainDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestExplainGolden -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("explanation differs from %s:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// unsatisfiableScenarios reads every single-environment scenario that has
// no solution.
func unsatisfiableScenarios(t *testing.T) []scenario {
	t.Helper()
	var out []scenario
	dir := conformance.Dir(t, "scenarios")
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".toml") {
			return err
		}
		sc, err := conformance.ReadScenario(path)
		if err != nil {
			return err
		}
		if !sc.Expected.Satisfiable && !sc.ResolverOptions.Universal {
			out = append(out, sc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no unsatisfiable scenarios in %s", dir)
	}
	slices.SortFunc(out, func(a, b scenario) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func resolveScenario(t *testing.T, sc scenario) error {
	t.Helper()
	target := scenarioTarget(sc)
	prov, err := newScenarioProvider(sc, target)
	if err != nil {
		t.Fatal(err)
	}
	var roots []pep508.Requirement
	for _, s := range sc.Root.Requires {
		roots = append(roots, requirements(t, s)...)
	}
	_, err = Resolve(context.Background(), prov, roots, scenarioOptions(sc, target))
	return err
}

// TestExplainNumbersSharedNodes explains a tree whose derived node is used
// twice: its line is numbered once and referred to by number.
func TestExplainNumbersSharedNodes(t *testing.T) {
	dep := &Node{ID: 1, Cause: CauseDependency, Requirements: []string{"a>=1"}, Terms: []Term{
		{Package: Package{}, Range: rangeOf("==0"), Positive: true},
		{Package: Package{Name: "a"}, Range: rangeOf(">=1")},
	}}
	none := &Node{ID: 2, Cause: CauseNoVersions, Terms: []Term{{Package: Package{Name: "a"}, Range: rangeOf(">=1"), Positive: true}}}
	shared := &Node{ID: 3, Cause: CauseDerived, Causes: []*Node{dep, none}, Terms: []Term{{Package: Package{}, Range: rangeOf("==0"), Positive: true}}}
	top := &Node{ID: 4, Cause: CauseDerived, Causes: []*Node{shared, shared}}
	want := "Because your project requires a>=1 and there is no version of a>=1, no lock can be made. (1)\n" +
		"And because no lock can be made (1), no lock can be made.\n" +
		"hint: loosen a>=1 in pyproject.toml"
	if got := Explain(top); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestExplainNil covers a missing tree.
func TestExplainNil(t *testing.T) {
	if got := Explain(nil); !strings.Contains(got, noLock) {
		t.Errorf("got %q", got)
	}
}

func TestRangeLabels(t *testing.T) {
	only := func(vs ...string) pep440.Range { // every version but these
		r := pep440.Empty()
		for _, s := range vs {
			r = r.Union(pep440.Singleton(pep440.MustParse(s)))
		}
		return r.Complement()
	}
	tests := []struct {
		name    string
		absent  pep440.Range
		named   []string
		written []string
		r       pep440.Range
		want    string
		all     bool
	}{
		{name: "every version", r: pep440.Full(), want: "any version", all: true},
		{name: "all that exist", absent: only("1.0", "2.0"), named: []string{"1.0", "2.0"}, r: rangeOf(">=1.0"), want: ">=1.0", all: true},
		{name: "one version", absent: only("1.0", "2.0"), named: []string{"1.0", "2.0"}, r: rangeOf("!=2.0"), want: "==1.0"},
		{name: "local label", absent: rangeOf("==1.0").Difference(pep440.Singleton(pep440.MustParse("1.0"))),
			named: []string{"1.0"}, r: rangeOf("==1.0"), want: "==1.0"},
		{name: "own words", absent: rangeOf("<3.0").Difference(rangeOf("<2.0")), named: []string{"1.0", "3.0", "4.0"}, written: []string{"<3.0"},
			r: rangeOf("<2.0"), want: "<3.0"},
		{name: "two versions", absent: only("1.0", "2.0", "3.0"), named: []string{"1.0", "2.0", "3.0"},
			r: rangeOf("!=2.0"), want: "!=2.0"},
		{name: "nothing known", named: []string{"1.0"}, r: rangeOf(">=1.0,<2.0"), want: ">=1.0,<2.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := &versionKnowledge{
				absent: map[string]pep440.Range{"b": tt.absent}, named: map[string][]pep440.Version{},
				written: map[string][]string{"b": tt.written}, labels: map[string][]memoLabel{}, specs: map[string][]labelCandidate{},
			}
			for _, s := range tt.named {
				k.name("b", pep440.MustParse(s))
			}
			got := k.label(Package{Name: "b"}, tt.r)
			if got.text != tt.want || got.all != tt.all {
				t.Errorf("got %q (all %v), want %q (all %v)", got.text, got.all, tt.want, tt.all)
			}
		})
	}
}

func TestReadableRequirement(t *testing.T) {
	tests := []struct{ req, extra, want string }{
		{"b<3.0.0,>=2.0.0", "", "b>=2.0.0,<3.0.0"},
		{"c!=1.5,<2,>=1", "", "c>=1,<2,!=1.5"},
		{"a[extra_b,extra_c]>=1", "extra-c", "a[extra_c]>=1"},
		{"a[extra_b,extra_c]", "", "a[extra_b,extra_c]"},
		{"pkg @ https://example.com/pkg-1.0.tar.gz", "", "pkg @ https://example.com/pkg-1.0.tar.gz"},
		{"not a requirement ==", "", "not a requirement =="},
	}
	for _, tt := range tests {
		if got := readableRequirement(tt.req, tt.extra); got != tt.want {
			t.Errorf("readableRequirement(%q, %q) = %q, want %q", tt.req, tt.extra, got, tt.want)
		}
	}
}

func TestWithRange(t *testing.T) {
	tests := []struct {
		p           Package
		label, want string
	}{
		{Package{Name: "b"}, ">=1.0", "b>=1.0"},
		{Package{Name: "b"}, "==1.0 or ==3.0", "b==1.0 or b==3.0"},
		{Package{Name: "b", Extra: "x"}, "<2", "b[x]<2"},
		{Package{Name: "b"}, "no version", "b no version"},
	}
	for _, tt := range tests {
		if got := withRange(tt.p, tt.label); got != tt.want {
			t.Errorf("withRange(%v, %q) = %q, want %q", tt.p, tt.label, got, tt.want)
		}
	}
}
