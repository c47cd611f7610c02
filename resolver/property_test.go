package resolver

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// regIndex is a random registry for the property tests: up to six
// packages with up to four versions each, whose requirements use every
// specifier operator, extras (and requirements that belong to an extra),
// markers that hold or not in the target environment, Requires-Python
// above the target, and yanked versions (usable only when the root pins
// them with ==).
type regIndex struct {
	pkgs  []regPackage
	roots []pep508.Requirement
}

type regPackage struct {
	name     string
	versions []regVersion
}

type regVersion struct {
	version pep440.Version
	yanked  bool
	python  string // Requires-Python, "" for any
	reqs    []pep508.Requirement
}

// regChooser is where a registry's random choices come from.
type regChooser interface {
	IntN(n int) int
}

// regVersionPool is what versions are drawn from: finals, a post-release
// and a pre-release.
var regVersionPool = []string{"1.0", "1.1", "2.0", "2.0.post1", "3.0a1", "3.0"}

// regSpecifierOps are the specifier shapes requirements use; "%s" is a
// version from the pool (or one no package has).
var regSpecifierOps = []string{"", "", ">=%s", "<%s", "==%s", "!=%s", ">%s", "<=%s", "~=%s", ">=1.0,<%s", "==%s.*"}

// regMarkers are the markers requirements carry: true, false, and (added
// separately) an extra.
var regMarkers = []string{`python_version >= "3.8"`, `sys_platform == "win32"`}

// regPython is the target interpreter of the property tests.
var regPython = pep440.MustParse("3.12")

func randomRegistry(c regChooser) *regIndex {
	reg := &regIndex{}
	n := 2 + c.IntN(5)
	for p := 0; p < n; p++ {
		pkg := regPackage{name: fmt.Sprintf("p%d", p)}
		pool := slices.Clone(regVersionPool)
		for k := 1 + c.IntN(4); k > 0; k-- {
			i := c.IntN(len(pool))
			pkg.versions = append(pkg.versions, regVersion{version: pep440.MustParse(pool[i])})
			pool = slices.Delete(pool, i, i+1)
		}
		reg.pkgs = append(reg.pkgs, pkg)
	}
	for p := range reg.pkgs {
		for i := range reg.pkgs[p].versions {
			reg.fillVersion(c, p, &reg.pkgs[p].versions[i])
		}
	}
	for k := 1 + c.IntN(3); k > 0; k-- {
		reg.roots = append(reg.roots, reg.randomRequirement(c, c.IntN(len(reg.pkgs)), false))
	}
	return reg
}

func (reg *regIndex) fillVersion(c regChooser, self int, rv *regVersion) {
	rv.yanked = c.IntN(10) == 0
	if c.IntN(10) == 0 {
		rv.python = ">=3.13"
	}
	for k := c.IntN(3); k > 0; k-- {
		target := c.IntN(len(reg.pkgs))
		if target == self {
			continue
		}
		rv.reqs = append(rv.reqs, reg.randomRequirement(c, target, true))
	}
}

// randomRequirement draws a requirement on the target package; marked
// ones may carry a marker, including an extra of the requiring package.
func (reg *regIndex) randomRequirement(c regChooser, target int, marked bool) pep508.Requirement {
	s := reg.pkgs[target].name
	if c.IntN(5) == 0 {
		s += []string{"[x]", "[y]", "[x,y]"}[c.IntN(3)]
	}
	op := regSpecifierOps[c.IntN(len(regSpecifierOps))]
	if op != "" {
		v := append(slices.Clone(regVersionPool), "4.0")[c.IntN(len(regVersionPool)+1)]
		if own := reg.pkgs[target].versions; c.IntN(3) > 0 {
			v = own[c.IntN(len(own))].version.String()
		}
		if strings.HasSuffix(op, ".*") {
			v = strings.SplitN(v, ".", 2)[0]
		}
		s += fmt.Sprintf(op, v)
	}
	if marked && c.IntN(4) == 0 {
		s += "; " + []string{`extra == "x"`, `extra == "y"`, regMarkers[0], regMarkers[1]}[c.IntN(4)]
	}
	r, err := pep508.ParseRequirement(s)
	if err != nil {
		panic(fmt.Sprintf("%s: %v", s, err))
	}
	return r
}

