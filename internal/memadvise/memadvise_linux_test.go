package memadvise

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// testReserve is the reserve TestHugeHeap asks for.
const testReserve = 32 << 20

// TestHugeHeap checks that HugeHeap advises huge pages for the whole heap
// reserve it mapped, as /proc/self/smaps reports each mapping's flags ("hg"
// is MADV_HUGEPAGE).
func TestHugeHeap(t *testing.T) {
	start, end := HugeHeap(testReserve)
	if start == end {
		requireHugePages(t)
		t.Fatal("HugeHeap advised nothing on a kernel with transparent huge pages")
	}
	if end-start < testReserve {
		t.Fatalf("advised %d bytes, want at least the %d-byte reserve", end-start, testReserve)
	}
	checkHugePageFlag(t, readSmaps(t), start, end)
}

// TestInitialHeapAdvised checks that initialisation advised huge pages for
// the heap's mapping.
func TestInitialHeapAdvised(t *testing.T) {
	if initialHeap.start == initialHeap.end {
		requireHugePages(t)
		t.Fatal("initialisation advised no heap mapping on a kernel with transparent huge pages")
	}
	checkHugePageFlag(t, readSmaps(t), initialHeap.start, initialHeap.end)
}

// TestImagePopulated checks that every page of the test binary's read-only
// mappings is resident, as it is once initialisation has populated them:
// without that, only the pages a run touched (and their neighbours) are.
func TestImagePopulated(t *testing.T) {
	requirePopulateRead(t)
	marker := uintptr(unsafe.Pointer(unsafe.StringData(imageMarker)))
	mappings := readSmaps(t)
	image, ok := smapsMappingOf(mappings, marker)
	if !ok {
		t.Fatalf("no mapping holds the marker at %#x", marker)
	}
	checked := 0
	for _, m := range mappings {
		if m.device != image.device || m.inode != image.inode || m.writable {
			continue
		}
		checked++
		if m.rssKB != m.sizeKB {
			t.Errorf("read-only mapping %#x-%#x of the executable: %d of %d kB resident", m.start, m.end, m.rssKB, m.sizeKB)
		}
	}
	if checked == 0 {
		t.Fatal("found no read-only mapping of the executable")
	}
}

// requireHugePages skips the test on a kernel without transparent huge
// pages, where there is nothing to advise.
func requireHugePages(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage"); err != nil {
		t.Skip("this kernel has no transparent huge pages to advise")
	}
}

// requirePopulateRead skips the test on a kernel older than Linux 5.14,
// which has no MADV_POPULATE_READ.
func requirePopulateRead(t *testing.T) {
	t.Helper()
	page, err := syscall.Mmap(-1, 0, syscall.Getpagesize(), syscall.PROT_READ, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(page)
	if err := madvise(uintptr(unsafe.Pointer(&page[0])), uintptr(len(page)), advisePopulateRead); errors.Is(err, syscall.EINVAL) {
		t.Skip("this kernel has no MADV_POPULATE_READ")
	}
}

// checkHugePageFlag checks that every mapping inside [start, end) holds the
// huge-page flag and that mappings cover all of it.
func checkHugePageFlag(t *testing.T, mappings []smapsMapping, start, end uintptr) {
	t.Helper()
	covered := uintptr(0)
	for _, m := range mappings {
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

// smapsMapping is one mapping of /proc/self/smaps: its line as
// parseMapping reads it, its size and resident size, and whether its VmFlags hold "hg".
type smapsMapping struct {
	mapping
	sizeKB, rssKB int
	hugePage      bool
}

// readSmaps reads /proc/self/smaps's mappings.
func readSmaps(t *testing.T) []smapsMapping {
	t.Helper()
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skip("no /proc/self/smaps to read mappings from:", err)
	}
	var mappings []smapsMapping
	lines := bufio.NewScanner(bytes.NewReader(smaps))
	for lines.Scan() {
		line := lines.Text()
		if m, ok := parseMapping(line); ok {
			mappings = append(mappings, smapsMapping{mapping: m})
			continue
		}
		if len(mappings) == 0 {
			continue
		}
		last := &mappings[len(mappings)-1]
		key, value, _ := strings.Cut(line, ":")
		switch key {
		case "VmFlags":
			last.hugePage = strings.Contains(value+" ", " hg ")
		case "Size":
			last.sizeKB = kilobytes(t, value)
		case "Rss":
			last.rssKB = kilobytes(t, value)
		}
	}
	return mappings
}

// smapsMappingOf returns the smaps mapping that holds address.
func smapsMappingOf(mappings []smapsMapping, address uintptr) (smapsMapping, bool) {
	for _, m := range mappings {
		if m.start <= address && address < m.end {
			return m, true
		}
	}
	return smapsMapping{}, false
}

// kilobytes reads a size line's value, such as "   1234 kB".
func kilobytes(t *testing.T, value string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "kB")))
	if err != nil {
		t.Fatalf("smaps size %q: %v", value, err)
	}
	return n
}
