package project

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/resolver"
)

// scenario is the shared scenario schema.
type scenario = conformance.Scenario

// TestScenarios locks every resolver scenario through the product path: the
// scenario's packages served by the test index on 127.0.0.1, a pyproject.toml
// for its root, and Project.Lock with its options, for a synthetic target
// (the scenario's Python version, CPython on Linux x86_64 unless it names a
// platform). The outcome and every expected pin must match.
func TestScenarios(t *testing.T) {
	dir := conformance.Dir(t, "scenarios")
	known := conformance.KnownFailuresOf(t, "scenarios")
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".toml") {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no scenarios in %s", dir)
	}
	for _, path := range paths {
		rel, _ := filepath.Rel(dir, path)
		key := strings.TrimSuffix(filepath.ToSlash(rel), ".toml")
		t.Run(key, func(t *testing.T) {
			conformance.Check(t, known, key, runScenario(t, path))
		})
	}
}

// runScenario locks one scenario and returns "" when the outcome is the
// expected one, else what went wrong.
func runScenario(t *testing.T, path string) string {
	sc, err := conformance.ReadScenario(path)
	if err != nil {
		return "read: " + err.Error()
	}
	ix, err := testindex.FromSpecs(scenarioSpecs(sc), testindex.SpecOptions{})
	if err != nil {
		return "index: " + err.Error()
	}
	srv, err := testindex.Serve(ix, testindex.Options{})
	if err != nil {
		return err.Error()
	}
	defer srv.Close()
	projectDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(projectDir, PyprojectName), scenarioPyproject(sc), 0o644); err != nil {
		return err.Error()
	}
	p, err := New(Settings{Dir: projectDir, IndexURL: srv.SimpleURL(), CacheDir: t.TempDir()})
	if err != nil {
		return err.Error()
	}
	opts := scenarioLockOptions(sc)
	if sc.ResolverOptions.Universal {
		opts.PythonVersion, opts.PythonPlatform = "", ""
		_, err = p.Lock(context.Background(), opts)
		return compareUniversal(sc, p.LockPath(), err)
	}
	_, err = p.Lock(context.Background(), opts)
	return compareScenario(sc, p.LockPath(), err)
}

// compareUniversal judges a universal lock: every expected pin must be one
// of the versions it holds (other forks may hold other versions).
func compareUniversal(sc scenario, lockPath string, err error) string {
	var ns *resolver.NoSolutionError
	switch {
	case err != nil && !errors.As(err, &ns):
		return "error: " + err.Error()
	case err != nil && sc.Expected.Satisfiable:
		return "want a solution, got:\n" + err.Error()
	case err != nil:
		return ""
	}
	lock, err := lockfile.ReadFile(lockPath)
	if err != nil {
		return "reading the lock: " + err.Error()
	}
	var got []string
	for _, pkg := range lock.Packages {
		got = append(got, pkg.Name+"=="+pkg.Version)
	}
	if !sc.Expected.Satisfiable {
		return fmt.Sprintf("want no solution, got %v", got)
	}
	for name, want := range sc.Expected.Packages {
		found := slices.ContainsFunc(lock.Packages, func(pkg lockfile.Package) bool {
			return pkg.Name == pep508.NormalizeName(name) && pep440.MustParse(pkg.Version).Equal(pep440.MustParse(want))
		})
		if !found {
			return fmt.Sprintf("want %s==%s among %v", name, want, got)
		}
	}
	return ""
}

