package project

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/lockfile"
)

// benchInstallPython is the interpreter the benchmark locks for and
// installs with.
const benchInstallPython = "3.11"

// BenchmarkInstallRealMetadata installs the locked set of each resolvelib
// real-metadata case (see TestIndexCases) from the test index serving its
// snapshot, with no delay added to the responses (the index is local: the
// figures are the installers' own cost), and reports per case, as the
// median of the iterations:
//
//   - cold-ms: `pylock install` into a fresh venv with an empty cache
//     folder: the lock read and checked against pyproject.toml, the
//     interpreter queried (its facts are cached in that folder), the venv
//     created, every wheel downloaded, checked and unpacked, then linked;
//   - warm-ms: the same into another fresh venv with the cache the cold
//     install filled (venv creation included, no request sent);
//   - noop1-ms: `pylock install` again into the warm venv (an empty plan),
//     the first time pylock opens that venv: its bin/python is queried once
//     (the venv's facts are not cached when it is created);
//   - noop-ms: the same once more, with the venv's facts cached: the no-op
//     of every later `pylock install`;
//   - pip-cold-ms: `python -m pip install --no-deps --require-hashes -r R
//     --index-url <the same index>` with a fresh --cache-dir, where R pins
//     the same wheels with their --hash lines; it runs the venv's own pip in
//     a `python -m venv` venv created before the clock starts;
//   - pip-warm-ms: the same into another fresh venv with the pip cache the
//     cold pip install filled;
//   - pip-venv-ms: what `python -m venv` took (not in pip's figures);
//   - cold-ratio and warm-ratio: pip-cold-ms / cold-ms and pip-warm-ms /
//     warm-ms (the goal: warm-ratio at least 10, noop-ms under 50).
//
// A Markdown table of them goes to the benchmark log. Run it with
//
//	go test -run '^$' -bench BenchmarkInstallRealMetadata -benchtime 5x ./internal/project/
//
// It needs python3 (3.11) with pip on PATH. The test index builds a wheel
// when first asked for it, so an untimed install primes it first.
func BenchmarkInstallRealMetadata(b *testing.B) {
	benchIndexCases(b, func(b *testing.B, dir, path, name string) installRow {
		row := benchInstallCase(b, dir, path)
		row.name = name
		return row
	}, installTable)
}

// installRow holds the medians of one case's install measurements.
type installRow struct {
	name                      string
	packages                  int
	cold, warm, noop1, noop   time.Duration
	pipCold, pipWarm, pipVenv time.Duration
}

// installCase is a locked case ready to install: the project, the wheels
// pylock selects for the interpreter, and pip's requirements file for them.
type installCase struct {
	srv          *testindex.Server
	projectDir   string
	python       string // the interpreter's real binary, for pip's venvs
	requirements string
	packages     int
}

