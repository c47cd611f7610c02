package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcPercent returns the current GOGC value.
func gcPercent() int {
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return percent
}

// TestTuneMemoryDelaysFirstCollection checks that tuneMemory raises GOGC to
// startPercent and that collections bring it back to what it was.
func TestTuneMemoryDelaysFirstCollection(t *testing.T) {
	t.Setenv("GOGC", "")
	os.Unsetenv("GOGC")
	before := gcPercent()
	t.Cleanup(func() { debug.SetGCPercent(before) })

	tuneMemory()
	if got := gcPercent(); got != startPercent {
		t.Fatalf("after tuneMemory GOGC = %d, want %d", got, startPercent)
	}
	deadline := time.Now().Add(10 * time.Second)
	for gcPercent() != before {
		if time.Now().After(deadline) {
			t.Fatalf("GOGC still %d after collections, want %d back", gcPercent(), before)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// TestTuneMemoryKeepsGOGC checks that a GOGC the user set is left alone.
func TestTuneMemoryKeepsGOGC(t *testing.T) {
	t.Setenv("GOGC", "150")
	before := debug.SetGCPercent(150)
	t.Cleanup(func() { debug.SetGCPercent(before) })

	tuneMemory()
	if got := gcPercent(); got != 150 {
		t.Fatalf("with GOGC=150 set, tuneMemory left GOGC = %d", got)
	}
}
