package resolver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// scenario and scenarioVersion are the shared scenario schema.
type (
	scenario        = conformance.Scenario
	scenarioVersion = conformance.ScenarioVersion
)

func TestScenarios(t *testing.T) {
	dir := conformance.Dir(t, "scenarios")
	known := conformance.KnownFailuresOf(t, "scenarios")
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".toml") {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		key := strings.TrimSuffix(filepath.ToSlash(rel), ".toml")
		n++
		t.Run(key, func(t *testing.T) {
			conformance.Check(t, known, key, runScenario(path))
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no scenarios in %s", dir)
	}
}

// runScenario resolves one scenario file and returns "" when the outcome is
// the expected one, else what went wrong.
func runScenario(path string) string {
	sc, err := conformance.ReadScenario(path)
	if err != nil {
		return "read: " + err.Error()
	}
	target := scenarioTarget(sc)
	prov, err := newScenarioProvider(sc, target)
	if err != nil {
		return err.Error()
	}
	var roots []pep508.Requirement
	for _, s := range sc.Root.Requires {
		r, err := pep508.ParseRequirement(s)
		if err != nil {
			return err.Error()
		}
		roots = append(roots, r)
	}
	opts := scenarioOptions(sc, target)
	if sc.ResolverOptions.Universal {
		if err := universalOptions(sc, target, &opts); err != nil {
			return err.Error()
		}
	}
	res, err := Resolve(context.Background(), prov, roots, opts)
	return compareOutcome(sc, res, err)
}

// universalOptions turns single-environment options into the universal
// ones a scenario asks for: the root's requires-python (">=3.12" when not
// given; the target Python and newer for `uv pip compile` scenarios) and
// the required environments.
func universalOptions(sc scenario, target scenarioEnv, opts *Options) error {
	rp := ">=3.12"
	switch {
	case sc.Testgen.Kind == "compile":
		rp = ">=" + target.python.String()
	case sc.Root.RequiresPython != nil:
		rp = *sc.Root.RequiresPython
	}
	spec, err := pep440.ParseSpecifierSet(rp)
	if err != nil {
		return err
	}
	opts.Universal, opts.RequiresPython = true, spec.Range()
	for _, e := range sc.ResolverOptions.RequiredEnvironments {
		m, err := pep508.ParseMarker(e)
		if err != nil {
			return err
		}
		opts.Environments = append(opts.Environments, m)
	}
	return nil
}

func compareOutcome(sc scenario, res *Resolution, err error) string {
	var ns *NoSolutionError
	switch {
	case err != nil && !errors.As(err, &ns):
		return "error: " + err.Error()
	case err != nil && sc.Expected.Satisfiable:
		return "want a solution, got:\n" + err.Error()
	case err == nil && !sc.Expected.Satisfiable:
		return "want no solution, got " + describeResolution(res)
	case err != nil || sc.Expected.Packages == nil:
		return ""
	}
	want := map[string]string{}
	for name, v := range sc.Expected.Packages {
		want[pep508.NormalizeName(name)] = v
	}
	if sc.ResolverOptions.Universal {
		return missingPins(want, res)
	}
	ok := len(want) == len(res.Packages)
	for _, p := range res.Packages {
		w, found := want[p.Name]
		if !found || !pep440.MustParse(w).Equal(p.Version) {
			ok = false
		}
	}
	if !ok {
		return fmt.Sprintf("want %v, got %s", want, describeResolution(res))
	}
	return ""
}

// missingPins checks that every wanted pin is one of the universal
// resolution's entries.
func missingPins(want map[string]string, res *Resolution) string {
	var missing []string
	for name, v := range want {
		found := slices.ContainsFunc(res.Packages, func(p ResolvedPackage) bool {
			return p.Name == name && p.Version.Equal(pep440.MustParse(v))
		})
		if !found {
			missing = append(missing, name+"=="+v)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return fmt.Sprintf("missing %v, got %s", missing, describeResolution(res))
	}
	return ""
}

func describeResolution(res *Resolution) string {
	var parts []string
	for _, p := range res.Packages {
		part := p.Name + "==" + p.Version.String()
		if !p.Marker.IsTrue() {
			part += " ; " + p.Marker.String()
		}
		parts = append(parts, part)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// scenarioEnv is the target of a scenario: interpreter version and platform.
type scenarioEnv struct {
	python   pep440.Version
	minor    int
	machine  string
	platform string // "linux", "darwin", "win32"
}

func scenarioTarget(sc scenario) scenarioEnv {
	py := sc.ResolverOptions.Python
	if py == "" {
		py = sc.Environment.Python
	}
	if py == "" {
		py = "3.12"
	}
	v := pep440.MustParse(py)
	env := scenarioEnv{python: v, machine: "x86_64", platform: "linux"}
	if rel := v.Release(); len(rel) > 1 {
		env.minor = rel[1]
	}
	if p := sc.ResolverOptions.PythonPlatform; p != "" {
		arch, osName, _ := strings.Cut(p, "-")
		env.machine = arch
		switch {
		case strings.HasPrefix(osName, "macos"):
			env.platform = "darwin"
		case strings.HasPrefix(osName, "windows"):
			env.platform = "win32"
		}
	}
	return env
}

func scenarioOptions(sc scenario, target scenarioEnv) Options {
	rel := target.python.Release()
	full := target.python.String()
	if len(rel) == 2 {
		full += ".0"
	}
	system := map[string]string{"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}[target.platform]
	osName := "posix"
	if target.platform == "win32" {
		osName = "nt"
	}
	opts := Options{
		Environment: pep508.Environment{Vars: map[string]string{
			"python_version":                 fmt.Sprintf("%d.%d", rel[0], target.minor),
			"python_full_version":            full,
			"sys_platform":                   target.platform,
			"platform_system":                system,
			"platform_machine":               target.machine,
			"os_name":                        osName,
			"implementation_name":            "cpython",
			"platform_python_implementation": "CPython",
			"implementation_version":         full,
			"platform_release":               "",
			"platform_version":               "",
		}},
		Python: &target.python,
	}
	if sc.ResolverOptions.Prereleases {
		opts.Prereleases = PrereleaseAllow
	}
	switch sc.ResolverOptions.Resolution {
	case "lowest":
		opts.Strategy = StrategyLowest
	case "lowest-direct":
		opts.Strategy = StrategyLowestDirect
	}
	return opts
}
