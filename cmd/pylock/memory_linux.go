package main

import (
	"bytes"
	"os"
	"syscall"
	"unsafe"
)

// Linux's madvise advice values, the same on every architecture Go
// supports; the syscall package does not name MADV_COLLAPSE.
const (
	madviseHugePage = 14
	madviseCollapse = 25
)

const (
	// heapReserve is how much heap adviseHugeHeap maps ahead: twice
	// firstCollection, so the heap stays inside it until the first
	// collection and mostly after.
	heapReserve = 2 * firstCollection
	// initHeap bounds the heap that package initialisation has used, which
	// lies below the reserve.
	initHeap = 8 << 20
	// heapArena is the runtime's unit of heap address space on 64-bit
	// Linux: it reserves whole aligned arenas, so every address of the
	// reserve's arena is heap, mapped or reserved.
	heapArena = 64 << 20
	// hugePage is the size of a transparent huge page on the platforms
	// that have them (x86-64, and arm64 with 4 KB pages).
	hugePage = 2 << 20
)

// adviseHugeHeap backs the start of the heap with transparent huge pages.
//
// A fresh process pays a page fault for every 4 KB page of heap it first
// touches, and on a virtual machine a fault costs microseconds: a warm lock
// of a small project touches about 1,200 heap pages. With
// /sys/kernel/mm/transparent_hugepage/enabled set to "madvise", the common
// default, the kernel gives huge pages only to memory that asks for them,
// and Go's runtime does not ask.
//
// So adviseHugeHeap allocates heapReserve bytes, which makes the runtime
// map that much heap now without touching it, and advises huge pages from
// below the heap package initialisation used to the reserve's end. The
// next collection frees the reserve; its pages stay mapped and advised, and
// the heap grows into them. The huge-page ranges that initialisation has
// already touched are collapsed into huge pages. Every step is advice:
// where the kernel refuses or lacks it, nothing changes.
//
// It returns the range it advised, empty when the kernel refused.
func adviseHugeHeap() (start, end uintptr) {
	reserve := make([]byte, heapReserve)
	reserveStart := uintptr(unsafe.Pointer(&reserve[0]))
	start = max(reserveStart-initHeap, reserveStart&^(heapArena-1))
	end = reserveStart + heapReserve
	if madvise(start, end-start, madviseHugePage) != nil {
		return 0, 0
	}
	collapseTouched(start, alignUp(reserveStart, hugePage))
	return start, end
}

// alignUp rounds n up to a multiple of align, a power of two.
func alignUp(n, align uintptr) uintptr { return (n + align - 1) &^ (align - 1) }

// collapseTouched turns each huge-page range of [start, end) that holds
// resident pages into one huge page.
func collapseTouched(start, end uintptr) {
	start = alignUp(start, hugePage)
	if start >= end {
		return
	}
	pageSize := uintptr(os.Getpagesize())
	resident := make([]byte, (end-start)/pageSize)
	_, _, errno := syscall.Syscall(syscall.SYS_MINCORE, start, end-start, uintptr(unsafe.Pointer(&resident[0])))
	if errno != 0 {
		return
	}
	perHuge := int(hugePage / pageSize)
	for i := 0; i+perHuge <= len(resident); i += perHuge {
		if bytes.IndexByte(resident[i:i+perHuge], 1) >= 0 {
			madvise(start+uintptr(i)*pageSize, hugePage, madviseCollapse)
		}
	}
}

// madvise gives the kernel advice about [start, start+length).
func madvise(start, length uintptr, advice int) error {
	if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, start, length, uintptr(advice)); errno != 0 {
		return errno
	}
	return nil
}
