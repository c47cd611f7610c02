package memadvise

import (
	"syscall"
	"unsafe"
)

// Linux's madvise advice values, the same on every architecture Go
// supports; the syscall package lacks the last two.
const (
	adviseHugePage     = 14
	advisePopulateRead = 22
	adviseCollapse     = 25
)

const (
	// hugePage is the size of a transparent huge page on the platforms
	// that have them (x86-64, and arm64 with 4 KB pages).
	hugePage = 2 << 20
	// heapChunk is the unit in which the runtime maps heap (its palloc
	// chunk), at addresses aligned to it.
	heapChunk = 4 << 20
	// heapArena is the runtime's unit of heap address space on 64-bit
	// Linux: it reserves whole aligned arenas, so every address of an
	// arena that holds heap is heap, mapped or reserved.
	heapArena = 64 << 20
	// initHeap bounds the heap that the program's set-up has used when
	// HugeHeap runs, which lies below the reserve.
	initHeap = 8 << 20
)

func init() {
	maps := readMaps()
	populateImage(maps)
	adviseInitialHeap(maps)
}

var (
	// heapProbe holds, for a moment, an allocation whose address says
	// where the heap is.
	heapProbe *[16]byte
	// initialHeap is the heap mapping that adviseInitialHeap advised,
	// empty when it advised none.
	initialHeap struct{ start, end uintptr }
)

// adviseInitialHeap advises huge pages for the heap's mapping as package
// initialisation finds it (4 MB or so, at an address the runtime chooses at
// random) and collapses its touched parts into huge pages.
func adviseInitialHeap(maps string) {
	heapProbe = new([16]byte)
	heap, ok := mappingOf(maps, uintptr(unsafe.Pointer(heapProbe)))
	heapProbe = nil
	if !ok || !heap.anonymous() || !heap.writable || madvise(heap.start, heap.end-heap.start, adviseHugePage) != nil {
		return
	}
	initialHeap.start, initialHeap.end = heap.start, heap.end
	collapseTouched(heap.start, heap.end)
}

// HugeHeap backs the heap's next megabytes with transparent huge pages, for a
// command that will allocate them.
//
// With /sys/kernel/mm/transparent_hugepage/enabled set to "madvise", the
// common default, the kernel gives huge pages only to memory that asks for
// them, and Go's runtime does not ask. So HugeHeap allocates reserve bytes,
// which makes the runtime map that much heap now without touching it, and
// advises huge pages from below the heap used so far to the end of that
// mapping. The next collection frees the reserve; its pages stay mapped and
// advised, and the heap grows into them. The huge-page ranges already
// touched are collapsed into huge pages.
//
// It returns the range it advised, empty when the kernel refused.
func HugeHeap(reserve uintptr) (start, end uintptr) {
	block := make([]byte, reserve)
	blockStart := uintptr(unsafe.Pointer(&block[0]))
	start = max(blockStart-initHeap, blockStart&^(heapArena-1))
	// The runtime mapped the block in whole chunks: the rest of the last
	// one is free heap, which the allocations made before the next
	// collection frees the block take first.
	end = alignUp(blockStart+reserve, heapChunk)
	if madvise(start, end-start, adviseHugePage) != nil {
		return 0, 0
	}
	collapseTouched(start, alignUp(blockStart, hugePage))
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
	pageSize := uintptr(syscall.Getpagesize())
	resident := make([]byte, (end-start)/pageSize)
	_, _, errno := syscall.RawSyscall(syscall.SYS_MINCORE, start, end-start, uintptr(unsafe.Pointer(&resident[0])))
	if errno != 0 {
		return
	}
	perHuge := int(hugePage / pageSize)
	for i := 0; i+perHuge <= len(resident); i += perHuge {
		if anyResident(resident[i : i+perHuge]) {
			madvise(start+uintptr(i)*pageSize, hugePage, adviseCollapse)
		}
	}
}

// anyResident reports whether mincore's vector holds a resident page (its
// low bit set).
func anyResident(vector []byte) bool {
	for _, page := range vector {
		if page&1 != 0 {
			return true
		}
	}
	return false
}

// madvise gives the kernel advice about [start, start+length).
//
// It makes a raw system call, which the scheduler does not see: a
// populate or a collapse lasts long enough (0.2-1 ms) that, as a plain
// call, the runtime would hand this thread's processor to another thread
// meanwhile, and taking it back cost about 1 ms of a 13 ms pylock
// --version (perf stat, 60 runs). Nothing else of pylock runs yet when these
// calls are made.
func madvise(start, length uintptr, advice int) error {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_MADVISE, start, length, uintptr(advice)); errno != 0 {
		return errno
	}
	return nil
}
