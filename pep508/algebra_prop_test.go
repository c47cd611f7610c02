package pep508

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/pylock/pylock/pep440"
)

// propAtom is one comparison the random markers are built from. exhaustive
// is false when the grid below cannot tell every case of it apart (opaque
// atoms, and > and <= on full versions, whose post-releases the grid lacks).
type propAtom struct {
	text       string
	dims       []string
	exhaustive bool
}

func atomsOf(dims string, exhaustive bool, texts ...string) []propAtom {
	out := make([]propAtom, len(texts))
	for i, t := range texts {
		out[i] = propAtom{text: t, dims: strings.Fields(dims), exhaustive: exhaustive}
	}
	return out
}

var propAtoms = slices.Concat(
	atomsOf("python", true,
		`python_version < "3.10"`, `python_version >= "3.10"`, `python_version == "3.11"`, `python_version != "3.9"`,
		`python_version > "3.10"`, `python_version <= "3.9"`, `python_version ~= "3.10"`, `"3.10" <= python_version`,
		`python_full_version < "3.10"`, `python_full_version >= "3.10"`, `python_full_version >= "3.10.1"`,
		`python_full_version < "3.11.0"`, `python_full_version == "3.10.1"`, `python_full_version != "3.9"`,
		`python_full_version == "3.10.*"`, `python_full_version ~= "3.10.1"`, `python_version == "3.12.*"`),
	atomsOf("python", false, `python_full_version > "3.10.1"`, `python_full_version <= "3.9"`, `python_version in "3.10"`,
		`"3.10.1" > python_full_version`),
	atomsOf("impl", true, `implementation_version >= "7.3"`, `implementation_version < "7.3"`,
		`implementation_version == "3.10.0"`),
	atomsOf("sys", true, `sys_platform == "linux"`, `sys_platform == "win32"`, `sys_platform != "darwin"`),
	atomsOf("system", true, `platform_system == "Linux"`, `platform_system != "Windows"`),
	atomsOf("os", true, `os_name == "nt"`, `os_name != "posix"`),
	atomsOf("extra", true, `extra == "a"`, `extra != "b"`),
	atomsOf("extras", true, `"a" in extras`, `"b" not in extras`),
	atomsOf("groups", true, `"dev" in dependency_groups`),
	atomsOf("sys", false, `"lin" in sys_platform`, `"linux" == sys_platform`),
	atomsOf("release", false, `platform_release >= "6"`, `platform_release < "6"`, `platform_release <= "6"`,
		`platform_release > "5.10"`, `platform_release >= "abc"`),
)

// grid holds the values each dimension takes; together they reach every
// case the exhaustive atoms distinguish.
var grid = map[string][]map[string]string{
	"python": pythonGrid("3.1.4", "3.8.18", "3.9.0rc1", "3.9.0", "3.9.7", "3.10.0rc1", "3.10.0", "3.10.1rc1", "3.10.1",
		"3.10.5", "3.11.0b1", "3.11.0", "3.11.4", "3.12.0rc1", "3.12.1", "4.0.0"),
	"impl":    varGrid("implementation_version", "3.10.0", "7.2", "7.3rc1", "7.3.1"),
	"sys":     varGrid("sys_platform", "linux", "win32", "darwin", "zzz"),
	"system":  varGrid("platform_system", "Linux", "Windows", "zzz"),
	"os":      varGrid("os_name", "posix", "nt", "zzz"),
	"extra":   varGrid("extra", "", "a", "b"),
	"extras":  varGrid("@extras", "", "a", "b", "a b"),
	"groups":  varGrid("@groups", "", "dev"),
	"release": varGrid("platform_release", "5.10", "6", "6.0rc1", "6.1.0", "abc", "6abc"),
}

func pythonGrid(versions ...string) []map[string]string {
	out := make([]map[string]string, len(versions))
	for i, v := range versions {
		rel := pep440.MustParse(v).Release()
		out[i] = map[string]string{"python_full_version": v, "python_version": fmt.Sprintf("%d.%d", rel[0], rel[1])}
	}
	return out
}

