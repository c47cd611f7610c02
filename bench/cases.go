package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
)

// The measurements of a case, in table order.
const (
	coldLock    = "cold lock"
	warmLock    = "warm lock"
	coldInstall = "cold install"
	warmInstall = "warm install"
	noopInstall = "no-op install"
	checkLock   = "check"
)

var measurements = []string{coldLock, warmLock, coldInstall, warmInstall, noopInstall, checkLock}

// caseResult holds one case's measurements: tool key -> measurement ->
// series.
type caseResult struct {
	name     string
	packages int // in pylock's lock
	results  map[string]map[string]*series
}

// series returns the series of a tool's measurement, making it.
func (c *caseResult) series(tool, measurement string) *series {
	if c.results[tool] == nil {
		c.results[tool] = map[string]*series{}
	}
	if c.results[tool][measurement] == nil {
		c.results[tool][measurement] = &series{}
	}
	return c.results[tool][measurement]
}

// runCases measures every selected real-metadata case.
func (b *bench) runCases() ([]*caseResult, error) {
	dir, paths, err := caseFiles()
	if err != nil {
		return nil, err
	}
	var results []*caseResult
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		if b.cfg.cases != "" && !slices.Contains(strings.Split(b.cfg.cases, ","), name) {
			continue
		}
		res, err := b.runCase(dir, path, name)
		if err != nil {
			return nil, fmt.Errorf("case %s: %w", name, err)
		}
		results = append(results, res)
	}
	if len(results) == 0 {
		return nil, fmt.Errorf("-cases %q matches none of %d cases in %s", b.cfg.cases, len(paths), dir)
	}
	return results, nil
}

// caseFiles finds the resolvelib folder of the conformance data and its
// case files.
func caseFiles() (dir string, paths []string, err error) {
	root := os.Getenv(conformance.EnvVar)
	if root == "" {
		repo, err := conformance.RepoRoot()
		if err != nil {
			return "", nil, err
		}
		root = filepath.Join(filepath.Dir(repo), "shared", "conformance")
	}
	dir = filepath.Join(root, "indexes", "resolvelib")
	paths, err = filepath.Glob(filepath.Join(dir, "case", "*.json"))
	if err == nil && len(paths) == 0 {
		err = fmt.Errorf("no cases in %s (set %s)", filepath.Join(dir, "case"), conformance.EnvVar)
	}
	return dir, paths, err
}

// runCase serves one case's snapshot and measures every tool on it, -runs
// times, in a rotated order per run.
func (b *bench) runCase(dir, path, name string) (*caseResult, error) {
	c, err := conformance.ReadIndexCase(path)
	if err != nil {
		return nil, err
	}
	srv, err := serveSnapshot(filepath.Join(dir, "index", c.Index+".json"), b.cfg.delay)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	b.indexURL = srv.SimpleURL()
	res := &caseResult{name: name, results: map[string]map[string]*series{}}
	exported, packages, err := b.exportLock(name, c.Requested)
	if err != nil {
		return nil, err
	}
	res.packages = packages
	for run := range b.cfg.runs {
		for i := range b.tools {
			t := b.tools[(i+run)%len(b.tools)]
			if t.missing != "" {
				continue
			}
			progress("%s: run %d/%d: %s", name, run+1, b.cfg.runs, t.name)
			ws := workspace{project: filepath.Join(b.work, name, fmt.Sprint(run), t.key, "project"), url: b.indexURL, exported: exported}
			b.measureTool(res, t, ws, c.Requested)
		}
	}
	return res, nil
}

// serveSnapshot serves a resolvelib index snapshot with the test index,
// every file built before the first request (so no tool pays for building
// them), with delay before every response.
func serveSnapshot(path string, delay time.Duration) (*testindex.Server, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	specs, err := testindex.ResolvelibSpecs(data)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	ix, err := testindex.FromSpecs(specs, testindex.SpecOptions{})
	if err != nil {
		return nil, err
	}
	progress("%s: %d projects built in %v", filepath.Base(path), len(ix.Projects), time.Since(start).Round(time.Millisecond))
	return testindex.Serve(ix, testindex.Options{Delay: delay})
}

