package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultDir(t *testing.T) {
	tests := []struct {
		name, pylock, xdg, home, want string
	}{
		{"pylock wins", "/p", "/x", "/h", "/p"},
		{"xdg", "", "/x", "/h", "/x/pylock"},
		{"home", "", "", "/h", "/h/.cache/pylock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PYLOCK_CACHE_DIR", tt.pylock)
			t.Setenv("XDG_CACHE_HOME", tt.xdg)
			t.Setenv("HOME", tt.home)
			got, err := DefaultDir()
			if err != nil {
				t.Fatal(err)
			}
			if got != filepath.FromSlash(tt.want) {
				t.Errorf("DefaultDir() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDefaultCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	t.Setenv("PYLOCK_CACHE_DIR", dir)
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if c.Root() != dir {
		t.Errorf("Root() = %q, want %q", c.Root(), dir)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("cache dir not created: %v", err)
	}
}

func TestBucketNames(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		ok   bool
	}{{Simple, true}, {Wheels, true}, {"", false}, {"a/b", false}, {"..", false}} {
		_, err := c.Bucket(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("Bucket(%q) error = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestGetPut(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Get(Simple, "k"); ok || err != nil {
		t.Fatalf("Get on empty cache = ok %v, err %v", ok, err)
	}
	for _, v := range []string{"one", "two"} {
		if err := c.Put(Simple, "k", []byte(v)); err != nil {
			t.Fatal(err)
		}
		got, ok, err := c.Get(Simple, "k")
		if err != nil || !ok || string(got) != v {
			t.Errorf("Get = %q %v %v, want %q", got, ok, err, v)
		}
	}
	if _, ok, _ := c.Get(Metadata, "k"); ok {
		t.Error("buckets are not separate")
	}
	assertNoTemp(t, c.Root())
}

func TestPutBlob(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := "wheel bytes"
	sum := sha256.Sum256([]byte(data))
	good := hex.EncodeToString(sum[:])
	bad := strings.Repeat("0", 64)
	tests := []struct {
		name, sha string
		mismatch  bool
		invalid   bool
	}{
		{"match", good, false, false},
		{"upper case digest", strings.ToUpper(good), false, false},
		{"mismatch", bad, true, false},
		{"not a digest", "abc", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := c.PutBlob(Wheels, tt.sha, strings.NewReader(data))
			var he *HashMismatchError
			switch {
			case tt.mismatch:
				if !errors.As(err, &he) || he.Got != good || he.Want != bad {
					t.Fatalf("err = %v, want hash mismatch", err)
				}
				if _, ok := c.HasBlob(Wheels, tt.sha); ok {
					t.Error("mismatched blob was stored")
				}
			case tt.invalid:
				if err == nil {
					t.Fatal("invalid digest accepted")
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				got, _ := os.ReadFile(p)
				if string(got) != data {
					t.Errorf("stored %q", got)
				}
				if hp, ok := c.HasBlob(Wheels, tt.sha); !ok || hp != p {
					t.Errorf("HasBlob = %q %v", hp, ok)
				}
			}
		})
	}
	assertNoTemp(t, c.Root())
}

func TestWriteFileNoPartial(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "f")
	if err := WriteFile(p, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(p, "below-a-file"), []byte("y")); err == nil {
		t.Error("write below a regular file succeeded")
	}
	assertNoTemp(t, dir)
}

func assertNoTemp(t *testing.T, root string) {
	t.Helper()
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasPrefix(fi.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

func TestWriteWithFailureKeepsOld(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := WriteFile(p, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteWith(p, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return boom
	})
	if err != boom {
		t.Errorf("err = %v, want the fill error unchanged", err)
	}
	if data, _ := os.ReadFile(p); string(data) != "old" {
		t.Errorf("content %q after a failed write", data)
	}
	assertNoTemp(t, filepath.Dir(p))
}

func TestVerifiedBlob(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("wheel bytes")
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	if _, ok := c.VerifiedBlob(Wheels, sha); ok {
		t.Fatal("VerifiedBlob found a blob in an empty cache")
	}
	p, err := c.PutBlob(Wheels, sha, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := c.VerifiedBlob(Wheels, strings.ToUpper(sha)); !ok || got != p {
		t.Fatalf("VerifiedBlob = %q %v, want %q", got, ok, p)
	}
	if err := os.WriteFile(p, []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.VerifiedBlob(Wheels, sha); ok {
		t.Error("VerifiedBlob accepted a tampered blob")
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("the tampered blob is still there: %v", err)
	}
}

func TestGetHead(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Put(Simple, "k", []byte("header\nbody")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key   string
		limit int
		want  string
		ok    bool
	}{
		{"k", 4, "head", true},
		{"k", 100, "header\nbody", true},
		{"missing", 4, "", false},
	}
	for _, tt := range tests {
		data, ok, err := c.GetHead(Simple, tt.key, tt.limit)
		if err != nil || ok != tt.ok || string(data) != tt.want {
			t.Errorf("GetHead(%q, %d) = %q, %v, %v; want %q, %v", tt.key, tt.limit, data, ok, err, tt.want, tt.ok)
		}
	}
}
