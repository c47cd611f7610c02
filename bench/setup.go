package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/pylock/pylock/internal/conformance"
)

// bench is the harness's state: its work folder, the executables of the
// tools and the index being served.
type bench struct {
	cfg      config
	work     string // the temporary work folder
	repo     string // the checkout's root
	pylock   string // the pylock built from the checkout
	poetry   string
	pdm      string
	pip      string // the python3 whose pip runs
	python   string // its X.Y, what every tool installs for
	indexURL string // the Simple API root of the index being served
	tools    []*tool
}

// newBench makes the work folder, builds pylock and finds the tools.
func newBench(cfg config) (*bench, error) {
	repo, err := conformance.RepoRoot()
	if err != nil {
		return nil, fmt.Errorf("finding the checkout (run from inside it): %w", err)
	}
	work, err := os.MkdirTemp("", "pylock-bench-")
	if err != nil {
		return nil, err
	}
	b := &bench{cfg: cfg, work: work, repo: repo}
	if err := b.setup(); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

// setup builds pylock, finds python3 and every selected tool.
func (b *bench) setup() error {
	b.pylock = filepath.Join(b.work, "bin", "pylock")
	progress("building pylock into %s", b.pylock)
	build := exec.Command("go", "build", "-o", b.pylock, "./cmd/pylock")
	build.Dir = b.repo
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // the static binary users get from make build
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/pylock: %v\n%s", err, out)
	}
	b.buildLauncher()
	// pip runs from python3's real executable, not a shim (pyenv's are
	// shell scripts that would add their own start-up to pip's times).
	facts, err := output("python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)")
	if err != nil {
		return err
	}
	b.python, b.pip, _ = strings.Cut(facts, "\n")
	b.cfg.python = b.python
	return b.detectTools()
}

// detectTools keeps the tools -tools names and asks each its version,
// installing Poetry and PDM with apt-get when they are missing.
func (b *bench) detectTools() error {
	wanted := strings.Split(b.cfg.tools, ",")
	for _, key := range wanted {
		if !slices.Contains(toolKeys, key) {
			return fmt.Errorf("-tools: unknown tool %q (known: %s)", key, strings.Join(toolKeys, ", "))
		}
	}
	for _, t := range newTools() {
		if !slices.Contains(wanted, t.key) {
			continue
		}
		b.tools = append(b.tools, t)
		switch t.key {
		case "pylock":
			t.version, t.missing = versionOf(b.pylock, "--version")
		case "poetry":
			b.poetry, t.version, t.missing = b.findPeer("poetry", "python3-poetry")
		case "pdm":
			b.pdm, t.version, t.missing = b.findPeer("pdm", "python3-pdm")
		case "pip":
			t.version, t.missing = versionOf(b.pip, "-m", "pip", "--version")
		}
		progress("%s: %s%s", t.name, t.version, t.missing)
	}
	return nil
}

// findPeer finds a peer's executable, or installs its Debian package; it
// returns the path and version, or why it is missing.
func (b *bench) findPeer(name, debPackage string) (path, version, missing string) {
	path, err := exec.LookPath(name)
	if err != nil {
		progress("%s is not on PATH: apt-get install -y %s", name, debPackage)
		if out, err := exec.Command("apt-get", "install", "-y", debPackage).CombinedOutput(); err != nil {
			return "", "", fmt.Sprintf("missing (apt-get install %s: %v: %s)", debPackage, err, lastLines(string(out), 1))
		}
		if path, err = exec.LookPath(name); err != nil {
			return "", "", fmt.Sprintf("missing (not on PATH after apt-get install %s)", debPackage)
		}
	}
	version, missing = versionOf(path, "--version")
	return path, version, missing
}

// versionOf runs a tool's version command: its first line, or why it
// failed as the second result.
func versionOf(name string, args ...string) (version, missing string) {
	out, err := output(name, args...)
	if err != nil {
		return "", "missing (" + err.Error() + ")"
	}
	return strings.SplitN(out, "\n", 2)[0], ""
}

// output runs a command and returns its trimmed standard output.
func output(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// close removes the work folder, unless -keep.
func (b *bench) close() {
	if b.cfg.keep {
		progress("work folder kept: %s", b.work)
		return
	}
	if err := os.RemoveAll(b.work); err != nil {
		progress("removing %s: %v", b.work, err)
	}
}

// machine describes this machine: processors, memory and OS.
func machine() string {
	mem := "unknown memory"
	if f, err := os.Open("/proc/meminfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var kb int64
			if _, err := fmt.Sscanf(sc.Text(), "MemTotal: %d kB", &kb); err == nil {
				mem = fmt.Sprintf("%.1f GiB memory", float64(kb)/(1<<20))
				break
			}
		}
	}
	return fmt.Sprintf("%s/%s, %d cores, %s, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), mem, runtime.Version())
}

// buildLauncher compiles bench/launch/launch.c with the system's C
// compiler; without one, commands are timed through GNU time, whose own
// start-up then counts in every wall time.
func (b *bench) buildLauncher() {
	bin := filepath.Join(b.work, "bin", "launch")
	out, err := exec.Command("cc", "-O2", "-o", bin, filepath.Join(b.repo, "bench", "launch", "launch.c")).CombinedOutput()
	if err != nil {
		progress("no launcher (cc: %v): timing through %s\n%s", err, timerName(), strings.TrimSpace(string(out)))
		return
	}
	timing = launcher(bin)
}