func varGrid(name string, values ...string) []map[string]string {
	out := make([]map[string]string, len(values))
	for i, v := range values {
		out[i] = map[string]string{name: v}
	}
	return out
}

// expr is a random marker with its own reference evaluator.
type expr struct {
	op   string // "atom", "and", "or", "not"
	atom propAtom
	kids []*expr
	m    Marker
}

func (e *expr) eval(env Environment) bool {
	switch e.op {
	case "and":
		return e.kids[0].eval(env) && e.kids[1].eval(env)
	case "or":
		return e.kids[0].eval(env) || e.kids[1].eval(env)
	case "not":
		return !e.kids[0].eval(env)
	}
	return e.m.Evaluate(env)
}

// randomExpr builds a marker of the given depth with And, Or and Not.
func randomExpr(t *testing.T, rnd *rand.Rand, depth int) *expr {
	if depth == 0 || rnd.IntN(4) == 0 {
		a := propAtoms[rnd.IntN(len(propAtoms))]
		m, err := ParseMarker(a.text)
		if err != nil {
			t.Fatal(err)
		}
		return &expr{op: "atom", atom: a, m: m}
	}
	x := randomExpr(t, rnd, depth-1)
	switch rnd.IntN(5) {
	case 0:
		return &expr{op: "not", kids: []*expr{x}, m: Not(x.m)}
	case 1, 2:
		y := randomExpr(t, rnd, depth-1)
		return &expr{op: "and", kids: []*expr{x, y}, m: And(x.m, y.m)}
	}
	y := randomExpr(t, rnd, depth-1)
	return &expr{op: "or", kids: []*expr{x, y}, m: Or(x.m, y.m)}
}

// atoms collects the dimensions e uses and whether the grid is exhaustive
// for them (extra atoms are boolean per name, so the single-valued extra
// variable covers at most one name).
func (e *expr) atoms(dims map[string]bool, extras map[string]bool) bool {
	if e.op == "atom" {
		for _, d := range e.atom.dims {
			dims[d] = true
		}
		if strings.HasPrefix(e.atom.text, "extra ") {
			extras[e.atom.text[len(`extra == "`):len(e.atom.text)-1]] = true
		}
		return e.atom.exhaustive
	}
	ok := true
	for _, k := range e.kids {
		ok = k.atoms(dims, extras) && ok
	}
	return ok
}

// environments lists every combination of the grid's values for dims.
func environments(dims map[string]bool) []Environment {
	envs := []Environment{{Vars: map[string]string{}}}
	names := make([]string, 0, len(dims))
	for d := range dims {
		names = append(names, d)
	}
	slices.Sort(names)
	for _, d := range names {
		var next []Environment
		for _, env := range envs {
			for _, vals := range grid[d] {
				next = append(next, withValues(env, vals))
			}
		}
		envs = next
	}
	return envs
}

func withValues(env Environment, vals map[string]string) Environment {
	out := Environment{Vars: map[string]string{}, Extras: env.Extras, DependencyGroups: env.DependencyGroups}
	for k, v := range env.Vars {
		out.Vars[k] = v
	}
	for k, v := range vals {
		switch k {
		case "@extras":
			out.Extras = strings.Fields(v)
		case "@groups":
			out.DependencyGroups = strings.Fields(v)
		default:
			out.Vars[k] = v
		}
	}
	return out
}

var propRequiresPython = []string{">=3.9", ">=3.10,<3.12", ">=3.10.1"}

func TestAlgebraAgainstBruteForce(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	iterations := 120
	if testing.Short() {
		iterations = 40
	}
	complete, inexact := 0, 0
	for i := 0; i < iterations; i++ {
		x, y := randomExpr(t, rnd, 3), randomExpr(t, rnd, 3)
		dims, extras := map[string]bool{}, map[string]bool{}
		exhaustive := x.atoms(dims, extras)
		exhaustive = y.atoms(dims, extras) && exhaustive && len(extras) <= 1
		checkPair(t, x, y, environments(dims), exhaustive)
		if exhaustive {
			complete++
		}
		if x.m.Simplify().inexact || Not(x.m).inexact {
			inexact++
		}
	}
	t.Logf("%d pairs, %d with an exhaustive grid, %d with an inexact text", iterations, complete, inexact)
}

