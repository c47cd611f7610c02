//go:build !linux

package memadvise

// HugeHeap does nothing where the kernel has no transparent huge pages to
// advise, and returns an empty range.
func HugeHeap(reserve uintptr) (start, end uintptr) { return 0, 0 }
