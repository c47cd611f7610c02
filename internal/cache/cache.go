// Package cache manages pylock's cache directory.
//
// The cache lives in $PYLOCK_CACHE_DIR, else $XDG_CACHE_HOME/pylock, else
// ~/.cache/pylock. It is split into versioned buckets (for example
// "simple-v1" or "wheels-v1"); a bucket's name changes whenever the format of
// what it stores changes, so an old pylock and a new one never read each
// other's entries. Every write is atomic: data goes to a temporary file in the
// same directory, which is then renamed into place, so a reader sees either
// the old entry or the new one, never a partial file.
//
// Besides keyed entries the cache holds a content-addressed store of
// downloads: a file is stored under its sha256 digest and only after its
// content was checked against that digest.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pylock/pylock/internal/atomicfile"
)

// Bucket names used by pylock. The suffix is the format version.
const (
	Simple   = "simple-v2"   // index pages: validators and freshness (a JSON line), then the body
	Metadata = "metadata-v1" // core metadata of released distributions
	Wheels   = "wheels-v1"   // content-addressed downloads
	// Parsed holds the files of large index pages as parsed, keyed by the
	// page's URL and the sha256 of its body, so that a warm run reads lines
	// instead of decoding the page again.
	Parsed = "parsed-pages-v1"
)

// Cache is a cache directory.
type Cache struct {
	root string
}

// Error reports a cache operation that failed on a path.
type Error struct {
	Op   string // what was attempted, e.g. "write"
	Path string
	Err  error
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("cache: %s %s: %v", e.Op, e.Path, e.Err) }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// HashMismatchError reports content whose sha256 digest is not the expected one.
type HashMismatchError struct {
	Want, Got string // lowercase hex digests
}

// Error implements error.
func (e *HashMismatchError) Error() string {
	return fmt.Sprintf("cache: sha256 mismatch: expected %s, got %s", e.Want, e.Got)
}

// Default opens the default cache directory (see the package doc).
func Default() (*Cache, error) {
	dir, err := DefaultDir()
	if err != nil {
		return nil, err
	}
	return Open(dir)
}

// DefaultDir returns the default cache directory path without creating it.
func DefaultDir() (string, error) {
	if d := os.Getenv("PYLOCK_CACHE_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "pylock"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", &Error{Op: "locate", Path: "~/.cache/pylock", Err: err}
	}
	return filepath.Join(home, ".cache", "pylock"), nil
}

// Open opens (creating it if needed) the cache directory root.
func Open(root string) (*Cache, error) {
	if root == "" {
		return nil, &Error{Op: "open", Path: root, Err: errors.New("empty path")}
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, &Error{Op: "open", Path: root, Err: err}
	}
	return &Cache{root: root}, nil
}

// Root returns the cache directory.
func (c *Cache) Root() string { return c.root }

// Bucket returns the directory of the named bucket, creating it if needed.
func (c *Cache) Bucket(name string) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return "", &Error{Op: "open bucket", Path: name, Err: errors.New("invalid bucket name")}
	}
	dir := filepath.Join(c.root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", &Error{Op: "open bucket", Path: dir, Err: err}
	}
	return dir, nil
}

// keyPath maps an arbitrary key to a file in the bucket: the sha256 of the key,
// fanned out by its first two hex digits.
func (c *Cache) keyPath(bucket, key string) (string, error) {
	dir, err := c.Bucket(bucket)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:])
	return filepath.Join(dir, h[:2], h), nil
}

// Get returns the entry stored under key in bucket; ok is false when there is none.
func (c *Cache) Get(bucket, key string) (data []byte, ok bool, err error) {
	return c.read(bucket, key, os.ReadFile)
}

// GetHead is Get for at most the first limit bytes of the entry, for a reader
// that needs only its beginning (a page's header line, not its body).
func (c *Cache) GetHead(bucket, key string, limit int) (data []byte, ok bool, err error) {
	return c.read(bucket, key, func(path string) ([]byte, error) { return readHead(path, limit) })
}

// read returns what readFile reads of the entry's file; an entry that does
// not exist is not an error.
func (c *Cache) read(bucket, key string, readFile func(path string) ([]byte, error)) (data []byte, ok bool, err error) {
	p, err := c.keyPath(bucket, key)
	if err != nil {
		return nil, false, err
	}
	data, err = readFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, &Error{Op: "read", Path: p, Err: err}
	}
	return data, true, nil
}

// readHead reads at most limit bytes from the start of the file at path.
func readHead(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data := make([]byte, limit)
	n, err := io.ReadFull(f, data)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return data[:n], nil
}

// Put stores data under key in bucket, atomically replacing any previous entry.
func (c *Cache) Put(bucket, key string, data []byte) error {
	p, err := c.keyPath(bucket, key)
	if err != nil {
		return err
	}
	return WriteFile(p, data)
}

// WriteFile writes data to path atomically: to a temporary file in the same
// directory, then renamed over path. Parent directories are created.
func WriteFile(path string, data []byte) error {
	return WriteWith(path, func(w io.Writer) error {
		if _, err := w.Write(data); err != nil {
			return &Error{Op: "write", Path: path, Err: err}
		}
		return nil
	})
}

// WriteWith creates a temporary file next to path, lets fill write it, and
// renames it to path. When fill fails its error is returned unchanged and
// nothing is left behind: path keeps its old content, if any. It does not
// sync: every reader of the cache checks what it reads (a download's
// digest, an entry's parse), and a sync costs 20 times the write
// (BenchmarkPut); fill may sync the file itself.
func WriteWith(path string, fill func(io.Writer) error) error {
	err := atomicfile.WriteWith(path, fill, atomicfile.Options{Perm: 0o644, MkdirAll: true})
	var ae *atomicfile.Error
	if errors.As(err, &ae) {
		return &Error{Op: "write", Path: path, Err: ae.Err}
	}
	return err
}
