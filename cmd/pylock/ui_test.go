package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestProgressLine(t *testing.T) {
	tests := []struct {
		phase       string
		done, total int
		item, want  string
	}{
		{"Resolving", 3, 0, "idna 3.7", "Resolving 3 idna 3.7"},
		{"Downloading", 0, 4, "", "Downloading [>                       ] 0/4"},
		{"Downloading", 2, 4, "a.whl", "Downloading [============>           ] 2/4 a.whl"},
		{"Installing", 4, 4, "idna", "Installing [========================] 4/4 idna"},
		{"Installing", 5, 4, "", "Installing [========================] 5/4"},
		{"Resolving", 1, 0, strings.Repeat("x", 100), "Resolving 1 " + strings.Repeat("x", 66) + "…"},
	}
	for _, tt := range tests {
		if got := progressLine(tt.phase, tt.done, tt.total, tt.item); got != tt.want {
			t.Errorf("progressLine(%q, %d, %d, %q) = %q, want %q", tt.phase, tt.done, tt.total, tt.item, got, tt.want)
		}
	}
}

func TestUIProgressOnlyOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	if p := newUI(Streams{Out: &buf, Err: &buf}, colorAuto, false).progress(); p != nil {
		t.Errorf("progress off a terminal = %v, want none", p)
	}
	if p := newUI(Streams{Out: &buf, Err: &buf, Terminal: true}, colorAuto, true); p.progress() != nil {
		t.Errorf("progress with -q = %v, want none", p)
	}
	if p := newUI(Streams{Out: &buf, Err: &buf, Terminal: true}, colorAuto, false).progress(); p == nil {
		t.Error("progress on a terminal = nil, want the bar")
	}
}

// TestUIBar draws, rate-limits, moves a log line past the bar, and clears.
func TestUIBar(t *testing.T) {
	var buf bytes.Buffer
	u := newUI(Streams{Out: &buf, Err: &buf, Terminal: true}, colorNever, false)
	u.Start("Downloading", 100)
	for range 100 {
		u.Advance("Downloading", 1, "f")
	}
	if n := strings.Count(buf.String(), "\rDownloading"); n > 2 {
		t.Errorf("drew the bar %d times in a burst, want at most 2 (rate-limited)", n)
	}
	u.errLine("+ idna 3.7")
	if !strings.Contains(buf.String(), "\r"+strings.Repeat(" ", 5)) || !strings.Contains(buf.String(), "\r+ idna 3.7\n\rDownloading") {
		t.Errorf("a log line is not written on a cleared line with the bar redrawn after: %q", buf.String())
	}
	u.Done("Downloading")
	if !strings.HasSuffix(buf.String(), strings.Repeat(" ", len("Downloading [========================] 100/100 f"))+"\r") {
		t.Errorf("the bar is not cleared when done: %q", buf.String())
	}
	before := buf.Len()
	u.errLine("Installed")
	if got := buf.String()[before:]; got != "Installed\n" {
		t.Errorf("after Done, a log line = %q, want it alone", got)
	}
}

func TestErrorColour(t *testing.T) {
	err := errors.New("no lock")
	tests := []struct {
		name     string
		terminal bool
		mode     string
		noColor  string
		want     string
	}{
		{"terminal", true, colorAuto, "", "\x1b[31merror:\x1b[0m no lock"},
		{"not a terminal", false, colorAuto, "", "error: no lock"},
		{"NO_COLOR", true, colorAuto, "1", "error: no lock"},
		{"NO_COLOR beats always", false, colorAlways, "yes", "error: no lock"},
		{"always", false, colorAlways, "", "\x1b[31merror:\x1b[0m no lock"},
		{"never", true, colorNever, "", "error: no lock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NO_COLOR", tt.noColor)
			var buf bytes.Buffer
			u := newUI(Streams{Out: &buf, Err: &buf, Terminal: tt.terminal}, tt.mode, false)
			if got := u.errorLine(err); got != tt.want {
				t.Errorf("errorLine = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestUIConcurrent advances the bar and logs from several goroutines, as
// parallel downloads do; run with -race. Every log line arrives whole.
func TestUIConcurrent(t *testing.T) {
	var buf bytes.Buffer
	u := newUI(Streams{Out: &buf, Err: &buf, Terminal: true}, colorNever, false)
	u.Start("Downloading", 8)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u.Advance("Downloading", 1, "f")
			u.errLine(fmt.Sprintf("line %d", i))
		}()
	}
	wg.Wait()
	u.Done("Downloading")
	for i := range 8 {
		if !strings.Contains(buf.String(), fmt.Sprintf("\rline %d\n", i)) {
			t.Errorf("line %d is missing or not on a cleared line: %q", i, buf.String())
		}
	}
}
