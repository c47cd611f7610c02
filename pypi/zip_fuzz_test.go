package pypi

import (
	"archive/zip"
	"bytes"
	"fmt"
	"path"
	"strings"
	"testing"
	"time"
)

// zipOf builds a zip archive of name/content pairs, deflated.
func zipOf(t testing.TB, pairs ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(pairs); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: pairs[i], Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(pairs[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzWheelMetadata reads a wheel's central directory and METADATA as the
// range-request reader does: whatever the bytes, it gives an error or a
// METADATA of at most maxMetadata bytes from a top-level .dist-info folder,
// in under 10 s.
func FuzzWheelMetadata(f *testing.F) {
	f.Add(zipOf(f, "demo/__init__.py", "", "demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"))
	f.Add(zipOf(f, "other-1.0.dist-info/METADATA", "Name: other\n", "Demo-1.0.dist-info/METADATA", "Name: demo\n"))
	f.Add(zipOf(f, "a/b.dist-info/METADATA", "x", "demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n"))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		hang := time.AfterFunc(10*time.Second, func() { panic("one input took more than 10s") })
		defer hang.Stop()
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		got, err := readMetadataFile(zr, "demo")
		if err != nil {
			return
		}
		if len(got) > maxMetadata {
			t.Fatalf("METADATA of %d bytes, limit %d", len(got), maxMetadata)
		}
		found := false
		for _, zf := range zr.File {
			dir, file := path.Split(zf.Name)
			found = found || file == "METADATA" && strings.Count(dir, "/") == 1 && strings.HasSuffix(dir, ".dist-info/")
		}
		if !found {
			t.Fatal("METADATA read from an archive without a top-level .dist-info/METADATA")
		}
	})
}

// FuzzParseContentRange checks that an accepted Content-Range is in order
// and reads back the same from its canonical form.
func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-99/100", "bytes 100-199/1000", "bytes */100", "bytes -1-2/3", "bytes 5-/5", "bytes 5-4/9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, end, total, ok := parseContentRange(s)
		if !ok {
			return
		}
		if start < 0 || start > end || end >= total {
			t.Fatalf("parseContentRange(%q) = %d, %d, %d", s, start, end, total)
		}
		again := fmt.Sprintf("bytes %d-%d/%d", start, end, total)
		if s2, e2, t2, ok := parseContentRange(again); !ok || s2 != start || e2 != end || t2 != total {
			t.Fatalf("parseContentRange(%q) = %d, %d, %d, %v", again, s2, e2, t2, ok)
		}
	})
}