// benchInstallCase measures one case; see BenchmarkInstallRealMetadata.
func benchInstallCase(b *testing.B, dir, path string) installRow {
	c, srv, err := serveIndexCase(dir, path, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ic := prepareInstallCase(b, c, srv)
	// Prime the index: it builds each wheel when first asked for it.
	pylockInstall(b, ic, b.TempDir(), freshVenvDir(b), ic.packages)
	var colds, warms, noop1s, noops, pipColds, pipWarms, pipVenvs []time.Duration
	for b.Loop() {
		cache := b.TempDir()
		warmVenv := freshVenvDir(b)
		colds = append(colds, pylockInstall(b, ic, cache, freshVenvDir(b), ic.packages))
		warms = append(warms, pylockInstall(b, ic, cache, warmVenv, ic.packages))
		noop1s = append(noop1s, pylockInstall(b, ic, cache, warmVenv, 0))
		noops = append(noops, pylockInstall(b, ic, cache, warmVenv, 0))
		pipCache := b.TempDir()
		cold, venvTime := pipInstall(b, ic, pipCache)
		warm, _ := pipInstall(b, ic, pipCache)
		pipColds, pipWarms, pipVenvs = append(pipColds, cold), append(pipWarms, warm), append(pipVenvs, venvTime)
	}
	row := installRow{packages: ic.packages, cold: median(colds), warm: median(warms), noop1: median(noop1s), noop: median(noops),
		pipCold: median(pipColds), pipWarm: median(pipWarms), pipVenv: median(pipVenvs)}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(msOf(row.cold), "cold-ms")
	b.ReportMetric(msOf(row.warm), "warm-ms")
	b.ReportMetric(msOf(row.noop1), "noop1-ms")
	b.ReportMetric(msOf(row.noop), "noop-ms")
	b.ReportMetric(msOf(row.pipCold), "pip-cold-ms")
	b.ReportMetric(msOf(row.pipWarm), "pip-warm-ms")
	b.ReportMetric(msOf(row.pipVenv), "pip-venv-ms")
	b.ReportMetric(msOf(row.pipCold)/msOf(row.cold), "cold-ratio")
	b.ReportMetric(msOf(row.pipWarm)/msOf(row.warm), "warm-ratio")
	return row
}

// prepareInstallCase locks the case for CPython 3.11 on Linux and writes
// pip's requirements file: every wheel pylock would install, pinned, with
// its sha256.
func prepareInstallCase(b *testing.B, c indexCase, srv *testindex.Server) installCase {
	locked := lockIndexCase(b, c, srv, b.TempDir())
	lock, err := lockfile.ReadFile(locked.lockPath)
	if err != nil {
		b.Fatal(err)
	}
	p, err := New(Settings{Dir: filepath.Dir(locked.lockPath), IndexURL: srv.SimpleURL(), CacheDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	py, err := p.installInterpreter(lock, benchInstallPython)
	if err != nil {
		b.Fatal(err)
	}
	wanted, err := selectWheels(lock, py, InstallOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var lines []string
	for _, lw := range wanted {
		if lw.wheel == nil {
			b.Fatalf("%s %s has no wheel for pip to install", lw.pkg.Name, lw.pkg.Version)
		}
		lines = append(lines, fmt.Sprintf("%s==%s --hash=sha256:%s", lw.pkg.Name, lw.pkg.Version, lw.wheel.Hashes["sha256"]))
	}
	slices.Sort(lines)
	reqs := filepath.Join(b.TempDir(), "requirements.txt")
	if err := os.WriteFile(reqs, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	return installCase{srv: srv, projectDir: p.dir, python: py.Executable, requirements: reqs, packages: len(wanted)}
}

// pylockInstall times one `pylock install` of the case into venvDir with
// the cache folder cache; it must install exactly want packages.
func pylockInstall(b *testing.B, ic installCase, cache, venvDir string, want int) time.Duration {
	p, err := New(Settings{Dir: ic.projectDir, IndexURL: ic.srv.SimpleURL(), CacheDir: cache})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	res, err := p.Install(context.Background(), InstallOptions{Python: benchInstallPython, VenvDir: venvDir})
	elapsed := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if res.Installed != want || res.Removed != 0 {
		b.Fatalf("pylock install: %d installed, %d removed, want %d installed: %v", res.Installed, res.Removed, want, res.Plan.Changes)
	}
	return elapsed
}

// pipInstall creates a fresh venv with `python -m venv` (untimed, returned
// second) and times its pip installing the case's requirements with the
// pip cache folder cache.
func pipInstall(b *testing.B, ic installCase, cache string) (install, venvTime time.Duration) {
	venvDir := freshVenvDir(b)
	start := time.Now()
	runBench(b, ic.python, "-m", "venv", venvDir)
	venvTime = time.Since(start)
	start = time.Now()
	runBench(b, filepath.Join(venvDir, "bin", "python"), "-m", "pip", "install", "--no-deps", "--require-hashes",
		"-r", ic.requirements, "--index-url", ic.srv.SimpleURL(), "--cache-dir", cache,
		"--disable-pip-version-check", "--no-input", "-q")
	return time.Since(start), venvTime
}

// freshVenvDir is a path for a new venv, in a fresh temporary folder.
func freshVenvDir(b *testing.B) string { return filepath.Join(b.TempDir(), "venv") }

// runBench runs a command with no pip configuration file, failing the
// benchmark with its output when it fails.
func runBench(b *testing.B, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "PIP_CONFIG_FILE="+os.DevNull)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// installTable formats rows as a Markdown table.
func installTable(rows []installRow) string {
	var sb strings.Builder
	sb.WriteString("| case | packages | pylock cold ms | pylock warm ms | first no-op ms | no-op ms | pip cold ms | pip warm ms | cold ratio | warm ratio |\n")
	sb.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&sb, "| %s | %d | %.0f | %.0f | %.1f | %.1f | %.0f | %.0f | %.1f | %.1f |\n", r.name, r.packages,
			msOf(r.cold), msOf(r.warm), msOf(r.noop1), msOf(r.noop), msOf(r.pipCold), msOf(r.pipWarm),
			msOf(r.pipCold)/msOf(r.cold), msOf(r.pipWarm)/msOf(r.warm))
	}
	return sb.String()
}
