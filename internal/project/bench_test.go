package project

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep508"
)

// benchDelay is added to every response of the benchmark's index, as the
// round trip to a distant index.
const benchDelay = 20 * time.Millisecond

// BenchmarkLockRealMetadata locks each resolvelib real-metadata case (see
// TestIndexCases) against the test index serving its snapshot, with
// benchDelay added to every response, and reports per lock:
//
//   - cold-ms: a lock with an empty cache folder (a fresh one per iteration);
//   - bound-ms: the lower bound of a cold lock, the longest chain of requests
//     that must wait on each other, times benchDelay. It is counted on the
//     locked dependency graph: a package cannot be asked about before the
//     metadata of a package that requires it has arrived, and then needs
//     its project page (which lists its versions) and, one after the other,
//     the metadata of the chosen version (whose URL needs the version)
//     unless that is the newest release, whose metadata the JSON API's page
//     carries. Each package is reached by its cheapest chain of such
//     requests from the project; the bound is the costliest of those
//     chains. Versions tried and dropped, and the files' hashes (which the
//     pages carry), add no link to it;
//   - ratio: cold-ms / bound-ms (the goal is at most 2);
//   - requests: the requests the cold lock sent to the index;
//   - warm-ms and warm-requests: the same lock again with the cache the cold
//     lock filled, and no previous pylock.toml (the goal is under 100 ms).
//
// Each figure is the median of the iterations; a Markdown table of them
// goes to the benchmark log. Run it with
//
//	go test -run '^$' -bench BenchmarkLockRealMetadata -benchtime 5x ./internal/project/
//
// The test index builds a project's files when first asked about it, so an
// untimed lock primes it first. The index shares the machine's processors
// with pylock: on a loaded machine both slow down.
func BenchmarkLockRealMetadata(b *testing.B) {
	benchIndexCases(b, func(b *testing.B, dir, path, name string) benchRow {
		row := benchLockCase(b, dir, path)
		row.name = name
		return row
	}, benchTable)
}

// benchIndexCases runs measure as a sub-benchmark for each real-metadata
// case and logs table of the rows after the last one: a benchmark's own log
// is printed only with -v when it has sub-benchmarks.
func benchIndexCases[R any](b *testing.B, measure func(b *testing.B, dir, path, name string) R, table func([]R) string) {
	dir, cases := conformance.IndexCases(b)
	var rows []R
	for i, path := range cases {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		b.Run(name, func(b *testing.B) {
			rows = append(rows, measure(b, dir, path, name))
			if i == len(cases)-1 {
				b.Log("\n" + table(rows))
			}
		})
	}
}

// benchRow holds the medians of one case's measurements.
type benchRow struct {
	name                  string
	depth                 int
	cold, bound, warm     time.Duration
	requests, warmRequest int
	packages              int
}

// benchLockCase measures one case; see BenchmarkLockRealMetadata.
func benchLockCase(b *testing.B, dir, path string) benchRow {
	c, srv, err := serveIndexCase(dir, path, benchDelay)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	// A first lock builds the files of every project it reads (the index
	// builds them lazily) and gives the dependency graph for the bound.
	prime := lockIndexCase(b, c, srv, b.TempDir())
	depth, chain := lockDepth(b, prime.lockPath, c.Requested, srv.Index())
	bound := time.Duration(chain) * benchDelay
	var colds, warms []time.Duration
	var reqs, warmReqs []int
	for b.Loop() {
		cacheDir := b.TempDir()
		cold := lockIndexCase(b, c, srv, cacheDir)
		warm := lockIndexCase(b, c, srv, cacheDir)
		colds, warms = append(colds, cold.elapsed), append(warms, warm.elapsed)
		reqs, warmReqs = append(reqs, cold.requests), append(warmReqs, warm.requests)
	}
	row := benchRow{depth: depth, bound: bound, cold: median(colds), warm: median(warms),
		requests: median(reqs), warmRequest: median(warmReqs), packages: prime.packages}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(msOf(row.cold), "cold-ms")
	b.ReportMetric(msOf(row.bound), "bound-ms")
	b.ReportMetric(msOf(row.cold)/msOf(row.bound), "ratio")
	b.ReportMetric(float64(row.requests), "requests")
	b.ReportMetric(msOf(row.warm), "warm-ms")
	b.ReportMetric(float64(row.warmRequest), "warm-requests")
	return row
}

