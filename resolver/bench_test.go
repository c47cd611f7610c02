package resolver

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
)

// generatedIndex builds a deterministic registry: pkgs packages with
// versions 1.0 … n.0 each; every version requires a few packages with a
// higher number, with a lower bound that grows with the version, so that
// newest versions conflict now and then and the solver has to backtrack.
func generatedIndex(pkgs, versions int) *memProvider {
	rng := rand.New(rand.NewPCG(1, 2))
	m := &memProvider{}
	for p := 0; p < pkgs; p++ {
		for ver := 1; ver <= versions; ver++ {
			var reqs []string
			for d := 0; d < 3 && p+1 < pkgs; d++ {
				dep := p + 1 + rng.IntN(min(8, pkgs-p-1))
				lo := 1 + rng.IntN(ver)
				hi := lo + 1 + rng.IntN(versions)
				reqs = append(reqs, fmt.Sprintf("p%d>=%d.0,<%d.0", dep, lo, hi))
			}
			m.add(fmt.Sprintf("p%d", p), fmt.Sprintf("%d.0", ver), reqs...)
		}
	}
	return m
}

func BenchmarkResolve(b *testing.B) {
	m := generatedIndex(benchPkgs, benchVersions)
	roots := requirements(b, "p0", "p1", "p2")
	for b.Loop() {
		_, err := Resolve(context.Background(), m, roots, Options{})
		var ns *NoSolutionError
		if err != nil && !errors.As(err, &ns) {
			b.Fatal(err)
		}
	}
}

func TestGeneratedIndexResolves(t *testing.T) {
	m := generatedIndex(benchPkgs, benchVersions)
	res, err := Resolve(context.Background(), m, requirements(t, "p0", "p1", "p2"), Options{})
	var ns *NoSolutionError
	switch {
	case errors.As(err, &ns):
		if Explain(ns.Tree) == "" {
			t.Fatal("empty explanation")
		}
	case err != nil:
		t.Fatal(err)
	default:
		checkConsistent(t, m, res)
	}
}

// checkConsistent verifies that every requirement of every chosen version
// is met by the resolution.
func checkConsistent(t *testing.T, m *memProvider, res *Resolution) {
	t.Helper()
	for _, p := range res.Packages {
		reqs, err := m.Requirements(context.Background(), p.Name, p.Version)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reqs {
			dep, ok := res.Get(r.NormalizedName())
			if !ok || !r.Specifier.Range().Contains(dep.Version) {
				t.Errorf("%s %s requires %s, resolution has %v", p.Name, p.Version, r, dep.Version)
			}
		}
	}
}

// The size of the generated registry.
const (
	benchPkgs     = 30
	benchVersions = 10
)

// BenchmarkIndexCases resolves each real-metadata case (offline PyPI
// snapshots, indexes/resolvelib/case/*.json) for CPython 3.11 on Linux with
// the metadata already in memory.
func BenchmarkIndexCases(b *testing.B) {
	dir, cases := conformance.IndexCases(b)
	for _, path := range cases {
		c, err := conformance.ReadIndexCase(path)
		if err != nil {
			b.Fatal(err)
		}
		m := loadSnapshot(b, filepath.Join(dir, "index", c.Index+".json"))
		roots := requirements(b, c.Requested...)
		b.Run(strings.TrimSuffix(filepath.Base(path), ".json"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Resolve(context.Background(), m, roots, cpython311()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
