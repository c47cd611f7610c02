package resolver

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// loadSnapshot reads a resolvelib index file ({name: {version:
// {"dependencies": [...]}}}) into a provider; unparsable versions and
// requirements are skipped, as a real provider skips them.
func loadSnapshot(t testing.TB, path string) *memProvider {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]map[string]struct{ Dependencies []string }
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	m := &memProvider{pkgs: map[string][]memVersion{}}
	for name, versions := range raw {
		key := pep508.NormalizeName(name)
		for vs, info := range versions {
			ver, err := pep440.Parse(vs)
			if err != nil {
				continue
			}
			mv := memVersion{cand: Candidate{Version: ver}}
			for _, d := range info.Dependencies {
				if r, err := pep508.ParseRequirement(d); err == nil {
					mv.reqs = append(mv.reqs, r)
				}
			}
			m.pkgs[key] = append(m.pkgs[key], mv)
		}
	}
	return m
}

// cpython311 is the environment the resolvelib cases were computed for.
func cpython311() Options {
	py := pep440.MustParse("3.11")
	return Options{Python: &py, Environment: pep508.Environment{Vars: map[string]string{
		"python_version": "3.11", "python_full_version": "3.11.0", "sys_platform": "linux",
		"platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix",
		"implementation_name": "cpython", "platform_python_implementation": "CPython",
		"implementation_version": "3.11.0", "platform_release": "", "platform_version": "",
	}}}
}

func TestIndexCases(t *testing.T) {
	known := conformance.KnownFailuresOf(t, "indexes")
	dir, cases := conformance.IndexCases(t)
	for _, path := range cases {
		key := "indexes/resolvelib/" + strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(key, func(t *testing.T) {
			conformance.Check(t, known, key, runIndexCase(t, dir, path))
		})
	}
}

func runIndexCase(t *testing.T, dir, path string) string {
	c, err := conformance.ReadIndexCase(path)
	if err != nil {
		return err.Error()
	}
	m := loadSnapshot(t, filepath.Join(dir, "index", c.Index+".json"))
	res, err := Resolve(context.Background(), m, requirements(t, c.Requested...), cpython311())
	if err != nil {
		return err.Error()
	}
	var diffs []string
	for name, want := range c.Resolved {
		got, ok := res.Get(pep508.NormalizeName(name))
		if !ok || !got.Version.Equal(pep440.MustParse(want)) {
			diffs = append(diffs, fmt.Sprintf("%s: got %v, want %s", name, got.Version, want))
		}
	}
	if len(res.Packages) != len(c.Resolved) {
		diffs = append(diffs, fmt.Sprintf("got %s", describeResolution(res)))
	}
	return strings.Join(diffs, "; ")
}