// benchLock is what one lock of a case took.
type benchLock struct {
	elapsed  time.Duration
	requests int
	packages int
	lockPath string
}

// lockIndexCase locks the case's requirements in a fresh project folder with
// the given cache folder, for CPython 3.11 on Linux as TestIndexCases does.
func lockIndexCase(b *testing.B, c indexCase, srv *testindex.Server, cacheDir string) benchLock {
	projectDir := b.TempDir()
	writeBenchProject(b, projectDir, "[project]\nname = \"pylock-index-case\"\nversion = \"0.1.0\"\n", c.Requested)
	p, err := New(Settings{Dir: projectDir, IndexURL: srv.SimpleURL(), CacheDir: cacheDir})
	if err != nil {
		b.Fatal(err)
	}
	srv.ResetRequests()
	start := time.Now()
	res, err := p.Lock(context.Background(), LockOptions{PythonVersion: "3.11", PythonPlatform: "x86_64-unknown-linux-gnu"})
	elapsed := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if diff := compareLocked(p.LockPath(), c.Resolved); diff != "" {
		b.Fatalf("lock differs from the case: %s", diff)
	}
	return benchLock{elapsed: elapsed, requests: srv.TotalRequests(), packages: res.Packages, lockPath: p.LockPath()}
}

// lockDepth is the greatest depth of a locked package in the lock's
// dependency graph (the requested packages are at depth 1), and the number
// of requests on the longest of the cheapest chains that reach a package, as
// BenchmarkLockRealMetadata's bound counts them.
func lockDepth(b *testing.B, lockPath string, requested []string, ix *testindex.Index) (depth, chain int) {
	lock, err := lockfile.ReadFile(lockPath)
	if err != nil {
		b.Fatal(err)
	}
	deps, cost := map[string][]string{}, map[string]int{}
	for _, pkg := range lock.Packages {
		name := pep508.NormalizeName(pkg.Name)
		for _, d := range pkg.Dependencies {
			deps[name] = append(deps[name], pep508.NormalizeName(d.Name))
		}
		cost[name] = 2 // the page, then the metadata
		if latest := ix.Project(name).Latest(); latest != nil && latest.Version.String() == pkg.Version {
			cost[name] = 1
		}
	}
	depths, cheapest := map[string]int{}, map[string]int{}
	var level []string
	for _, r := range requested {
		req, err := pep508.ParseRequirement(r)
		if err != nil {
			b.Fatal(err)
		}
		if name := req.NormalizedName(); depths[name] == 0 {
			depths[name], cheapest[name] = 1, cost[name]
			level = append(level, name)
		}
	}
	for d := 1; len(level) > 0; d++ {
		depth = d
		var next []string
		for _, name := range level {
			for _, dep := range deps[name] {
				if depths[dep] == 0 {
					depths[dep] = d + 1
					next = append(next, dep)
				}
			}
		}
		level = next
	}
	if len(depths) != len(lock.Packages) {
		b.Fatalf("the lock's dependency graph reaches %d of its %d packages", len(depths), len(lock.Packages))
	}
	for changed := true; changed; { // costs are positive: this settles
		changed = false
		for name, via := range cheapest {
			for _, dep := range deps[name] {
				if c, ok := cheapest[dep]; !ok || via+cost[dep] < c {
					cheapest[dep], changed = via+cost[dep], true
				}
			}
		}
	}
	for _, c := range cheapest {
		chain = max(chain, c)
	}
	return depth, chain
}

// median returns the middle value of xs (the upper one of an even count).
func median[T int | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// benchTable formats rows as a Markdown table.
func benchTable(rows []benchRow) string {
	var sb strings.Builder
	sb.WriteString("| case | packages | depth | bound ms | cold ms | cold/bound | requests | warm ms | warm requests |\n")
	sb.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&sb, "| %s | %d | %d | %.0f | %.0f | %.2f | %d | %.0f | %d |\n", r.name, r.packages, r.depth,
			msOf(r.bound), msOf(r.cold), msOf(r.cold)/msOf(r.bound), r.requests, msOf(r.warm), r.warmRequest)
	}
	return sb.String()
}

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