// truth tabulates e over envs.
func truth(e *expr, envs []Environment) []bool {
	out := make([]bool, len(envs))
	for i, env := range envs {
		out[i] = e.eval(env)
	}
	return out
}

func checkPair(t *testing.T, x, y *expr, envs []Environment, exhaustive bool) {
	t.Helper()
	fx, fy := truth(x, envs), truth(y, envs)
	never, always, disjoint, implies, same := true, true, true, true, true
	for i := range envs {
		never = never && !fx[i]
		always = always && fx[i]
		disjoint = disjoint && !(fx[i] && fy[i])
		implies = implies && (!fx[i] || fy[i])
		same = same && fx[i] == fy[i]
	}
	name := fmt.Sprintf("x = %s\ny = %s", x.m, y.m)
	agree := func(what string, algebra, brute bool) {
		if algebra && !brute || exhaustive && algebra != brute {
			t.Errorf("%s: algebra says %v, the grid %v\n%s", what, algebra, brute, name)
		}
	}
	agree("x.IsFalse", x.m.IsFalse(), never)
	agree("x.IsAlwaysTrue", x.m.IsAlwaysTrue(), always)
	agree("Disjoint", Disjoint(x.m, y.m), disjoint)
	agree("x.Implies(y)", x.m.Implies(y.m), implies)
	agree("x.Equivalent(y)", x.m.Equivalent(y.m), same)
	checkForms(t, x, envs, fx)
	if x.m.Equivalent(y.m) && x.m.Simplify().String() != y.m.Simplify().String() {
		t.Errorf("equivalent markers simplify differently: %q, %q\n%s", x.m.Simplify(), y.m.Simplify(), name)
	}
}

// checkForms compares Simplify, Not, SimplifyPython and PythonRange with
// the reference truth table fx of x.
func checkForms(t *testing.T, x *expr, envs []Environment, fx []bool) {
	t.Helper()
	s, n := x.m.Simplify(), Not(x.m)
	reparsed, err := ParseMarker(s.String())
	if err != nil && !s.IsTrue() {
		t.Fatalf("Simplify(%s) = %q does not parse: %v", x.m, s, err)
	}
	pr := x.m.PythonRange()
	if !x.m.Implies(PythonMarker(pr)) {
		t.Fatalf("%s does not imply PythonMarker(PythonRange) = %q", x.m, PythonMarker(pr))
	}
	if !s.inexact && !s.IsTrue() && reparsed.Simplify().String() != s.String() {
		t.Fatalf("Simplify(%s) = %q, which simplifies to %q when read back", x.m, s, reparsed.Simplify())
	}
	for i, env := range envs {
		if s.Evaluate(env) != fx[i] || n.Evaluate(env) == fx[i] {
			t.Fatalf("Simplify or Not of %s disagree at %v: Simplify %q, Not %q", x.m, env, s, n)
		}
		if !s.inexact && reparsed.Evaluate(env) != fx[i] {
			t.Fatalf("Simplify(%s) = %q, whose text disagrees at %v", x.m, s, env)
		}
		if v, ok := env.Vars["python_full_version"]; ok && fx[i] && !pr.Contains(pep440.MustParse(v)) {
			t.Fatalf("PythonRange(%s) = %s, without %s", x.m, pr, v)
		}
	}
	for _, rp := range propRequiresPython {
		set, _ := pep440.ParseSpecifierSet(rp)
		sp := x.m.SimplifyPython(set.Range())
		for i, env := range envs {
			if v, ok := env.Vars["python_full_version"]; ok && set.Contains(pep440.MustParse(v), pep440.PrereleasesAllow) &&
				sp.Evaluate(env) != fx[i] {
				t.Fatalf("SimplifyPython(%s, %s) = %q disagrees at %v", x.m, rp, sp, env)
			}
		}
	}
}
