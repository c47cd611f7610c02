package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/pylock/pylock/internal/atomicfile"
	"github.com/pylock/pylock/internal/testindex"
)

// report is everything the Markdown file says.
type report struct {
	cfg     config
	started time.Time
	machine string
	tools   []*tool
	cases   []*caseResult
	scale   *scaleResult
}

// markdown renders the report.
func (r *report) markdown() string {
	var sb strings.Builder
	sb.WriteString("# pylock against Poetry, PDM and pip\n\n")
	sb.WriteString("Written by `go run ./bench` (see its package doc); reproduce with `make bench`.\n\n")
	fmt.Fprintf(&sb, "- date: %s\n", r.started.Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&sb, "- machine: %s\n", r.machine)
	fmt.Fprintf(&sb, "- index: the test index on 127.0.0.1 serving real PyPI metadata snapshots as real wheels (PEP 658 metadata), %v before every response\n", r.cfg.delay)
	fmt.Fprintf(&sb, "- %d runs of every measurement (warm lock, no-op install and check %d times per run), tools in a rotated order per run; figures are medians, memory the peak over the runs\n", r.cfg.runs, warmRepeats)
	fmt.Fprintf(&sb, "- timed by %s\n", timerName())
	sb.WriteString("- tools:")
	for _, t := range r.tools {
		if t.missing != "" {
			fmt.Fprintf(&sb, " %s %s;", t.name, t.missing)
			continue
		}
		fmt.Fprintf(&sb, " `%s`;", t.version)
	}
	fmt.Fprintf(&sb, " every venv for Python %s\n\n", r.cfg.python)
	for _, c := range r.cases {
		r.caseTable(&sb, c)
	}
	if len(r.cases) > 0 {
		r.goals(&sb)
		r.failures(&sb)
	}
	if r.scale != nil {
		r.scaleTable(&sb)
	}
	return sb.String()
}

// write writes the report to path ("" for nowhere).
func (r *report) write(path string) error {
	if path == "" {
		return nil
	}
	return atomicfile.Write(path, []byte(r.markdown()), atomicfile.Options{Sync: true})
}

// caseTable writes one case's table: a row per measurement, a column per
// tool, then each peer's time over pylock's.
func (r *report) caseTable(sb *strings.Builder, c *caseResult) {
	fmt.Fprintf(sb, "## %s (%d packages locked)\n\n| | ", c.name, c.packages)
	var peers []*tool
	for _, t := range r.tools {
		fmt.Fprintf(sb, "%s | ", t.name)
		if t.key == "pylock" {
			sb.WriteString("pylock CPU | ")
		} else {
			peers = append(peers, t)
		}
	}
	for _, t := range peers {
		fmt.Fprintf(sb, "%s ÷ pylock | ", t.name)
	}
	sb.WriteString("\n|---|" + strings.Repeat("---|", len(r.tools)+1+len(peers)) + "\n")
	for _, m := range measurements {
		fmt.Fprintf(sb, "| %s | ", m)
		for _, t := range r.tools {
			sb.WriteString(cell(t, c.results[t.key][m]) + " | ")
			if t.key == "pylock" {
				sb.WriteString(cpuCell(c.results[t.key][m]) + " | ")
			}
		}
		for _, t := range peers {
			sb.WriteString(ratioCell(c.results["pylock"][m], c.results[t.key][m]) + " | ")
		}
		sb.WriteString("\n")
	}
	sb.WriteString("\nCells: median wall time · peak memory. pylock CPU: the median user + system time of pylock's process, " +
		"which a busy shared machine inflates less than the wall time. Ratios: the peer's median over pylock's (how many times faster pylock is).\n\n")
}

// cell is a tool's median and peak memory for one measurement.
func cell(t *tool, s *series) string {
	switch {
	case t.missing != "":
		return "missing"
	case s == nil:
		return "—"
	case s.err != nil:
		return "failed"
	}
	return fmt.Sprintf("%s · %s", ms(s.median()), mb(s.peak()))
}

// cpuCell is the median CPU time of a measurement, or "—".
func cpuCell(s *series) string {
	if !s.ok() {
		return "—"
	}
	return ms(s.medianCPU())
}

// ratioCell is peer's median over pylock's, or "—".
func ratioCell(pylock, peer *series) string {
	if !pylock.ok() || !peer.ok() {
		return "—"
	}
	return fmt.Sprintf("%.1f×", ratio(pylock, peer))
}

func ratio(pylock, peer *series) float64 { return float64(peer.median()) / float64(pylock.median()) }

func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

func mb(bytes int64) string { return fmt.Sprintf("%.0f MB", float64(bytes)/(1<<20)) }

// failures lists every measurement that failed, with its error.
func (r *report) failures(sb *strings.Builder) {
	var lines []string
	for _, c := range r.cases {
		for _, t := range r.tools {
			for _, m := range measurements {
				if s := c.results[t.key][m]; s != nil && s.err != nil {
					lines = append(lines, fmt.Sprintf("- %s, %s, %s: `%s`", c.name, t.name, m, firstLine(s.err.Error())))
				}
			}
		}
	}
	if len(lines) > 0 {
		sb.WriteString("## Failures\n\n" + strings.Join(lines, "\n") + "\n\n")
	}
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

// scaleTable writes the scale curve.
func (r *report) scaleTable(sb *strings.Builder) {
	fmt.Fprintf(sb, "## Scale: pylock on a generated registry\n\nRegistry: %s (testindex.GenerateScale, seed %d); %v before every response. ", r.scale.registry, testindex.ScaleSeed, r.cfg.delay)
	sb.WriteString("Each size locks the first N of one fixed list of direct requirements, cold (empty cache) and warm (cache kept, no lock file).\n\n")
	sb.WriteString("| direct requirements | packages locked | cold lock (CPU) | cold ms per package | warm lock (CPU) | warm CPU ms per package | peak memory | pylock check (CPU) |\n|---|---|---|---|---|---|---|---|\n")
	for _, pt := range r.scale.points {
		if !pt.cold.ok() {
			continue
		}
		fmt.Fprintf(sb, "| %d | %d | %s (%s) | %.2f | %s (%s) | %.2f | %s | %s (%s) |\n", pt.direct, pt.packages,
			ms(pt.cold.median()), ms(pt.cold.medianCPU()), perPackage(pt.cold.median(), pt.packages),
			ms(pt.warm.median()), ms(pt.warm.medianCPU()), perPackage(pt.warm.medianCPU(), pt.packages),
			mb(max(pt.cold.peak(), pt.warm.peak())), ms(pt.check.median()), ms(pt.check.medianCPU()))
	}
	sb.WriteString("\nLinear growth keeps the time per package flat (or falling) as the project grows. A cold lock waits on the index " +
		"(its wall time is mostly the delay); a warm one is CPU work, so its CPU time per package is the figure to read on a busy machine.\n")
}

// perPackage is d in milliseconds per locked package.
func perPackage(d time.Duration, packages int) float64 {
	return float64(d) / float64(time.Millisecond) / float64(max(1, packages))
}