// scenarioSpecs describes a scenario's packages for the test index.
func scenarioSpecs(sc scenario) []testindex.Spec {
	var specs []testindex.Spec
	for _, name := range sortedNames(sc.Packages) {
		spec := testindex.Spec{Name: name}
		for _, vs := range sortedNames(sc.Packages[name].Versions) {
			sv := sc.Packages[name].Versions[vs]
			rs := testindex.ReleaseSpec{Version: vs, RequiresPython: ">=3.12", RequiresDist: sv.Requires,
				Extras: sv.Extras, Yanked: sv.Yanked}
			if sv.RequiresPython != nil {
				rs.RequiresPython = *sv.RequiresPython
			}
			if sv.Wheel == nil || *sv.Wheel {
				rs.Files = append(rs.Files, sv.WheelTags...)
				if len(sv.WheelTags) == 0 {
					rs.Files = append(rs.Files, "py3-none-any")
				}
			}
			if sv.Sdist == nil || *sv.Sdist {
				rs.Files = append(rs.Files, "sdist")
			}
			if len(rs.Files) > 0 {
				spec.Releases = append(spec.Releases, rs)
			}
		}
		if len(spec.Releases) > 0 {
			specs = append(specs, spec)
		}
	}
	return specs
}

func sortedNames[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// scenarioPyproject is the root project of a scenario.
func scenarioPyproject(sc scenario) []byte {
	rp := ">=3.12"
	if sc.Root.RequiresPython != nil {
		rp = *sc.Root.RequiresPython
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[project]\nname = \"pylock-scenario-root\"\nversion = \"0.1.0\"\nrequires-python = %q\ndependencies = [\n", rp)
	for _, r := range sc.Root.Requires {
		fmt.Fprintf(&b, "  %q,\n", r)
	}
	b.WriteString("]\n")
	if envs := sc.ResolverOptions.RequiredEnvironments; len(envs) > 0 {
		b.WriteString("\n[tool.pylock]\nenvironments = [\n")
		for _, m := range envs {
			fmt.Fprintf(&b, "  %q,\n", m)
		}
		b.WriteString("]\n")
	}
	return []byte(b.String())
}

// scenarioLockOptions are the lock options a scenario's resolver options
// and environment ask for. Like uv, it may build source distributions.
func scenarioLockOptions(sc scenario) LockOptions {
	ro := sc.ResolverOptions
	opts := LockOptions{
		PythonVersion:  cmp(ro.Python, sc.Environment.Python, "3.12"),
		PythonPlatform: cmp(ro.PythonPlatform, "x86_64-unknown-linux-gnu"),
		Resolution:     ro.Resolution,
		AllowSdist:     true,
		NoBuild:        ro.NoBuild,
		NoBinary:       ro.NoBinary,
	}
	if ro.Prereleases {
		opts.Prerelease = PrereleaseAllow
	}
	return opts
}

// cmp returns the first non-empty string.
func cmp(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// compareScenario judges a lock's outcome: lockErr from Lock, and the lock
// file it wrote.
func compareScenario(sc scenario, lockPath string, lockErr error) string {
	var ns *resolver.NoSolutionError
	switch {
	case lockErr != nil && !errors.As(lockErr, &ns):
		return "error: " + lockErr.Error()
	case lockErr != nil && sc.Expected.Satisfiable:
		return "want a solution, got:\n" + lockErr.Error()
	case lockErr != nil:
		return ""
	}
	lock, err := lockfile.ReadFile(lockPath)
	if err != nil {
		return "reading the lock: " + err.Error()
	}
	var got []string
	pins := map[string]pep440.Version{}
	for _, pkg := range lock.Packages {
		got = append(got, pkg.Name+"=="+pkg.Version)
		pins[pep508.NormalizeName(pkg.Name)] = pep440.MustParse(pkg.Version)
	}
	if !sc.Expected.Satisfiable {
		return fmt.Sprintf("want no solution, got %v", got)
	}
	if sc.Expected.Packages == nil {
		return ""
	}
	ok := len(pins) == len(sc.Expected.Packages)
	for name, want := range sc.Expected.Packages {
		v, found := pins[pep508.NormalizeName(name)]
		ok = ok && found && v.Equal(pep440.MustParse(want))
	}
	if !ok {
		slices.Sort(got)
		return fmt.Sprintf("want %v, got %v", sc.Expected.Packages, got)
	}
	return ""
}