// provider serves the registry through the Provider interface.
func (reg *regIndex) provider() *memProvider {
	m := &memProvider{pkgs: map[string][]memVersion{}}
	for _, p := range reg.pkgs {
		for _, rv := range p.versions {
			cand := Candidate{Version: rv.version, Yanked: rv.yanked}
			if rv.python != "" {
				cand.RequiresPython, _ = pep440.ParseSpecifierSet(rv.python)
			}
			m.pkgs[p.name] = append(m.pkgs[p.name], memVersion{cand: cand, reqs: rv.reqs})
		}
	}
	return m
}

func (reg *regIndex) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "roots: %v\n", reg.roots)
	for _, p := range reg.pkgs {
		for _, rv := range p.versions {
			fmt.Fprintf(&b, "%s %s yanked=%v python=%q %v\n", p.name, rv.version, rv.yanked, rv.python, rv.reqs)
		}
	}
	return b.String()
}

// regEnv is the target environment, with "extra" set.
func regEnv(extra string) pep508.Environment {
	return pep508.Environment{Vars: map[string]string{
		"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": "linux", "extra": extra,
	}}
}

// regSelection is one candidate answer: for each package, the index of its
// chosen version, or -1 when the package is not installed.
type regSelection []int

// usable reports whether version i of package p may be chosen at all: its
// Requires-Python fits the target and, when yanked, the root pins it.
func (reg *regIndex) usable(p, i int) bool {
	rv := reg.pkgs[p].versions[i]
	if rv.python != "" {
		return false
	}
	if !rv.yanked {
		return true
	}
	for _, r := range reg.roots {
		if pep508.NormalizeName(r.Name) != reg.pkgs[p].name {
			continue
		}
		for _, sp := range r.Specifier {
			one, err := pep440.ParseSpecifierSet(sp.Op + sp.Version)
			if (sp.Op == "==" || sp.Op == "===") && err == nil && one.Range().Contains(rv.version) {
				return true
			}
		}
	}
	return false
}

// violation checks a complete selection: every requirement that applies
// (the root's, each installed version's, and those of each extra some
// applying requirement asks for) is met. It returns what is wrong, or "".
func (reg *regIndex) violation(sel regSelection) string {
	extras := make([]map[string]bool, len(reg.pkgs))
	for i := range extras {
		extras[i] = map[string]bool{}
	}
	for changed := true; changed; {
		changed = false
		check := func(from string, r pep508.Requirement) string {
			t := reg.index(r.Name)
			if sel[t] < 0 || !r.Specifier.Range().Contains(reg.pkgs[t].versions[sel[t]].version) {
				return fmt.Sprintf("%s requires %s", from, r)
			}
			for _, e := range r.Extras {
				if !extras[t][e] {
					extras[t][e], changed = true, true
				}
			}
			return ""
		}
		if msg := reg.eachApplying(sel, extras, check); msg != "" {
			return msg
		}
	}
	return ""
}

