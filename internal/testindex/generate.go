package testindex

import (
	"fmt"
	"math/rand/v2"
)

// Sizes of the scale registry the benchmarks lock against.
const (
	ScaleProjects = 5000 // projects in the scale registry
	ScaleVersions = 20   // releases of each project
	ScaleSeed     = 7    // the fixed seed of the benchmarks' registry
)

// ScaleRegistry describes a generated registry: Specs to serve (with
// SpecOptions.Lazy, so that no wheel is built before a client asks) and the
// direct requirements of projects of any size on it (Roots).
type ScaleRegistry struct {
	Specs    []Spec
	versions [][]string // versions[k][i]: the i-th oldest version of project k
	seed     uint64
}

// scaleName is the name of the k-th generated project.
func scaleName(k int) string { return fmt.Sprintf("scale-%04d", k) }

// GenerateScale builds a registry of projects × versions releases from seed;
// the same arguments always give the same registry. It is shaped like PyPI's
// dependency graph:
//
//   - projects form layers: project k depends only on projects after it, so
//     there are no cycles, and the targets are drawn towards the end of the
//     list, so that a few low-level projects are depended on by most
//     (fan-in), as six or urllib3 are;
//   - fan-out: a quarter of the projects depend on nothing, half on 1 to 3
//     projects, a fifth on 4 to 8 and one in twenty on 9 to 15; a
//     dependency may appear only from some release on;
//   - version constraints, fixed per dependency as a project keeps its style:
//     none, a lower bound that follows the release's age (">=" the
//     dependency's version four releases older), a lower and an upper bound
//     (upper three releases newer, so older releases cap what they accept),
//     or a lower bound with one excluded version ("!="); a few dependencies
//     carry a python_version or sys_platform marker, and some projects have
//     a "test" extra.
//
// Version i of every project belongs to the same period, so the newest
// release of every project accepts the newest of its dependencies: a project
// whose direct requirements are unbounded always resolves, and its upper
// bounds make the resolver go back a few versions.
func GenerateScale(seed uint64, projects, versions int) *ScaleRegistry {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	reg := &ScaleRegistry{seed: seed, versions: make([][]string, projects)}
	for k := range projects {
		reg.versions[k] = versionSeries(rng, versions)
	}
	for k := range projects {
		reg.Specs = append(reg.Specs, reg.project(rng, k))
	}
	return reg
}

// versionSeries is versions ascending release numbers: mostly patch bumps,
// some minor and a few major ones.
func versionSeries(rng *rand.Rand, versions int) []string {
	major, minor, patch := rng.IntN(3), rng.IntN(10), 0
	series := make([]string, versions)
	for i := range series {
		series[i] = fmt.Sprintf("%d.%d.%d", major, minor, patch)
		switch r := rng.Float64(); {
		case r < 0.08:
			major, minor, patch = major+1, 0, 0
		case r < 0.35:
			minor, patch = minor+1, 0
		default:
			patch++
		}
	}
	return series
}

// scaleDep is one dependency of a generated project, the same in every
// release from since on.
type scaleDep struct {
	target int
	style  int    // constraint style, see constraint
	since  int    // first release that has it
	marker string // "" or a PEP 508 marker
}

// project generates the spec of project k.
func (reg *ScaleRegistry) project(rng *rand.Rand, k int) Spec {
	deps := reg.dependencies(rng, k)
	var testDeps []scaleDep
	if rng.IntN(10) == 0 {
		testDeps = reg.dependencies(rng, k)
		testDeps = testDeps[:min(1, len(testDeps))]
	}
	sp := Spec{Name: scaleName(k), Summary: "A generated project."}
	for i, v := range reg.versions[k] {
		rs := ReleaseSpec{Version: v, Files: []string{"py3-none-any"}, RequiresDist: reg.requirements(deps, i)}
		if test := reg.requirements(testDeps, i); len(test) > 0 {
			rs.Extras = map[string][]string{"test": test}
		}
		sp.Releases = append(sp.Releases, rs)
	}
	return sp
}

