package pypi

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/cache"
	"github.com/pylock/pylock/internal/testindex"
)

func TestParsedFilesRoundTrip(t *testing.T) {
	upload := time.Date(2020, 2, 13, 10, 1, 2, 345000000, time.FixedZone("", 3600))
	tests := []struct {
		name  string
		files []rawFile
	}{
		{"none", nil},
		{"every field", []rawFile{{Filename: "a-1.0-py3-none-any.whl", URL: "https://x/a-1.0-py3-none-any.whl", Version: "1.0",
			SHA256: "ab", Size: 12, RequiresPython: ">=3.8", Yanked: true, YankedReason: "broken", UploadTime: upload,
			CoreMetadata: true, CoreMetadataSHA256: "cd"}}},
		{"unknowns", []rawFile{{Filename: "a-1.0.tar.gz", URL: "https://x/a-1.0.tar.gz", Size: -1}, {Filename: "b", URL: "u"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, ok := encodeParsedFiles(tt.files)
			if !ok {
				t.Fatal("not encoded")
			}
			got, ok := decodeParsedFiles(string(data))
			if !ok || len(got) != len(tt.files) {
				t.Fatalf("decode: ok %v, %d files, want %d", ok, len(got), len(tt.files))
			}
			for i := range got {
				if !got[i].UploadTime.Equal(tt.files[i].UploadTime) {
					t.Errorf("upload time %v, want %v", got[i].UploadTime, tt.files[i].UploadTime)
				}
				got[i].UploadTime = tt.files[i].UploadTime
				if got[i] != tt.files[i] {
					t.Errorf("got %+v\nwant %+v", got[i], tt.files[i])
				}
			}
		})
	}
}

func TestParsedFilesRefused(t *testing.T) {
	if _, ok := encodeParsedFiles([]rawFile{{Filename: "a\tb", URL: "u"}}); ok {
		t.Error("a tab in a field was encoded")
	}
	good, _ := encodeParsedFiles([]rawFile{{Filename: "a", URL: "u", Size: 3}})
	for _, bad := range []string{
		"",                                              // empty: a write lost before it reached the disk
		string(good[:len(good)-1]),                      // truncated: no final newline
		"files 2\na\tu\t\t\t3\t\t0\t\t\t0\t\n",          // fewer files than the header says
		"a\tu\t\t\t3\t\t0\t\t\t0\t\n",                   // no header
		"files 1\na\tu\t\t\tx\t\t0\t\t\t0\t\n",          // size not a number
		"files 1\na\tu\t\t\t3\t\t0\t\t\t0\n",            // a field short
		"files 1\na\tu\t\t\t3\t\t0\t\t\t0\t\t\n",        // a field too many
		"files 1\na\tu\t\t\t3\t\t0\t\tyesterday\t0\t\n", // upload time
	} {
		if _, ok := decodeParsedFiles(bad); ok {
			t.Errorf("decoded %q", bad)
		}
	}
}

// TestParsedPageCache fetches a project with a large page through each
// kind of page: the second client reads the files the first
// parsed, and an entry that was tampered with is parsed anew.
func TestParsedPageCache(t *testing.T) {
	var releases []testindex.ReleaseSpec
	for i := range 300 {
		releases = append(releases, testindex.ReleaseSpec{Version: fmt.Sprintf("1.%d", i)})
	}
	ix, err := testindex.FromSpecs([]testindex.Spec{{Name: "big", Releases: releases}}, testindex.SpecOptions{Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range modes[:3] {
		t.Run(m.name, func(t *testing.T) {
			srv, err := testindex.Serve(ix, m.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			dir := t.TempDir()
			first := bigFiles(t, srv, dir)
			entries, _ := filepath.Glob(filepath.Join(dir, cache.Parsed, "*", "*"))
			if len(entries) != 1 {
				t.Fatalf("parsed entries %v, want one", entries)
			}
			if second := bigFiles(t, srv, dir); !reflect.DeepEqual(second, first) {
				t.Error("the files read from the parsed entry differ")
			}
			// The entry is what the next client reads: one that lists fewer
			// files (still well formed) shows through.
			data, err := os.ReadFile(entries[0])
			if err != nil {
				t.Fatal(err)
			}
			stored, ok := decodeParsedFiles(string(data))
			if !ok || len(stored) != len(first) {
				t.Fatalf("the entry holds %d files (ok %v), want %d", len(stored), ok, len(first))
			}
			fewer, _ := encodeParsedFiles(stored[:10])
			if err := os.WriteFile(entries[0], fewer, 0o644); err != nil {
				t.Fatal(err)
			}
			if got := projectFiles(t, srv, dir); len(got) != 10 {
				t.Errorf("%d files, want the entry's 10: the entry was not read", len(got))
			}
			if err := os.WriteFile(entries[0], []byte("tampered\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if third := bigFiles(t, srv, dir); !reflect.DeepEqual(third, first) {
				t.Error("a tampered entry was used")
			}
			// A fresh page whose parse is kept is used without its body: with
			// every page entry cut to its header line, the files still come,
			// and no request is made.
			cutPageBodies(t, dir)
			srv.ResetRequests()
			if fourth := bigFiles(t, srv, dir); !reflect.DeepEqual(fourth, first) {
				t.Error("the files differ when the page's body is not read")
			}
			if n := srv.TotalRequests(); n != 0 {
				t.Errorf("%d requests (%v), want none", n, srv.RequestCounts())
			}
		})
	}
}

// cutPageBodies cuts every page entry in the cache to its header line.
func cutPageBodies(t *testing.T, cacheDir string) {
	t.Helper()
	entries, _ := filepath.Glob(filepath.Join(cacheDir, cache.Simple, "*", "*"))
	for _, e := range entries {
		data, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		if header, _, found := bytes.Cut(data, []byte{'\n'}); found {
			if err := os.WriteFile(e, append(header, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// bigFiles is the files of project "big" through a new client on cacheDir,
// all of them.
func bigFiles(t *testing.T, srv *testindex.Server, cacheDir string) []File {
	t.Helper()
	files := projectFiles(t, srv, cacheDir)
	if len(files) != 600 {
		t.Fatalf("%d files, want 600 (a wheel and an sdist per release)", len(files))
	}
	return files
}

// projectFiles is the files of project "big" through a new client on
// cacheDir, upload times in UTC.
func projectFiles(t *testing.T, srv *testindex.Server, cacheDir string) []File {
	t.Helper()
	p, err := newClient(t, srv.SimpleURL(), cacheDir).Project(context.Background(), "big")
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Files {
		p.Files[i].UploadTime = p.Files[i].UploadTime.UTC()
	}
	return p.Files
}

// FuzzDecodeParsedFiles feeds the parsed-page decoder arbitrary cache
// entries: it must not panic, and what it accepts must encode and decode
// back to the same files.
func FuzzDecodeParsedFiles(f *testing.F) {
	seed, _ := encodeParsedFiles([]rawFile{
		{Filename: "a-1.0-py3-none-any.whl", URL: "https://x/a.whl", Version: "1.0", SHA256: "ab", Size: 12,
			RequiresPython: ">=3.8", Yanked: true, YankedReason: "r", UploadTime: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC),
			CoreMetadata: true, CoreMetadataSHA256: "cd"},
		{Filename: "a-1.0.tar.gz", URL: "u", Size: -1},
	})
	f.Add(seed)
	f.Add([]byte(""))
	f.Add([]byte("files 0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		files, ok := decodeParsedFiles(string(data))
		if !ok {
			return
		}
		again, ok := encodeParsedFiles(files)
		if !ok {
			t.Fatalf("decoded files do not encode: %+v", files)
		}
		back, ok := decodeParsedFiles(string(again))
		if !ok || len(back) != len(files) {
			t.Fatalf("re-encoded entry does not decode: %q", again)
		}
		for i := range back {
			if !back[i].UploadTime.Equal(files[i].UploadTime) {
				t.Fatalf("upload time %v, want %v", back[i].UploadTime, files[i].UploadTime)
			}
			back[i].UploadTime = files[i].UploadTime
			if back[i] != files[i] {
				t.Fatalf("got %+v\nwant %+v", back[i], files[i])
			}
		}
	})
}
