package project

import (
	"runtime"
	"testing"
)

// benchCheckDirect is how many direct requirements on the scale registry
// give a lock of at least benchCheckPackages packages.
const (
	benchCheckDirect   = 20
	benchCheckPackages = 300
)

// BenchmarkCheck times Project.Check (what `pylock check` does after
// parsing its flags: read pyproject.toml and pylock.toml, validate the lock,
// compare the inputs) on a lock of at least 300 packages, locked from the
// generated scale registry (see BenchmarkLockScale). The goal of issue 6 is
// under 50 ms. Besides the wall time (ns/op) it reports cpu-ms, the
// process's CPU time (user and system) per check, which a busy shared
// machine inflates far less. Run it with
//
//	go test -run '^$' -bench BenchmarkCheck -benchtime 20x ./internal/project/
func BenchmarkCheck(b *testing.B) {
	srv, reg := serveScaleRegistry(b)
	dir := b.TempDir()
	locked := lockScaleProject(b, srv, reg.Roots(benchCheckDirect), dir, b.TempDir())
	if locked.packages < benchCheckPackages {
		b.Fatalf("the lock has %d packages, want at least %d: raise benchCheckDirect", locked.packages, benchCheckPackages)
	}
	p, err := New(Settings{Dir: dir, Offline: true})
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC() // the lock's garbage is not the check's
	cpuBefore, cpuKnown := processCPU(b)
	checks := 0
	for b.Loop() {
		checks++
		res, err := p.Check()
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Differences) > 0 || len(res.Problems) > 0 {
			b.Fatalf("a fresh lock is stale: %v %v", res.Differences, res.Problems)
		}
	}
	if cpuAfter, _ := processCPU(b); cpuKnown {
		b.ReportMetric(msOf(cpuAfter-cpuBefore)/float64(checks), "cpu-ms")
	}
	b.ReportMetric(float64(locked.packages), "packages")
}
