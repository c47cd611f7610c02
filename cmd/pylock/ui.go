package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pylock/pylock/internal/project"
)

// Colour modes of --color.
const (
	colorAuto   = "auto"
	colorAlways = "always"
	colorNever  = "never"
)

// ANSI colours, used sparingly: errors and removals red, additions green,
// changes yellow.
const (
	ansiRed    = "31"
	ansiGreen  = "32"
	ansiYellow = "33"
)

// redrawEvery is the shortest time between two redraws of the progress bar.
const redrawEvery = 80 * time.Millisecond

// barWidth is the number of cells of the progress bar itself.
const barWidth = 24

// lineWidth is the most characters a progress line takes, so that it fits
// a common terminal without wrapping (a wrapped line cannot be redrawn).
const lineWidth = 79

// isTerminal reports whether w is a terminal (a character device), or the
// streams pretend it is.
func (s Streams) isTerminal(w io.Writer) bool {
	if s.Terminal {
		return true
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// ui is what pylock shows on the streams besides the results: log lines,
// colours and, on a terminal, a one-line progress bar on stderr, redrawn in
// place and cleared before any other line is written. Its methods may be
// called from several goroutines.
type ui struct {
	streams  Streams
	colorOut bool // colour what goes to stdout
	colorErr bool // colour what goes to stderr
	bar      bool // draw the progress bar

	mu    sync.Mutex
	phase string // the phase the bar shows; "" when none
	total int
	done  int
	item  string
	drawn int       // width of the line on screen; 0 when none
	last  time.Time // when the bar was last drawn
}

// newUI decides, from the streams, the --color mode, NO_COLOR and -q, what
// to colour and whether to draw progress. NO_COLOR (any non-empty value)
// turns colour off whatever the mode.
func newUI(streams Streams, mode string, quiet bool) *ui {
	noColor := os.Getenv("NO_COLOR") != "" || mode == colorNever
	wants := func(w io.Writer) bool {
		return !noColor && (mode == colorAlways || streams.isTerminal(w))
	}
	return &ui{
		streams:  streams,
		colorOut: wants(streams.Out),
		colorErr: wants(streams.Err),
		bar:      !quiet && streams.isTerminal(streams.Err),
	}
}

// paint wraps s in the colour code when on is set.
func paint(on bool, code, s string) string {
	if !on || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// errLine writes one line to stderr, clearing the progress bar first and
// drawing it again after.
func (u *ui) errLine(line string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.clearLocked()
	fmt.Fprintln(u.streams.Err, line)
	if u.phase != "" {
		u.drawLocked()
	}
}

// finish clears the progress bar for good.
func (u *ui) finish() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.clearLocked()
	u.phase = ""
}

// Start shows a new phase on the bar.
func (u *ui) Start(phase string, total int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.phase, u.total, u.done, u.item = phase, total, 0, ""
	u.drawLocked()
}

// Advance moves the bar on by n, redrawing it at most every redrawEvery.
func (u *ui) Advance(phase string, n int, item string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if phase != u.phase {
		return
	}
	u.done += n
	u.item = item
	if time.Since(u.last) >= redrawEvery {
		u.drawLocked()
	}
}

// Done clears the bar when it shows phase.
func (u *ui) Done(phase string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if phase != u.phase {
		return
	}
	u.clearLocked()
	u.phase = ""
}

// drawLocked redraws the bar in place.
func (u *ui) drawLocked() {
	line := progressLine(u.phase, u.done, u.total, u.item)
	pad := ""
	if n := u.drawn - utf8.RuneCountInString(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprintf(u.streams.Err, "\r%s%s\r", line, pad)
	u.drawn = utf8.RuneCountInString(line)
	u.last = time.Now()
}

// clearLocked blanks the bar's line and returns to its start.
func (u *ui) clearLocked() {
	if u.drawn == 0 {
		return
	}
	fmt.Fprintf(u.streams.Err, "\r%s\r", strings.Repeat(" ", u.drawn))
	u.drawn = 0
}

// progressLine is the bar's text: "Downloading [=====>   ] 5/12 idna-3.7…"
// with a known total, "Resolving 42 idna 3.7" without, cut to lineWidth.
func progressLine(phase string, done, total int, item string) string {
	var b strings.Builder
	b.WriteString(phase)
	if total > 0 {
		filled := min(done, total) * barWidth / total
		bar := strings.Repeat("=", filled)
		if filled < barWidth {
			bar += ">" + strings.Repeat(" ", barWidth-filled-1)
		}
		fmt.Fprintf(&b, " [%s] %d/%d", bar, done, total)
	} else {
		fmt.Fprintf(&b, " %d", done)
	}
	if item != "" {
		b.WriteString(" " + item)
	}
	line := []rune(b.String())
	if len(line) > lineWidth {
		line = append(line[:lineWidth-1], '…')
	}
	return string(line)
}

// progress is the Progress the workflows report to: the ui when it draws
// the bar, else none.
func (u *ui) progress() project.Progress {
	if !u.bar {
		return nil
	}
	return u
}

// errorLine is an error as pylock reports it: "error: ..." with the word
// in red on a colour terminal.
func (u *ui) errorLine(err error) string {
	return paint(u.colorErr, ansiRed, "error:") + " " + err.Error()
}

// hint writes, after an error, what to do next when the error's message
// does not say it.
func (u *ui) hint(err error) {
	if step := project.NextStep(err); step != "" {
		u.errLine("hint: " + step)
	}
}
