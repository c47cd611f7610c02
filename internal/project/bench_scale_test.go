package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/testindex"
)

// benchScaleSizes are the direct-requirement counts of the scale curve.
var benchScaleSizes = []int{50, 100, 200, 300}

// BenchmarkLockScale locks projects with 50, 100, 200 and 300 direct
// requirements on the generated registry of testindex.GenerateScale (5,000
// projects × 20 versions, fixed seed), served with no delay (the figures
// are pylock's own cost), and reports per size, as medians of the
// iterations:
//
//   - cold-ms: a lock with an empty cache folder;
//   - warm-ms: the same lock again with that cache and no lock file;
//   - packages: the packages locked;
//   - us-per-package: cold-ms per locked package, flat when the lock time
//     grows linearly with the packages locked;
//   - alloc-MB: the memory a cold lock allocates (runtime.MemStats
//     TotalAlloc before and after), which bounds what it can hold at once.
//
// Run it with
//
//	go test -run '^$' -bench BenchmarkLockScale -benchtime 3x ./internal/project/
//
// The index builds a project's wheels when first asked about it, so an
// untimed lock of the largest project primes it first. `go run ./bench`
// draws the same curve with the pylock binary and the 20 ms delay.
func BenchmarkLockScale(b *testing.B) {
	srv, reg := serveScaleRegistry(b)
	largest := benchScaleSizes[len(benchScaleSizes)-1]
	lockScaleProject(b, srv, reg.Roots(largest), b.TempDir(), b.TempDir())
	for _, n := range benchScaleSizes {
		b.Run(fmt.Sprintf("direct=%d", n), func(b *testing.B) {
			var colds, warms []time.Duration
			var packages int
			var allocs []int
			for b.Loop() {
				dir, cache := b.TempDir(), b.TempDir()
				before := totalAlloc()
				cold := lockScaleProject(b, srv, reg.Roots(n), dir, cache)
				allocs = append(allocs, int(totalAlloc()-before))
				if err := os.Remove(filepath.Join(dir, LockName)); err != nil {
					b.Fatal(err)
				}
				warm := lockScaleProject(b, srv, reg.Roots(n), dir, cache)
				colds, warms, packages = append(colds, cold.elapsed), append(warms, warm.elapsed), cold.packages
			}
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(msOf(median(colds)), "cold-ms")
			b.ReportMetric(msOf(median(warms)), "warm-ms")
			b.ReportMetric(float64(packages), "packages")
			b.ReportMetric(float64(median(colds).Microseconds())/float64(packages), "us-per-package")
			b.ReportMetric(float64(median(allocs))/(1<<20), "alloc-MB")
		})
	}
}

// serveScaleRegistry serves the full-size generated registry, lazily built,
// with no delay, for the rest of the benchmark.
func serveScaleRegistry(b *testing.B) (*testindex.Server, *testindex.ScaleRegistry) {
	reg := testindex.GenerateScale(testindex.ScaleSeed, testindex.ScaleProjects, testindex.ScaleVersions)
	ix, err := testindex.FromSpecs(reg.Specs, testindex.SpecOptions{Lazy: true})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := testindex.Serve(ix, testindex.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	return srv, reg
}

// lockScaleProject writes a project requiring roots into dir (keeping its
// lock file, if any) and locks it universally with the cache folder cache.
func lockScaleProject(b *testing.B, srv *testindex.Server, roots []string, dir, cache string) benchLock {
	writeBenchProject(b, dir, "[project]\nname = \"scale\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\n", roots)
	p, err := New(Settings{Dir: dir, IndexURL: srv.SimpleURL(), CacheDir: cache})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	res, err := p.Lock(context.Background(), LockOptions{})
	elapsed := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	return benchLock{elapsed: elapsed, packages: res.Packages, lockPath: p.LockPath()}
}

// totalAlloc is the bytes the process has allocated so far (the test
// index's included: it answers from the same process).
func totalAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// writeBenchProject writes dir's pyproject.toml: the [project] table's
// header lines, then its dependencies.
func writeBenchProject(b *testing.B, dir, header string, requirements []string) {
	var sb strings.Builder
	sb.WriteString(header + "dependencies = [\n")
	for _, r := range requirements {
		fmt.Fprintf(&sb, "  %q,\n", r)
	}
	sb.WriteString("]\n")
	if err := os.WriteFile(filepath.Join(dir, PyprojectName), []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
}
