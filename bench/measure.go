package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// sample is one timed run of a command.
type sample struct {
	wall   time.Duration
	cpu    time.Duration // user and system time of the process tree
	maxRSS int64         // peak resident memory of the process tree, bytes (wait4's ru_maxrss)
}

// command is a process to time: its arguments, folder and environment
// (added to the harness's own).
type command struct {
	args []string
	dir  string
	env  []string
}

// timer runs a command under a program that writes the command's figures
// to a file, and reads them back into a sample.
type timer struct {
	name string
	args func(figures string) []string // the program and its arguments, before the command's
	read func(figures string, s *sample) error
}

// timing times every command: the launcher once setup has built it, else
// GNU time; nil, the harness alone, whose wait4 peak memory also counts the
// harness's own at the moment it started the command (exec keeps the old
// address space's high-water mark, and Go starts commands with vfork).
var timing = gnuTime()

// gnuTime is GNU time, which reports a command's own peak memory; its own
// start-up is in every wall time. nil when it is not installed.
func gnuTime() *timer {
	bin, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		return nil
	}
	return &timer{
		name: "GNU time (its own start-up is in every wall time)",
		args: func(figures string) []string { return []string{bin, "-f", "%M %U %S", "-o", figures} },
		read: func(figures string, s *sample) error {
			var kb int64
			var user, sys float64
			if _, err := fmt.Sscanf(strings.TrimSpace(lastLines(figures, 1)), "%d %g %g", &kb, &user, &sys); err != nil {
				return fmt.Errorf("reading GNU time's figures %q: %w", figures, err)
			}
			s.maxRSS, s.cpu = kb*1024, time.Duration((user+sys)*float64(time.Second))
			return nil
		},
	}
}

// launcher is bench/launch/launch.c built at bin: it reports what GNU time
// does, and the wall time measured from just before the command starts,
// which replaces the harness's. GNU time costs 6 ms a run here, a fifth of
// a warm pylock lock (about 30 ms); launch measured `pylock --version` at
// 16-18 ms where the harness saw 21 ms direct.
func launcher(bin string) *timer {
	return &timer{
		name: "bench/launch/launch.c: wall time from the command's start to its end, peak memory and CPU time from wait4",
		args: func(figures string) []string { return []string{bin, figures} },
		read: func(figures string, s *sample) error {
			var wall, kb, user, sys int64
			if _, err := fmt.Sscanf(strings.TrimSpace(figures), "%d %d %d %d", &wall, &kb, &user, &sys); err != nil {
				return fmt.Errorf("reading the launcher's figures %q: %w", figures, err)
			}
			s.wall, s.maxRSS, s.cpu = time.Duration(wall), kb*1024, time.Duration(user+sys)*time.Microsecond
			return nil
		},
	}
}

// timerName says what times the commands, for the report.
func timerName() string {
	if timing == nil {
		return "the harness alone (peak memory includes the harness's own)"
	}
	return timing.name
}

// run times c and reads its peak memory and CPU time (user and system) from
// the timer, or else wait4's rusage. Each covers the children the command
// waited for, so a `sh -c` pipeline reports its largest process.
func run(c command) (sample, error) {
	args := c.args
	var figures string
	if timing != nil {
		f, err := os.CreateTemp("", "bench-time-*")
		if err != nil {
			return sample{}, err
		}
		f.Close()
		defer os.Remove(f.Name())
		figures = f.Name()
		args = append(timing.args(figures), args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), c.env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	s := sample{wall: time.Since(start)}
	if err != nil {
		return sample{}, &commandError{args: c.args, dir: c.dir, err: err, output: ends(out.String(), 10)}
	}
	if timing == nil {
		readRusage(cmd.ProcessState, &s)
		return s, nil
	}
	data, err := os.ReadFile(figures)
	if err != nil {
		return sample{}, err
	}
	return s, timing.read(string(data), &s)
}

// commandError is a command that failed, with the end of its output.
type commandError struct {
	args   []string
	dir    string
	err    error
	output string
}

func (e *commandError) Error() string {
	return fmt.Sprintf("%s (in %s): %v\n%s", strings.Join(e.args, " "), e.dir, e.err, e.output)
}

func (e *commandError) Unwrap() error { return e.err }

// ends is the first and the last n lines of s (a crash's message comes
// first, its stacks after).
func ends(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= 2*n {
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines[:n], "\n") + "\n…\n" + strings.Join(lines[len(lines)-n:], "\n")
}

// lastLines is the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// series holds the samples of one measurement over the runs, or the error
// that stopped it.
type series struct {
	samples []sample
	err     error
}

// add records one outcome.
func (s *series) add(smp sample, err error) {
	if err != nil {
		s.err = err
		return
	}
	s.samples = append(s.samples, smp)
}

// ok reports whether the measurement has samples and no failure.
func (s *series) ok() bool { return s != nil && s.err == nil && len(s.samples) > 0 }

// median is the middle wall time (the upper one of an even count).
func (s *series) median() time.Duration {
	return middle(s.samples, func(smp sample) time.Duration { return smp.wall })
}

// medianCPU is the middle CPU time.
func (s *series) medianCPU() time.Duration {
	return middle(s.samples, func(smp sample) time.Duration { return smp.cpu })
}

// middle is the middle value of a field of the samples (the upper one of
// an even count).
func middle(samples []sample, field func(sample) time.Duration) time.Duration {
	values := make([]time.Duration, len(samples))
	for i, smp := range samples {
		values[i] = field(smp)
	}
	slices.Sort(values)
	return values[len(values)/2]
}

// peak is the largest peak memory of the samples, bytes.
func (s *series) peak() int64 {
	var m int64
	for _, smp := range s.samples {
		m = max(m, smp.maxRSS)
	}
	return m
}
