package resolver

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// memProvider is an in-memory index for tests.
type memProvider struct {
	pkgs  map[string][]memVersion
	calls int
}

type memVersion struct {
	cand Candidate
	reqs []pep508.Requirement
}

func (m *memProvider) Versions(_ context.Context, name string) ([]Candidate, error) {
	m.calls++
	vs, ok := m.pkgs[name]
	if !ok {
		return nil, &NotFoundError{Name: name}
	}
	out := make([]Candidate, len(vs))
	for i, v := range vs {
		out[i] = v.cand
	}
	return out, nil
}

func (m *memProvider) Requirements(_ context.Context, name string, v pep440.Version) ([]pep508.Requirement, error) {
	m.calls++
	for _, mv := range m.pkgs[name] {
		if mv.cand.Version.Equal(v) {
			return mv.reqs, nil
		}
	}
	return nil, fmt.Errorf("no version %s of %s", v, name)
}

// add registers a version with Requires-Dist strings; it panics on bad input.
func (m *memProvider) add(name, version string, reqs ...string) *memVersion {
	if m.pkgs == nil {
		m.pkgs = map[string][]memVersion{}
	}
	mv := memVersion{cand: Candidate{Version: pep440.MustParse(version)}}
	for _, s := range reqs {
		r, err := pep508.ParseRequirement(s)
		if err != nil {
			panic(err)
		}
		mv.reqs = append(mv.reqs, r)
	}
	key := pep508.NormalizeName(name)
	m.pkgs[key] = append(m.pkgs[key], mv)
	return &m.pkgs[key][len(m.pkgs[key])-1]
}

// newScenarioProvider builds the index a scenario describes, marking
// versions with no usable distribution for the target as unavailable.
func newScenarioProvider(sc scenario, target scenarioEnv) (*memProvider, error) {
	m := &memProvider{pkgs: map[string][]memVersion{}}
	for name, pkg := range sc.Packages {
		key := pep508.NormalizeName(name)
		for vs, sv := range pkg.Versions {
			mv, err := scenarioVersionOf(key, vs, sv, sc, target)
			if err != nil {
				return nil, err
			}
			m.pkgs[key] = append(m.pkgs[key], mv)
		}
	}
	return m, nil
}

func scenarioVersionOf(name, vs string, sv scenarioVersion, sc scenario, target scenarioEnv) (memVersion, error) {
	v, err := pep440.Parse(vs)
	if err != nil {
		return memVersion{}, err
	}
	rp := ">=3.12"
	if sv.RequiresPython != nil {
		rp = *sv.RequiresPython
	}
	spec, err := pep440.ParseSpecifierSet(rp)
	if err != nil {
		return memVersion{}, err
	}
	mv := memVersion{cand: Candidate{Version: v, RequiresPython: spec, Yanked: sv.Yanked}}
	mv.cand.Unavailable = availability(name, sv, sc, target)
	lines := slices.Clone(sv.Requires)
	for extra, reqs := range sv.Extras {
		for _, r := range reqs {
			lines = append(lines, withExtraMarker(r, extra))
		}
	}
	slices.Sort(lines)
	for _, s := range lines {
		r, err := pep508.ParseRequirement(s)
		if err != nil {
			return memVersion{}, err
		}
		mv.reqs = append(mv.reqs, r)
	}
	return mv, nil
}

func withExtraMarker(req, extra string) string {
	cond := fmt.Sprintf("extra == '%s'", extra)
	if base, marker, ok := strings.Cut(req, ";"); ok {
		return base + "; (" + strings.TrimSpace(marker) + ") and " + cond
	}
	return req + "; " + cond
}

// availability returns why no distribution of a version fits the target,
// or "". Like uv's pip compile, wheel tags are checked only when the
// scenario names a target platform.
func availability(name string, sv scenarioVersion, sc scenario, target scenarioEnv) string {
	hasWheel := sv.Wheel == nil || *sv.Wheel
	hasSdist := sv.Sdist == nil || *sv.Sdist
	if hasWheel && !slices.Contains(sc.ResolverOptions.NoBinary, name) {
		tags := sv.WheelTags
		if len(tags) == 0 {
			tags = []string{"py3-none-any"}
		}
		for _, tag := range tags {
			if sc.ResolverOptions.PythonPlatform == "" || wheelTagFits(tag, target) {
				return ""
			}
		}
	}
	if hasSdist && !slices.Contains(sc.ResolverOptions.NoBuild, name) {
		return ""
	}
	return "it has no wheel for the target and no source distribution that may be built"
}

// wheelTagFits reports whether a (possibly compressed) python-abi-platform
// tag fits a CPython interpreter of the target.
func wheelTagFits(tag string, target scenarioEnv) bool {
	parts := strings.SplitN(tag, "-", 3)
	if len(parts) != 3 {
		return false
	}
	return anyOf(parts[0], func(p string) bool { return pythonTagFits(p, target.minor) }) &&
		anyOf(parts[1], func(a string) bool { return abiTagFits(a, target.minor) }) &&
		anyOf(parts[2], func(p string) bool { return platformTagFits(p, target) })
}

func anyOf(compressed string, f func(string) bool) bool {
	return slices.ContainsFunc(strings.Split(compressed, "."), f)
}

func pythonTagFits(p string, minor int) bool {
	switch {
	case p == "py3":
		return true
	case strings.HasPrefix(p, "py3"):
		n, err := strconv.Atoi(p[3:])
		return err == nil && n <= minor
	case strings.HasPrefix(p, "cp3"):
		n, err := strconv.Atoi(p[3:])
		return err == nil && n <= minor
	}
	return false
}

func abiTagFits(a string, minor int) bool {
	return a == "none" || a == "abi3" || a == fmt.Sprintf("cp3%d", minor)
}

func platformTagFits(p string, target scenarioEnv) bool {
	if p == "any" {
		return true
	}
	switch target.platform {
	case "linux":
		return (strings.HasPrefix(p, "manylinux") || strings.HasPrefix(p, "linux_")) && strings.HasSuffix(p, "_"+target.machine)
	case "darwin":
		return strings.HasPrefix(p, "macosx") && (strings.HasSuffix(p, target.machine) || strings.HasSuffix(p, "universal2"))
	case "win32":
		return strings.HasPrefix(p, "win")
	}
	return false
}