// exportLock locks the case with pylock (untimed) and exports the locked
// set as hashed requirements, what pip installs; it returns the file and
// the number of locked packages.
func (b *bench) exportLock(name string, requested []string) (string, int, error) {
	ws := workspace{project: filepath.Join(b.work, name, "export"), cache: filepath.Join(b.work, name, "export-cache"), url: b.indexURL}
	if err := writeProject(b, newTools()[0], ws.project, requested); err != nil {
		return "", 0, err
	}
	if _, err := run(pylockLock(b, ws)); err != nil {
		return "", 0, err
	}
	exported := filepath.Join(b.work, name, "locked.txt")
	if _, err := run(command{args: []string{b.pylock, "export", "--format", "requirements.txt", "-o", exported}, dir: ws.project}); err != nil {
		return "", 0, err
	}
	packages, err := lockedPackages(filepath.Join(ws.project, "pylock.toml"))
	return exported, packages, err
}

// warmRepeats is how many times a run takes each measurement that leaves
// nothing behind for the next (warm lock, no-op install, check): a tool
// takes tens of milliseconds for them, where a shared machine's slow
// moments weigh most, and a median of more samples weighs them less.
const warmRepeats = 3

// measureTool runs a tool's whole sequence once in ws: cold and warm lock,
// cold and warm install into fresh venvs, a no-op install and (pylock) a
// check, the warm lock, no-op install and check warmRepeats times. A failed step ends the tool's sequence for this run; its error is
// kept in the series and shown in the table.
func (b *bench) measureTool(res *caseResult, t *tool, ws workspace, requested []string) {
	steps := []struct {
		measurement string
		prepare     func() error
		cmd         func(*bench, workspace) command
		repeats     int
	}{
		{coldLock, func() error { ws.cache = filepath.Join(filepath.Dir(ws.project), "lock-cache"); return nil }, t.lock, 1},
		{warmLock, func() error { return removeLock(t, ws) }, t.lock, warmRepeats},
		{coldInstall, func() error {
			ws.cache, ws.venv = filepath.Join(filepath.Dir(ws.project), "install-cache"), filepath.Join(filepath.Dir(ws.project), "venv-cold")
			return b.freshVenv(t, ws)
		}, t.install, 1},
		{warmInstall, func() error {
			ws.venv = filepath.Join(filepath.Dir(ws.project), "venv-warm")
			return b.freshVenv(t, ws)
		}, t.install, 1},
		{noopInstall, func() error { return nil }, t.install, warmRepeats},
		{checkLock, func() error { return nil }, nil, warmRepeats},
	}
	if t.key == "pylock" {
		steps[len(steps)-1].cmd = pylockCheck
	}
	if err := writeProject(b, t, ws.project, requested); err != nil {
		res.series(t.key, coldLock).add(sample{}, err)
		return
	}
	for _, st := range steps {
		if st.cmd == nil {
			continue
		}
		for range st.repeats {
			if err := st.prepare(); err != nil {
				res.series(t.key, st.measurement).add(sample{}, err)
				return
			}
			smp, err := run(st.cmd(b, ws))
			res.series(t.key, st.measurement).add(smp, err)
			if err != nil {
				progress("%s %s failed: %v", t.name, st.measurement, err)
				return
			}
		}
	}
}

// freshVenv removes a tool's in-project venv (and PDM's record of its
// interpreter), so that its next install makes a new one.
func (b *bench) freshVenv(t *tool, ws workspace) error {
	if !t.inProjectVenv {
		return nil
	}
	if err := os.RemoveAll(filepath.Join(ws.project, ".venv")); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(ws.project, ".pdm.toml"))
}

// removeLock removes the lock file a tool wrote, so that the next lock
// resolves again (pip writes none).
func removeLock(t *tool, ws workspace) error {
	if t.lockFile == "" {
		return nil
	}
	return os.Remove(filepath.Join(ws.project, t.lockFile))
}

// serveCase serves the index of the case -serve names ("scale": the
// generated registry) until interrupted.
func serveCase(cfg config) error {
	var srv *testindex.Server
	var err error
	if cfg.serve == "scale" {
		srv, _, err = serveScale(cfg.delay)
	} else {
		srv, err = serveNamedCase(cfg.serve, cfg.delay)
	}
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Println(srv.SimpleURL())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}

// serveNamedCase serves the snapshot of the case called name.
func serveNamedCase(name string, delay time.Duration) (*testindex.Server, error) {
	dir, paths, err := caseFiles()
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(paths, func(p string) bool { return strings.TrimSuffix(filepath.Base(p), ".json") == name })
	if i < 0 {
		return nil, fmt.Errorf("-serve %q: no such case in %s", name, dir)
	}
	c, err := conformance.ReadIndexCase(paths[i])
	if err != nil {
		return nil, err
	}
	return serveSnapshot(filepath.Join(dir, "index", c.Index+".json"), delay)
}
