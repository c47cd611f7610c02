package main

import (
	"os"
	"runtime"
	"runtime/debug"

	"github.com/pylock/pylock/internal/memadvise"
)

// A command that resolves or installs runs for tens of milliseconds and
// allocates megabytes. What it pays most for is not computing but memory
// the process touches for the first time, and collections, which hand work
// between threads. tuneMemory, which the pylock binary calls before such a
// command, shapes both. It changes no behaviour, only when memory is
// touched and collected.

// largeHeap is the annotation that marks a command tuneMemory prepares for.
const largeHeap = "large-heap"

// largeHeapCommand is the Annotations of a command that resolves or
// installs, which tuneMemory prepares for.
func largeHeapCommand() map[string]string {
	return map[string]string{largeHeap: "resolves or installs"}
}

const (
	// firstCollection is the heap size at which the first collection runs,
	// against the runtime's 4 MB: a warm lock of a small project finishes
	// before it.
	firstCollection = 16 << 20
	// startPercent is the GOGC value that puts the first collection at
	// firstCollection: the runtime's smallest heap goal is 4 MB × GOGC/100.
	startPercent = firstCollection / (4 << 20) * 100
	// startCycles is how many collections run at startPercent: the first
	// frees memadvise.HugeHeap's reserve, the second is the command's own first.
	// After them the heap goal is the runtime's default, so a large lock
	// keeps its usual peak memory.
	startCycles = 2
	// heapReserve is how much heap tuneMemory has memadvise.HugeHeap map
	// ahead: twice firstCollection, so the heap stays inside it until the
	// first collection and mostly after.
	heapReserve = 2 * firstCollection
)

// tuneMemory backs the heap's first megabytes with huge pages where the
// system offers them (see memadvise.HugeHeap) and, unless GOGC is set, lets the
// heap reach firstCollection before collecting.
func tuneMemory() {
	percent := debug.SetGCPercent(-1)
	memadvise.HugeHeap(heapReserve)
	if _, set := os.LookupEnv("GOGC"); set {
		debug.SetGCPercent(percent)
		return
	}
	// The sentinel is allocated while no collection runs, so the first
	// collection finds it unreachable.
	restorePercentAfter(startCycles, percent)
	debug.SetGCPercent(startPercent)
}

// restorePercentAfter sets GOGC to percent once cycles more collections
// have run. It learns of each from the cleanup of an object nothing
// references, which runs after the collection that finds it.
func restorePercentAfter(cycles, percent int) {
	sentinel := new([32]byte) // past the tiny allocator's 16 bytes, so it is freed alone
	runtime.AddCleanup(sentinel, func(left int) {
		if left > 1 {
			restorePercentAfter(left-1, percent)
			return
		}
		debug.SetGCPercent(percent)
	}, cycles)
}
