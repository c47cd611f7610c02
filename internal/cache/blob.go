package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// validDigest reports whether s is a lowercase hex sha256 digest.
func validDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// BlobPath returns where the blob with the given sha256 digest is (or would
// be) stored in bucket.
func (c *Cache) BlobPath(bucket, sha string) (string, error) {
	sha = strings.ToLower(sha)
	if !validDigest(sha) {
		return "", &Error{Op: "locate blob", Path: sha, Err: errors.New("not a sha256 hex digest")}
	}
	dir, err := c.Bucket(bucket)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "sha256", sha[:2], sha), nil
}

// HasBlob returns the path of the blob with the given digest if bucket holds it.
func (c *Cache) HasBlob(bucket, sha string) (string, bool) {
	p, err := c.BlobPath(bucket, sha)
	if err != nil {
		return "", false
	}
	if _, err := os.Stat(p); err != nil {
		return "", false
	}
	return p, true
}

// PutBlob streams r into bucket's content-addressed store under sha, checking
// the digest as it goes. On a mismatch it returns a *HashMismatchError and
// leaves nothing behind. It returns the stored file's path.
func (c *Cache) PutBlob(bucket, sha string, r io.Reader) (string, error) {
	p, err := c.BlobPath(bucket, sha)
	if err != nil {
		return "", err
	}
	if err := WriteVerified(p, sha, r); err != nil {
		return "", err
	}
	return p, nil
}

// WriteVerified streams r to path atomically, checking that its sha256 digest
// is sha (lowercase or uppercase hex). On a mismatch it returns a
// *HashMismatchError and path is left untouched.
func WriteVerified(path, sha string, r io.Reader) error {
	want := strings.ToLower(sha)
	return WriteWith(path, func(w io.Writer) error {
		h := sha256.New()
		if _, err := io.Copy(io.MultiWriter(w, h), r); err != nil {
			return &Error{Op: "write", Path: path, Err: err}
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != want {
			return &HashMismatchError{Want: want, Got: got}
		}
		return nil
	})
}

// VerifiedBlob is HasBlob that also checks the blob's content against its
// digest: a blob that no longer matches (a corrupted or tampered file) is
// removed and reported missing, so that it is fetched again.
func (c *Cache) VerifiedBlob(bucket, sha string) (string, bool) {
	p, ok := c.HasBlob(bucket, sha)
	if !ok {
		return "", false
	}
	f, err := os.Open(p)
	if err != nil {
		return "", false
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil || hex.EncodeToString(h.Sum(nil)) != strings.ToLower(sha) {
		os.Remove(p)
		return "", false
	}
	return p, true
}
