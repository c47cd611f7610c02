package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestAdviseHugeHeap checks that adviseHugeHeap advises huge pages for the
// whole heap reserve it mapped, as /proc/self/smaps reports each mapping's
// flags ("hg" is MADV_HUGEPAGE).
func TestAdviseHugeHeap(t *testing.T) {
	start, end := adviseHugeHeap()
	if start == end {
		if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage"); err != nil {
			t.Skip("this kernel has no transparent huge pages to advise")
		}
		t.Fatal("adviseHugeHeap advised nothing on a kernel with transparent huge pages")
	}
	if end-start < heapReserve {
		t.Fatalf("advised %d bytes, want at least the %d-byte reserve", end-start, heapReserve)
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skip("no /proc/self/smaps to read mappings from:", err)
	}
	covered := uintptr(0)
	for _, m := range parseSmaps(t, smaps) {
		low, high := max(m.start, start), min(m.end, end)
		if low >= high {
			continue
		}
		if !m.hugePage {
			t.Errorf("mapping %#x-%#x inside the advised %#x-%#x lacks the huge-page flag", m.start, m.end, start, end)
		}
		covered += high - low
	}
	if covered != end-start {
		t.Errorf("mappings cover %d of the %d advised bytes", covered, end-start)
	}
}

// smapsMapping is one mapping of /proc/self/smaps: its bounds and whether
// its VmFlags hold "hg".
type smapsMapping struct {
	start, end uintptr
	hugePage   bool
}

// parseSmaps reads /proc/self/smaps's mappings.
func parseSmaps(t *testing.T, smaps []byte) []smapsMapping {
	t.Helper()
	var mappings []smapsMapping
	lines := bufio.NewScanner(bytes.NewReader(smaps))
	for lines.Scan() {
		line := lines.Text()
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && len(mappings) > 0 {
			mappings[len(mappings)-1].hugePage = strings.Contains(" "+flags+" ", " hg ")
			continue
		}
		bounds, _, _ := strings.Cut(line, " ")
		low, high, ok := strings.Cut(bounds, "-")
		if !ok {
			continue
		}
		s, errLow := strconv.ParseUint(low, 16, 64)
		e, errHigh := strconv.ParseUint(high, 16, 64)
		if errLow != nil || errHigh != nil {
			continue
		}
		mappings = append(mappings, smapsMapping{start: uintptr(s), end: uintptr(e)})
	}
	return mappings
}
