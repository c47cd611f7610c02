package resolver

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// propertyEnvs are the environments a random universal registry is checked
// in: two platforms and two Pythons.
var propertyEnvs = func() []pep508.Environment {
	var out []pep508.Environment
	for _, plat := range []string{"linux", "win32"} {
		for _, py := range []string{"3.9", "3.12"} {
			out = append(out, pep508.Environment{Vars: map[string]string{
				"sys_platform": plat, "python_version": py, "python_full_version": py + ".0",
			}})
		}
	}
	return out
}()

// propertyMarkers are the markers random requirements carry.
var propertyMarkers = []string{"", "", `sys_platform == "linux"`, `sys_platform == "win32"`,
	`python_version < "3.10"`, `python_version >= "3.10"`}

// TestUniversalAgainstEnvironments resolves random registries whose
// requirements carry markers, universally, and checks the result in every
// environment: at most one version of each package is installed, and the
// installed set meets every requirement that applies there. A registry
// with no universal solution must have no solution in some environment or
// a conflict the forks cannot separate; the count is logged.
func TestUniversalAgainstEnvironments(t *testing.T) {
	const pkgs, versions = 4, 3
	unsat := 0
	for seed := uint64(0); seed < 150; seed++ {
		rng := rand.New(rand.NewPCG(seed, 11))
		m := &memProvider{}
		for p := 0; p < pkgs; p++ {
			for ver := 1; ver <= versions; ver++ {
				var reqs []string
				for d := 0; d < 2; d++ {
					if dep := rng.IntN(pkgs); dep != p && rng.IntN(3) > 0 {
						reqs = append(reqs, randomReq(rng, dep, versions))
					}
				}
				m.add(fmt.Sprintf("p%d", p), fmt.Sprintf("%d", ver), reqs...)
			}
		}
		roots := requirements(t, randomReq(rng, 0, versions), randomReq(rng, 0, versions), randomReq(rng, 1, versions))
		opts := Options{Universal: true, RequiresPython: rangeOf(">=3.9")}
		res, err := Resolve(context.Background(), m, roots, opts)
		var ns *NoSolutionError
		switch {
		case errors.As(err, &ns):
			unsat++
		case err != nil:
			t.Fatalf("seed %d: %v", seed, err)
		default:
			for _, env := range propertyEnvs {
				if msg := checkInEnv(m, roots, res, env); msg != "" {
					t.Errorf("seed %d, %v: %s\n%s", seed, env.Vars, msg, describeResolution(res))
				}
			}
		}
	}
	t.Logf("%d of 150 registries have no universal solution", unsat)
}

func randomReq(rng *rand.Rand, dep, versions int) string {
	s := fmt.Sprintf("p%d>=%d,<=%d", dep, 1+rng.IntN(versions), 1+rng.IntN(versions)+1)
	if mk := propertyMarkers[rng.IntN(len(propertyMarkers))]; mk != "" {
		s += "; " + mk
	}
	return s
}

// checkInEnv installs what the universal resolution selects in env and
// checks it; it returns what is wrong, or "".
func checkInEnv(m *memProvider, roots []pep508.Requirement, res *Resolution, env pep508.Environment) string {
	installed := map[string]pep440.Version{}
	for _, p := range res.Packages {
		if !p.Marker.Evaluate(env) {
			continue
		}
		if v, dup := installed[p.Name]; dup {
			return fmt.Sprintf("%s installed at %s and %s", p.Name, v, p.Version)
		}
		installed[p.Name] = p.Version
	}
	check := func(who string, reqs []pep508.Requirement) string {
		for _, r := range reqs {
			if !r.Marker.Evaluate(env) {
				continue
			}
			v, ok := installed[r.Name]
			if !ok || !r.Specifier.Range().Contains(v) {
				return fmt.Sprintf("%s needs %s, installed %v", who, r, installed)
			}
		}
		return ""
	}
	if msg := check("the root", roots); msg != "" {
		return msg
	}
	for name, v := range installed {
		reqs, _ := m.Requirements(context.Background(), name, v)
		if msg := check(name+" "+v.String(), reqs); msg != "" {
			return msg
		}
	}
	return ""
}
