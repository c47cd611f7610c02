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

// TestAgainstBruteForce resolves many small random registries and checks
// every answer: a resolution must meet every requirement, and "no solution"
// must agree with an exhaustive search.
func TestAgainstBruteForce(t *testing.T) {
	const pkgs, versions = 5, 3
	unsat := 0
	for seed := uint64(0); seed < 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		m := &memProvider{}
		for p := 0; p < pkgs; p++ {
			for ver := 1; ver <= versions; ver++ {
				var reqs []string
				for d := 0; d < 2; d++ {
					if dep := rng.IntN(pkgs); dep != p && rng.IntN(3) > 0 {
						reqs = append(reqs, fmt.Sprintf("p%d>=%d,<=%d", dep, 1+rng.IntN(versions), 1+rng.IntN(versions)+1))
					}
				}
				m.add(fmt.Sprintf("p%d", p), fmt.Sprintf("%d", ver), reqs...)
			}
		}
		roots := requirements(t, "p0", fmt.Sprintf("p1>=%d", 1+rng.IntN(versions)))
		res, err := Resolve(context.Background(), m, roots, Options{})
		var ns *NoSolutionError
		switch {
		case errors.As(err, &ns):
			unsat++
			if bruteForce(m, roots, pkgs, versions) {
				t.Errorf("seed %d: no solution reported, but one exists:\n%s", seed, Explain(ns.Tree))
			}
		case err != nil:
			t.Fatalf("seed %d: %v", seed, err)
		default:
			checkConsistent(t, m, res)
		}
	}
	if unsat == 0 || unsat == 200 {
		t.Errorf("%d of 200 registries unsatisfiable; the test needs both kinds", unsat)
	}
	t.Logf("%d of 200 registries unsatisfiable", unsat)
}

// bruteForce reports whether some choice (absent or one version per
// package) meets the root requirements and every chosen version's.
func bruteForce(m *memProvider, roots []pep508.Requirement, pkgs, versions int) bool {
	choice := make([]int, pkgs) // 0 = absent
	ok := func(reqs []pep508.Requirement) bool {
		for _, r := range reqs {
			var idx int
			fmt.Sscanf(r.Name, "p%d", &idx)
			if choice[idx] == 0 || !r.Specifier.Range().Contains(pep440.MustParse(fmt.Sprint(choice[idx]))) {
				return false
			}
		}
		return true
	}
	var try func(i int) bool
	try = func(i int) bool {
		if i == pkgs {
			if !ok(roots) {
				return false
			}
			for p, c := range choice {
				if c == 0 {
					continue
				}
				reqs, _ := m.Requirements(context.Background(), fmt.Sprintf("p%d", p), pep440.MustParse(fmt.Sprint(c)))
				if !ok(reqs) {
					return false
				}
			}
			return true
		}
		for c := 0; c <= versions; c++ {
			choice[i] = c
			if try(i + 1) {
				return true
			}
		}
		return false
	}
	return try(0)
}
