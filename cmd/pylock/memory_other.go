//go:build !linux

package main

// adviseHugeHeap does nothing where the kernel has no transparent huge
// pages to advise, and returns an empty range.
func adviseHugeHeap() (start, end uintptr) { return 0, 0 }
