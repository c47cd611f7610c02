package venv

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// zipEntry is one member of a hand-made wheel: written as given, with no
// RECORD added.
type zipEntry struct {
	name     string
	data     []byte
	mode     os.FileMode // 0 for 0o644
	store    bool        // stored, not deflated
	declared uint64      // when set, the uncompressed size the archive claims (data is then stored raw)
}

// writeZip writes entries as a zip archive at path.
func writeZip(t *testing.T, path string, entries []zipEntry) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.store || e.declared != 0 {
			h.Method = zip.Store
		}
		h.SetMode(cmpOr(e.mode, 0o644))
		var err error
		var w interface{ Write([]byte) (int, error) }
		if e.declared != 0 {
			h.CompressedSize64, h.UncompressedSize64 = uint64(len(e.data)), e.declared
			w, err = zw.CreateRaw(h)
		} else {
			w, err = zw.CreateHeader(h)
		}
		if err == nil {
			_, err = w.Write(e.data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func cmpOr(m, def os.FileMode) os.FileMode {
	if m == 0 {
		return def
	}
	return m
}

// wheelEntries is a valid wheel of ok 1.0 (METADATA, WHEEL, a module) with
// extra files, and a RECORD that hashes them all, edited by edit.
func wheelEntries(extra []zipEntry, edit func([]RecordEntry) []RecordEntry) []zipEntry {
	entries := []zipEntry{}
	for _, f := range meta("ok", "1.0", true) {
		entries = append(entries, zipEntry{name: f.name, data: []byte(f.data)})
	}
	entries = append(entries, zipEntry{name: "ok/__init__.py", data: []byte("X = 1\n")})
	entries = append(entries, extra...)
	var rec []RecordEntry
	for _, e := range entries {
		rec = append(rec, RecordEntry{Path: e.name, Hash: recordHash(e.data), Size: int64(len(e.data))})
	}
	if edit != nil {
		rec = edit(rec)
	}
	rec = append(rec, RecordEntry{Path: "ok-1.0.dist-info/RECORD", Size: -1})
	return append(entries, zipEntry{name: "ok-1.0.dist-info/RECORD", data: formatRecord(rec)})
}

// replaceEntry returns entries with the data of the one named name replaced.
func replaceEntry(entries []zipEntry, name, data string) []zipEntry {
	out := slices.Clone(entries)
	for i := range out {
		if out[i].name == name {
			out[i].data = []byte(data)
		}
	}
	return out
}

// randomText is n bytes of base64 text that does not compress much.
func randomText(n int) []byte {
	raw := make([]byte, n*3/4+3)
	_, _ = rand.Read(raw)
	return []byte(base64.StdEncoding.EncodeToString(raw)[:n])
}

// hostileWheelCases are wheels refused before anything is written: the
// reason, and the entry named in the error.
func hostileWheelCases() []struct {
	name, reason, entry string
	entries             []zipEntry
} {
	bigRecord := func(rec []RecordEntry) []RecordEntry { rec[2].Size++; return rec }
	phantom := func(rec []RecordEntry) []RecordEntry {
		return append(rec, RecordEntry{Path: "ok/gone.py", Hash: recordHash(nil), Size: 0})
	}
	wrongHash := func(rec []RecordEntry) []RecordEntry { rec[2].Hash = recordHash([]byte("other")); return rec }
	zeros := make([]byte, 16<<20)
	return []struct {
		name, reason, entry string
		entries             []zipEntry
	}{
		{"zip slip", "path escapes the target", "ok/../../../evil", wheelEntries([]zipEntry{{name: "ok/../../../evil", data: []byte("x")}}, nil)},
		{"backslash", "backslash or NUL", `..\..\evil`, wheelEntries([]zipEntry{{name: `..\..\evil`, data: []byte("x")}}, nil)},
		{"absolute path", "absolute path", "/tmp/pylock-evil", wheelEntries([]zipEntry{{name: "/tmp/pylock-evil", data: []byte("x")}}, nil)},
		{"symlink", "symlink", "ok/passwd", wheelEntries([]zipEntry{{name: "ok/passwd", data: []byte("/etc/passwd"), mode: os.ModeSymlink | 0o777}}, nil)},
		{"device file", "special file", "ok/dev", wheelEntries([]zipEntry{{name: "ok/dev", mode: os.ModeDevice | os.ModeCharDevice | 0o644}}, nil)},
		{"duplicate entry", "duplicate archive entry", "ok/__init__.py", wheelEntries([]zipEntry{{name: "ok/__init__.py", data: []byte("X = 1\n")}}, nil)},
		{"decompression bomb", "compressed more than 200:1", "ok/zeros.bin", wheelEntries([]zipEntry{{name: "ok/zeros.bin", data: zeros}}, nil)},
		{"declared bomb", "wheel unpacks to more than 8 GiB", "ok/huge.bin", wheelEntries([]zipEntry{{name: "ok/huge.bin", data: []byte("x"), declared: 9 << 30}}, nil)},
		{"huge METADATA", "larger than 16 MiB", "ok-1.0.dist-info/METADATA",
			replaceEntry(wheelEntries(nil, nil), "ok-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: ok\nVersion: 1.0\n\n"+string(randomText(17<<20)))},
		{"RECORD with a wrong hash", "RECORD hash mismatch", "ok/__init__.py", wheelEntries(nil, wrongHash)},
		{"RECORD with a wrong size", "RECORD size mismatch", "ok/__init__.py", wheelEntries(nil, bigRecord)},
		{"RECORD lists a missing file", "listed in RECORD but not in the wheel", "ok/gone.py", wheelEntries(nil, phantom)},
		{"file missing from RECORD", "not hashed in RECORD", "ok/extra.py", append(wheelEntries(nil, nil), zipEntry{name: "ok/extra.py", data: []byte("x")})},
		{"METADATA names another project", `Name "evil" differs from the file name's "ok"`, "ok-1.0.dist-info/METADATA",
			replaceEntry(wheelEntries(nil, nil), "ok-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n")},
		{"METADATA has another version", `Version "6.6.6" differs from the file name's "1.0"`, "ok-1.0.dist-info/METADATA",
			replaceEntry(wheelEntries(nil, nil), "ok-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: ok\nVersion: 6.6.6\n")},
	}
}

// TestHostileWheelsRefused installs and unpacks (as the cache does) each
// hostile wheel: each is a *WheelError naming the wheel file and the entry,
// and no file appears anywhere below the test's folder.
func TestHostileWheelsRefused(t *testing.T) {
	env := newEnv(t)
	root := filepath.Dir(env.Dir)
	for _, tt := range hostileWheelCases() {
		t.Run(tt.name, func(t *testing.T) {
			whl := filepath.Join(root, "ok-1.0-py3-none-any.whl")
			writeZip(t, whl, tt.entries)
			defer os.Remove(whl)
			before := walkFiles(t, root)
			for _, install := range []func() error{
				func() error { return env.InstallWheel(whl) },
				func() error { return UnpackWheel(whl, filepath.Base(whl), filepath.Join(root, "cache", "ok")) },
			} {
				err := install()
				var we *WheelError
				if !errors.As(err, &we) || !strings.Contains(we.Reason, tt.reason) || we.Entry != tt.entry {
					t.Fatalf("err = %v, want a *WheelError %q for %q", err, tt.reason, tt.entry)
				}
				if msg := err.Error(); !strings.Contains(msg, "ok-1.0-py3-none-any.whl") || !strings.Contains(msg, strconv.Quote(tt.entry)) {
					t.Errorf("message %q names neither the wheel nor the entry", msg)
				}
				if after := walkFiles(t, root); !slices.Equal(after, before) {
					t.Fatalf("a refused wheel wrote files: %q", slices.DeleteFunc(after, func(p string) bool { return slices.Contains(before, p) }))
				}
			}
		})
	}
	if _, err := os.Lstat("/tmp/pylock-evil"); err == nil {
		t.Error("/tmp/pylock-evil was written")
	}
}

// TestWheelNamedOtherThanItsContent checks a wheel whose .dist-info folder
// carries another version than its file name.
func TestWheelNamedOtherThanItsContent(t *testing.T) {
	dir := t.TempDir()
	var entries []zipEntry
	var rec []RecordEntry
	for _, f := range meta("ok", "2.0", true) {
		entries = append(entries, zipEntry{name: f.name, data: []byte(f.data)})
		rec = append(rec, RecordEntry{Path: f.name, Hash: recordHash([]byte(f.data)), Size: int64(len(f.data))})
	}
	whl := filepath.Join(dir, "ok-1.0-py3-none-any.whl")
	writeZip(t, whl, append(entries, zipEntry{name: "ok-2.0.dist-info/RECORD", data: formatRecord(rec)}))
	err := UnpackWheel(whl, filepath.Base(whl), filepath.Join(dir, "out"))
	var we *WheelError
	if !errors.As(err, &we) || we.Entry != "ok-2.0.dist-info" || we.Reason != "version differs from the file name's 1.0" {
		t.Fatalf("err = %v", err)
	}
}

// writeTarGzRaw writes a .tar.gz of the given headers and bodies, leaving
// the archive unfinished when a header claims more than its body.
func writeTarGzRaw(t *testing.T, path string, headers []*tar.Header, bodies []string) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for i, h := range headers {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(bodies[i])); err != nil {
			t.Fatal(err)
		}
	}
	_ = tw.Flush() // fails when a body is short: the archive stays cut
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHostileSdistsRefused checks that each hostile sdist is a *SdistError
// naming the archive and the member, and that nothing is left: not the
// destination, not a file outside it.
func TestHostileSdistsRefused(t *testing.T) {
	reg := func(name, body string) (*tar.Header, string) {
		return &tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}, body
	}
	special := func(name string, typ byte) (*tar.Header, string) {
		return &tar.Header{Name: name, Mode: 0o644, Typeflag: typ, Linkname: "/etc/passwd", Devmajor: 1, Devminor: 3}, ""
	}
	zeros := strings.Repeat("\x00", 16<<20)
	huge := &tar.Header{Name: "demo-1.0/huge.bin", Mode: 0o644, Size: 5 << 30, Typeflag: tar.TypeReg}
	tests := []struct {
		name, member, reason string
		members              [][2]any
	}{
		{"parent path", "demo-1.0/../../evil", "path leaves the archive's folder", [][2]any{pair(reg("demo-1.0/../../evil", "x"))}},
		{"absolute path", "/tmp/pylock-evil-sdist", "path leaves the archive's folder", [][2]any{pair(reg("/tmp/pylock-evil-sdist", "x"))}},
		{"symlink", "demo-1.0/link", "symlink", [][2]any{pair(special("demo-1.0/link", tar.TypeSymlink))}},
		{"hard link", "demo-1.0/hard", "hard link", [][2]any{pair(special("demo-1.0/hard", tar.TypeLink))}},
		{"character device", "demo-1.0/null", "device file", [][2]any{pair(special("demo-1.0/null", tar.TypeChar))}},
		{"block device", "demo-1.0/sda", "device file", [][2]any{pair(special("demo-1.0/sda", tar.TypeBlock))}},
		{"named pipe", "demo-1.0/fifo", "named pipe", [][2]any{pair(special("demo-1.0/fifo", tar.TypeFifo))}},
		{"duplicate member", "demo-1.0/setup.py", "duplicate member", [][2]any{pair(reg("demo-1.0/setup.py", "a")), pair(reg("demo-1.0/setup.py", "b"))}},
		{"decompression bomb", "demo-1.0/zeros.bin", "compressed more than 200:1", [][2]any{pair(reg("demo-1.0/zeros.bin", zeros))}},
		{"declared bomb", "demo-1.0/huge.bin", "unpacks to more than 4 GiB", [][2]any{{huge, "x"}}},
	}
	root := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			archive := filepath.Join(root, "demo-1.0.tar.gz")
			var headers []*tar.Header
			var bodies []string
			for _, m := range tt.members {
				headers, bodies = append(headers, m[0].(*tar.Header)), append(bodies, m[1].(string))
			}
			writeTarGzRaw(t, archive, headers, bodies)
			_, err := UnpackSdist(archive, filepath.Join(root, "build", "src"))
			var se *SdistError
			if !errors.As(err, &se) || se.Member != tt.member || !strings.Contains(se.Reason, tt.reason) {
				t.Fatalf("err = %v, want a *SdistError %q for %q", err, tt.reason, tt.member)
			}
			if msg := err.Error(); !strings.Contains(msg, archive) || !strings.Contains(msg, tt.member) {
				t.Errorf("message %q names neither the archive nor the member", msg)
			}
			if files := walkFiles(t, root); !slices.Equal(files, []string{archive}) {
				t.Errorf("a refused sdist left files: %q", files)
			}
			if _, err := os.Lstat("/tmp/pylock-evil-sdist"); err == nil {
				t.Error("/tmp/pylock-evil-sdist was written")
			}
		})
	}
}

// pair packs a tar header and its body.
func pair(h *tar.Header, body string) [2]any { return [2]any{h, body} }