// dependencies draws the dependencies of project k.
func (reg *ScaleRegistry) dependencies(rng *rand.Rand, k int) []scaleDep {
	below := len(reg.versions) - 1 - k
	count := min(fanOut(rng), below/2)
	seen := map[int]bool{}
	var deps []scaleDep
	for len(deps) < count {
		u := rng.Float64()
		target := len(reg.versions) - 1 - int(float64(below)*u*u*u)
		if target <= k || seen[target] {
			continue
		}
		seen[target] = true
		d := scaleDep{target: target, style: rng.IntN(20)}
		if rng.IntN(10) < 3 {
			d.since = rng.IntN(len(reg.versions[k]))
		}
		switch r := rng.IntN(100); {
		case r < 5:
			d.marker = `python_version < "3.8"`
		case r < 8:
			d.marker = `sys_platform == "win32"`
		}
		deps = append(deps, d)
	}
	return deps
}

// fanOut draws how many projects a project depends on.
func fanOut(rng *rand.Rand) int {
	switch r := rng.Float64(); {
	case r < 0.25:
		return 0
	case r < 0.75:
		return 1 + rng.IntN(3)
	case r < 0.95:
		return 4 + rng.IntN(5)
	default:
		return 9 + rng.IntN(7)
	}
}

// requirements are the PEP 508 strings of deps in release i.
func (reg *ScaleRegistry) requirements(deps []scaleDep, i int) []string {
	var reqs []string
	for _, d := range deps {
		if i < d.since {
			continue
		}
		req := scaleName(d.target) + reg.constraint(d, i)
		if d.marker != "" {
			req += "; " + d.marker
		}
		reqs = append(reqs, req)
	}
	return reqs
}

// constraint is the specifier set release i puts on dependency d: styles
// 0-4 none, 5-12 a lower bound, 13-17 lower and upper bounds, 18-19 a lower
// bound and an excluded version.
func (reg *ScaleRegistry) constraint(d scaleDep, i int) string {
	series := reg.versions[d.target]
	lower := series[max(0, i-4)]
	switch {
	case d.style < 5:
		return ""
	case d.style < 13:
		return ">=" + lower
	case d.style < 18:
		if i+3 < len(series) {
			return ">=" + lower + ",<" + series[i+3]
		}
		return ">=" + lower
	default:
		return ">=" + lower + ",!=" + series[max(0, i-2)]
	}
}

// Roots returns the direct requirements of a project with n of them: the
// first n of a fixed shuffle (from the registry's seed) of the upper half of
// the projects, so a larger project's requirements include a smaller one's.
// One in ten is capped below one of the newest versions (which makes the
// resolver go back), and one in twenty asks for the "test" extra where
// there is one.
func (reg *ScaleRegistry) Roots(n int) []string {
	rng := rand.New(rand.NewPCG(reg.seed+1, reg.seed))
	upper := rng.Perm(len(reg.versions) / 2)
	n = min(n, len(upper))
	roots := make([]string, 0, n)
	for _, k := range upper[:n] {
		name := scaleName(k)
		if rng.IntN(20) == 0 && reg.Specs[k].Releases[len(reg.versions[k])-1].Extras != nil {
			name += "[test]"
		}
		if series := reg.versions[k]; rng.IntN(10) == 0 {
			name += "<" + series[len(series)-1-rng.IntN(5)]
		}
		roots = append(roots, name)
	}
	return roots
}

// String summarizes the registry: projects, releases and requirements.
func (reg *ScaleRegistry) String() string {
	releases, reqs := 0, 0
	for _, sp := range reg.Specs {
		releases += len(sp.Releases)
		for _, r := range sp.Releases {
			reqs += len(r.RequiresDist)
		}
	}
	return fmt.Sprintf("%d projects, %d releases, %d requirements", len(reg.Specs), releases, reqs)
}
