package memadvise

import (
	"syscall"
	"unsafe"
)

// imageMarker is a constant string, so its bytes lie in the executable's
// read-only data and the mapping that holds them is one of the executable's.
const imageMarker = "memadvise"

// readMaps returns /proc/self/maps, or "" when it cannot be read.
func readMaps() string {
	content, err := readFile("/proc/self/maps")
	if err != nil || len(content) == 0 {
		return ""
	}
	return unsafe.String(&content[0], len(content))
}

// populateImage maps in every read-only mapping of the executable file
// (its code and constant data), one madvise call each, instead of one page
// fault per 64 KB the run touches. maps is /proc/self/maps.
func populateImage(maps string) {
	image, ok := mappingOf(maps, uintptr(unsafe.Pointer(unsafe.StringData(imageMarker))))
	if !ok || image.anonymous() {
		return
	}
	for m := range mappings(maps) {
		if m.device == image.device && m.inode == image.inode && !m.writable {
			madvise(m.start, m.end-m.start, advisePopulateRead)
		}
	}
}

// A mapping is a line of /proc/self/maps.
type mapping struct {
	start, end uintptr
	writable   bool
	// device and inode name the mapped file as the line spells them
	// ("fd:01", "2345"); anonymous memory has inode "0".
	device, inode string
}

// anonymous reports whether the mapping maps no file.
func (m mapping) anonymous() bool { return m.inode == "0" }

// mappingOf returns the mapping of maps that holds address.
func mappingOf(maps string, address uintptr) (mapping, bool) {
	for m := range mappings(maps) {
		if m.start <= address && address < m.end {
			return m, true
		}
	}
	return mapping{}, false
}

// mappings yields the lines of /proc/self/maps,
//
//	start-end perms offset device inode [path]
//
// with start and end in hexadecimal and perms like "r-xp". A line it cannot
// read is left out.
func mappings(maps string) func(yield func(mapping) bool) {
	return func(yield func(mapping) bool) {
		for len(maps) > 0 {
			var line string
			line, maps = cut(maps, '\n')
			if m, ok := parseMapping(line); ok && !yield(m) {
				return
			}
		}
	}
}

// parseMapping reads one line of /proc/self/maps.
func parseMapping(line string) (mapping, bool) {
	bounds, rest := cut(line, ' ')
	perms, rest := cut(rest, ' ')
	_, rest = cut(rest, ' ') // offset
	device, rest := cut(rest, ' ')
	inode, _ := cut(rest, ' ')
	low, high := cut(bounds, '-')
	start, okStart := parseHex(low)
	end, okEnd := parseHex(high)
	if !okStart || !okEnd || len(perms) < 2 || device == "" || inode == "" {
		return mapping{}, false
	}
	return mapping{start: start, end: end, writable: perms[1] == 'w', device: device, inode: inode}, true
}

// cut splits s around the first sep, dropping the separator; without one,
// before is s.
func cut(s string, sep byte) (before, after string) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// parseHex reads a lowercase hexadecimal number that fits a uintptr.
func parseHex(s string) (uintptr, bool) {
	if s == "" || len(s) > 2*int(unsafe.Sizeof(uintptr(0))) {
		return 0, false
	}
	var n uintptr
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			n = n<<4 | uintptr(c-'0')
		case 'a' <= c && c <= 'f':
			n = n<<4 | uintptr(c-'a'+10)
		default:
			return 0, false
		}
	}
	return n, true
}

// readFile reads a whole file with system calls alone.
func readFile(path string) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	content := make([]byte, 0, 8<<10)
	for {
		if len(content) == cap(content) {
			content = append(content, 0)[:len(content)]
		}
		n, err := syscall.Read(fd, content[len(content):cap(content)])
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, err
		case n == 0:
			return content, nil
		}
		content = content[:len(content)+n]
	}
}
