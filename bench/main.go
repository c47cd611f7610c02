// Command bench measures pylock against the tools people would pick instead
// (Poetry, PDM and pip) on the same work, on this machine, and writes the
// results as a Markdown table:
//
//	go run ./bench                       # every case, 3 runs, 20 ms per response
//	go run ./bench -runs 5 -delay 50ms -tools pylock,pip -out /tmp/r.md
//	go run ./bench -cases none -scale 50,100,200,300
//
// It builds pylock from this checkout into a temporary folder. For each
// real-metadata case of the conformance data (indexes/resolvelib/case/*.json
// under ../shared/conformance, or $PYLOCK_CONFORMANCE) it serves the case's
// PyPI snapshot with the test index (real wheels, PEP 658 metadata, a fixed
// delay before every response) and times, per tool:
//
//   - cold lock: an empty cache folder; warm lock: again with that cache
//     and no lock file (pip: `pip install --dry-run --report`);
//   - cold install: the locked set into a fresh venv with an empty cache;
//     warm install: into another fresh venv with that cache; no-op install:
//     again into the warm venv (pip installs pylock's exported, hashed
//     requirements into a `python -m venv --without-pip` venv, venv
//     included in the time);
//   - pylock check.
//
// Every measurement runs -runs times (warm lock, no-op install and check
// warmRepeats times per run); each run goes through the tools in a
// rotated order, so that a slow moment of the shared machine does not
// fall on one tool (A/B interleaving). Each command runs under a small C
// launcher (bench/launch/launch.c, built with cc at start), which times it
// from its start to its end and reads its peak memory and CPU time from
// wait4; without a C compiler, under GNU time, whose start-up then counts
// in every time. The table gives medians, each peer's time over pylock's
// (how many times faster pylock is), peak memory (the largest maximum
// resident set of the process tree over the runs) and pylock's CPU time.
// Each tool gets its own cache folder per run, so cold is cold.
//
// The scale part locks projects with 50 to 300 direct requirements on a
// generated registry of 5,000 projects × 20 versions (fixed seed, see
// testindex.GenerateScale) with pylock alone, and prints time, packages and
// memory per size.
//
// Missing peers are installed with `apt-get install -y python3-poetry
// python3-pdm` when possible, else shown as missing in the table.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

// config holds the command line.
type config struct {
	delay  time.Duration
	runs   int
	cases  string // comma-separated case names, "" for all, "none" for none
	tools  string // comma-separated tool keys
	out    string // the Markdown file to write, "" for none
	scale  string // comma-separated direct-requirement counts, "none" for none
	python string // X.Y of python3 on PATH, filled in by setup
	keep   bool
	serve  string // a case whose index to serve until interrupted, for profiling
}

func main() {
	var cfg config
	flag.DurationVar(&cfg.delay, "delay", 20*time.Millisecond, "delay before every index response")
	flag.IntVar(&cfg.runs, "runs", 3, "runs of every measurement")
	flag.StringVar(&cfg.cases, "cases", "", "comma-separated real-metadata case names (default all; none: skip)")
	flag.StringVar(&cfg.tools, "tools", strings.Join(toolKeys, ","), "comma-separated tools to compare")
	flag.StringVar(&cfg.out, "out", "bench/RESULTS.md", "the Markdown file to write (empty: stdout only)")
	flag.StringVar(&cfg.scale, "scale", "50,100,200,300", "direct-requirement counts of the scale curve (none: skip)")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the work folder (projects, caches, venvs) and print its path")
	flag.StringVar(&cfg.serve, "serve", "", "only serve this case's index (scale: the generated registry), with -delay, and print its URL until interrupted, to profile by hand")
	flag.Parse()
	if cfg.serve != "" {
		if err := serveCase(cfg); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if err := runAll(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// runAll runs the cases and the scale curve and writes the report.
func runAll(cfg config) error {
	if cfg.runs < 1 {
		return fmt.Errorf("-runs %d: need at least 1", cfg.runs)
	}
	b, err := newBench(cfg)
	if err != nil {
		return err
	}
	defer b.close()
	rep := &report{cfg: b.cfg, started: time.Now().UTC(), machine: machine(), tools: b.tools}
	if cfg.cases != "none" {
		if rep.cases, err = b.runCases(); err != nil {
			return err
		}
		// The cases' table is written at once, so that a long scale run
		// cannot lose it.
		if err := rep.write(cfg.out); err != nil {
			return err
		}
	}
	if cfg.scale != "none" {
		if rep.scale, err = b.runScale(); err != nil {
			return err
		}
	}
	text := rep.markdown()
	fmt.Print(text)
	return rep.write(cfg.out)
}

// progress tells the person waiting what the harness is doing, on stderr.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