// eachApplying calls f with every requirement that applies to the
// selection with the given extras active, stopping at the first complaint.
func (reg *regIndex) eachApplying(sel regSelection, extras []map[string]bool, f func(string, pep508.Requirement) string) string {
	for _, r := range reg.roots {
		if msg := f("your project", r); msg != "" {
			return msg
		}
	}
	for p, i := range sel {
		if i < 0 {
			continue
		}
		rv := reg.pkgs[p].versions[i]
		for _, r := range rv.reqs {
			if !regApplies(r, extras[p]) {
				continue
			}
			if msg := f(reg.pkgs[p].name+" "+rv.version.String(), r); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// regApplies reports whether a requirement's marker holds without an extra or
// with one of the active extras.
func regApplies(r pep508.Requirement, extras map[string]bool) bool {
	if r.Marker.Evaluate(regEnv("")) {
		return true
	}
	for e := range extras {
		if r.Marker.Evaluate(regEnv(e)) {
			return true
		}
	}
	return false
}

func (reg *regIndex) index(name string) int {
	name = pep508.NormalizeName(name)
	for i, p := range reg.pkgs {
		if p.name == name {
			return i
		}
	}
	panic("no package " + name)
}

// bruteForce tries every selection of usable versions (absent included)
// and returns one that meets every requirement, or nil.
func (reg *regIndex) bruteForce() regSelection {
	sel := make(regSelection, len(reg.pkgs))
	var try func(p int) bool
	try = func(p int) bool {
		if p == len(reg.pkgs) {
			return reg.violation(sel) == ""
		}
		for i := -1; i < len(reg.pkgs[p].versions); i++ {
			if i >= 0 && !reg.usable(p, i) {
				continue
			}
			sel[p] = i
			if reg.baseConsistent(sel, p) && try(p+1) {
				return true
			}
		}
		return false
	}
	if try(0) {
		return sel
	}
	return nil
}

// baseConsistent checks, once packages 0..p are chosen, the requirements
// that hold whatever the extras between those packages (a necessary
// condition, for pruning).
func (reg *regIndex) baseConsistent(sel regSelection, p int) bool {
	ok := func(r pep508.Requirement) bool {
		t := reg.index(r.Name)
		if t > p || !r.Marker.Evaluate(regEnv("")) {
			return true
		}
		return sel[t] >= 0 && r.Specifier.Range().Contains(reg.pkgs[t].versions[sel[t]].version)
	}
	for _, r := range reg.roots {
		if !ok(r) {
			return false
		}
	}
	for q := 0; q <= p; q++ {
		if sel[q] < 0 {
			continue
		}
		for _, r := range reg.pkgs[q].versions[sel[q]].reqs {
			if !ok(r) {
				return false
			}
		}
	}
	return true
}

// selectionOf reads a resolution back as a selection, checking that it
// holds one usable, existing version per package.
func (reg *regIndex) selectionOf(res *Resolution) (regSelection, string) {
	sel := make(regSelection, len(reg.pkgs))
	for i := range sel {
		sel[i] = -1
	}
	for _, rp := range res.Packages {
		p := reg.index(rp.Name)
		if sel[p] >= 0 {
			return nil, "two versions of " + rp.Name
		}
		i := slices.IndexFunc(reg.pkgs[p].versions, func(rv regVersion) bool { return rv.version.Equal(rp.Version) })
		if i < 0 || !reg.usable(p, i) {
			return nil, fmt.Sprintf("%s %s is not a usable version", rp.Name, rp.Version)
		}
		sel[p] = i
	}
	return sel, ""
}

// checkRegistry resolves a registry and compares with the brute force. It
// returns whether the registry had a solution, and what is wrong or "".
func checkRegistry(reg *regIndex) (bool, string) {
	res, err := Resolve(context.Background(), reg.provider(), reg.roots, Options{
		Environment: regEnv(""), Python: &regPython,
	})
	var ns *NoSolutionError
	switch {
	case errors.As(err, &ns):
		if sel := reg.bruteForce(); sel != nil {
			return false, fmt.Sprintf("no solution reported, but %v is one:\n%s", sel, Explain(ns.Tree))
		}
		if text := Explain(ns.Tree); !strings.Contains(text, noLock) || !strings.Contains(text, "\nhint: ") {
			return false, "explanation without conclusion or hint:\n" + text
		}
		return false, ""
	case err != nil:
		return false, err.Error()
	}
	sel, msg := reg.selectionOf(res)
	if msg == "" {
		msg = reg.violation(sel)
	}
	if msg != "" {
		return true, msg + " in " + regPins(res)
	}
	return true, ""
}

// TestBruteForceOracle checks the checker: wrong selections are caught,
// extras bring their requirements, yanked versions need a pin.
func TestBruteForceOracle(t *testing.T) {
	ver := func(v string, yanked bool, reqs ...string) regVersion {
		return regVersion{version: pep440.MustParse(v), yanked: yanked, reqs: requirements(t, reqs...)}
	}
	reg := &regIndex{
		pkgs: []regPackage{
			{name: "a", versions: []regVersion{ver("1.0", false, "b>=2"), ver("2.0", false, "b[x]")}},
			{name: "b", versions: []regVersion{ver("1.0", false), ver("2.0", false, `c; extra == "x"`), ver("2.5", true)}},
			{name: "c", versions: []regVersion{ver("1.0", false)}},
		},
		roots: requirements(t, "a"),
	}
	tests := []struct {
		sel  regSelection
		want string // "" for a valid regSelection, else what the complaint names
	}{
		{regSelection{0, 0, -1}, "a 1.0 requires b>=2"},
		{regSelection{1, 1, -1}, "b 2.0 requires c"},
		{regSelection{1, 1, 0}, ""},
		{regSelection{-1, -1, -1}, "your project requires a"},
	}
	for _, tt := range tests {
		got := reg.violation(tt.sel)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("violation(%v) = %q, want %q", tt.sel, got, tt.want)
		}
	}
	if reg.usable(1, 2) {
		t.Error("a yanked version is usable without a pin")
	}
	if sel := reg.bruteForce(); sel == nil || reg.violation(sel) != "" {
		t.Errorf("brute force found %v", sel)
	}
	reg.roots = requirements(t, "a", "b==2.5")
	if !reg.usable(1, 2) {
		t.Error("a pinned yanked version is not usable")
	}
	if sel := reg.bruteForce(); !slices.Equal(sel, regSelection{0, 2, -1}) {
		t.Errorf("brute force found %v, want a 1.0 with the pinned b 2.5", sel)
	}
}

// TestResolveAgainstBruteForce resolves hundreds of random registries
// (fixed seeds) and checks every answer against an exhaustive search: a
// resolution meets every requirement with one usable version per package,
// and "no solution" only when there is none.
func TestResolveAgainstBruteForce(t *testing.T) {
	const n = 600
	sat := 0
	for seed := uint64(0); seed < n; seed++ {
		reg := randomRegistry(rand.New(rand.NewPCG(seed, 0x9e3779b9)))
		ok, msg := checkRegistry(reg)
		if ok {
			sat++
		}
		if msg != "" {
			t.Errorf("seed %d: %s\n%s", seed, msg, reg)
		}
	}
	if sat < n/5 || sat > n-n/5 {
		t.Errorf("%d of %d registries have a solution; the test needs plenty of both kinds", sat, n)
	}
	t.Logf("%d of %d registries have a solution", sat, n)
}

func regPins(res *Resolution) string {
	var parts []string
	for _, p := range res.Packages {
		parts = append(parts, fmt.Sprintf("%s%v==%s", p.Name, p.Extras, p.Version))
	}
	return strings.Join(parts, " ")
}

// regBytes draws choices from fuzz input, then zeros.
type regBytes struct{ data []byte }

func (b *regBytes) IntN(n int) int {
	if len(b.data) == 0 {
		return 0
	}
	c := int(b.data[0])
	b.data = b.data[1:]
	return c % n
}

// FuzzResolve checks the resolver against the brute force on registries
// derived from the fuzz input.
func FuzzResolve(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{4, 3, 1, 2, 0, 7, 9, 1, 5, 5, 2, 8, 0, 1, 3, 3, 3})
	f.Add([]byte("pylock resolves random registries"))
	for seed := uint64(0); seed < 4; seed++ {
		rng := rand.New(rand.NewPCG(seed, 1))
		data := make([]byte, 96)
		for i := range data {
			data[i] = byte(rng.IntN(256))
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reg := randomRegistry(&regBytes{data: data})
		if _, msg := checkRegistry(reg); msg != "" {
			t.Fatalf("%s\n%s", msg, reg)
		}
	})
}
