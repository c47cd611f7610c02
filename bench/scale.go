package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pylock/pylock/internal/testindex"
)

// scalePoint is pylock's lock of one project size on the scale registry.
type scalePoint struct {
	direct   int // direct requirements
	packages int // locked packages
	cold     series
	warm     series
	check    series // pylock check of the warm lock
}

// scaleResult is the scale curve and the registry it was measured on.
type scaleResult struct {
	registry string
	points   []*scalePoint
}

// runScale serves the generated registry and locks projects of each size
// with pylock, -runs times, sizes in a rotated order per run.
func (b *bench) runScale() (*scaleResult, error) {
	sizes, err := parseSizes(b.cfg.scale)
	if err != nil {
		return nil, err
	}
	srv, reg, err := serveScale(b.cfg.delay)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	b.indexURL = srv.SimpleURL()
	res := &scaleResult{registry: reg.String()}
	for _, n := range sizes {
		res.points = append(res.points, &scalePoint{direct: n})
	}
	// The index builds a project's wheels when first asked about it: an
	// untimed lock of the largest project builds everything the others read.
	largest := res.points[len(res.points)-1]
	if err := b.lockScale(reg, largest, "prime", false); err != nil {
		return nil, err
	}
	for run := range b.cfg.runs {
		for i := range res.points {
			pt := res.points[(i+run)%len(res.points)]
			progress("scale: run %d/%d: %d direct requirements", run+1, b.cfg.runs, pt.direct)
			if err := b.lockScale(reg, pt, fmt.Sprint(run), true); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

// lockScale locks a project with pt.direct requirements cold, then warm,
// in a fresh folder named by tag, counts the locked packages and runs
// `pylock check` on the lock; it
// records the times in pt when record is set.
func (b *bench) lockScale(reg *testindex.ScaleRegistry, pt *scalePoint, tag string, record bool) error {
	dir := filepath.Join(b.work, "scale", fmt.Sprintf("%d-%s", pt.direct, tag))
	ws := workspace{project: filepath.Join(dir, "project"), cache: filepath.Join(dir, "cache"), url: b.indexURL}
	if err := writeProject(b, newTools()[0], ws.project, reg.Roots(pt.direct)); err != nil {
		return err
	}
	cold, err := run(pylockLock(b, ws))
	if err != nil {
		return err
	}
	lockPath := filepath.Join(ws.project, "pylock.toml")
	if pt.packages, err = lockedPackages(lockPath); err != nil {
		return err
	}
	if err := os.Remove(lockPath); err != nil {
		return err
	}
	warm, err := run(pylockLock(b, ws))
	if err != nil {
		return err
	}
	check, err := run(pylockCheck(b, ws))
	if err != nil {
		return err
	}
	if record {
		pt.cold.add(cold, nil)
		pt.warm.add(warm, nil)
		pt.check.add(check, nil)
	}
	return nil
}

// parseSizes reads -scale: ascending direct-requirement counts.
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || (len(sizes) > 0 && n <= sizes[len(sizes)-1]) {
			return nil, fmt.Errorf("-scale %q: want ascending positive counts such as 50,100,200,300", s)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// lockedPackages counts the [[packages]] tables of a pylock.toml.
func lockedPackages(lockPath string) (int, error) {
	data, err := os.ReadFile(lockPath)
	if err != nil {
		return 0, err
	}
	return strings.Count(string(data), "\n[[packages]]\n"), nil
}

// serveScale serves the generated registry, lazily built, with delay
// before every response.
func serveScale(delay time.Duration) (*testindex.Server, *testindex.ScaleRegistry, error) {
	start := time.Now()
	reg := testindex.GenerateScale(testindex.ScaleSeed, testindex.ScaleProjects, testindex.ScaleVersions)
	ix, err := testindex.FromSpecs(reg.Specs, testindex.SpecOptions{Lazy: true})
	if err != nil {
		return nil, nil, err
	}
	srv, err := testindex.Serve(ix, testindex.Options{Delay: delay})
	if err != nil {
		return nil, nil, err
	}
	progress("scale: %s, served in %v", reg, time.Since(start).Round(time.Millisecond))
	return srv, reg, nil
}
