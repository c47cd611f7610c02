package pypi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/pylock/pylock/internal/cache"
)

// Download streams the file at rawURL to dst after checking that its sha256
// digest is sha (hex). The body is staged in a temporary file, so on a
// mismatch (a *HashMismatchError naming the URL and both digests) or a
// failed transfer nothing at all is written to dst.
//
// With sha "" there is nothing to check: the body streams straight to dst,
// and a failed transfer may leave part of it there. (The callers that hash a
// file the index gave no digest for do so; staging would write a wheel of
// gigabytes to the temporary folder, often memory, to no end.)
func (c *Client) Download(ctx context.Context, rawURL, sha string, dst io.Writer) error {
	if sha == "" {
		return c.fetchTo(ctx, rawURL, "", dst)
	}
	tmp, err := os.CreateTemp("", "pylock-download-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := c.fetchTo(ctx, rawURL, sha, tmp); err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err = io.Copy(dst, tmp)
	return err
}

// DownloadFile downloads the file at rawURL to path atomically, checking its
// sha256 digest as Download does. On failure path is left untouched.
func (c *Client) DownloadFile(ctx context.Context, rawURL, sha, path string) error {
	return cache.WriteWith(path, func(w io.Writer) error {
		return c.fetchTo(ctx, rawURL, sha, w)
	})
}

// CachedDownload returns the path of the file with digest sha in the cache
// (bucket cache.Wheels), downloading it from rawURL first if the cache does
// not hold it, or holds it with other content than the digest says. It
// needs a cache directory and a digest.
func (c *Client) CachedDownload(ctx context.Context, rawURL, sha string) (string, error) {
	if c.cache == nil {
		return "", errors.New("cached download: the client has no cache directory")
	}
	sha = strings.ToLower(sha)
	return c.blobs.do(ctx, sha, func() (string, error) {
		if p, ok := c.cache.VerifiedBlob(cache.Wheels, sha); ok {
			return p, nil
		}
		p, err := c.cache.BlobPath(cache.Wheels, sha)
		if err != nil {
			return "", err
		}
		return p, c.DownloadFile(ctx, rawURL, sha, p)
	})
}

// fetchTo streams the body of rawURL into w, hashing it, and fails with a
// *HashMismatchError when sha is given and differs, or a *TooLargeError
// once the body passes the client's download limit.
func (c *Client) fetchTo(ctx context.Context, rawURL, sha string, w io.Writer) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return &UnreachableError{URL: redactString(rawURL), Err: errors.New("invalid URL")}
	}
	resp, err := c.send(ctx, u, http.Header{"Accept": {"*/*"}})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &StatusError{URL: redact(u), Status: resp.StatusCode}
	}
	tooLarge := &TooLargeError{URL: redact(u), What: "download", Limit: c.limits.download}
	if resp.ContentLength > c.limits.download {
		return tooLarge
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(&readErr{r: resp.Body}, c.limits.download+1))
	if n > c.limits.download {
		return tooLarge
	}
	if err != nil {
		var re *bodyError
		if errors.As(err, &re) {
			return c.transportError(ctx, u, re.err)
		}
		return err
	}
	got := hex.EncodeToString(h.Sum(nil))
	if want := strings.ToLower(sha); want != "" && got != want {
		return &HashMismatchError{URL: redact(u), Want: want, Got: got}
	}
	return nil
}

// readErr marks errors of the body it reads, to tell them from write errors.
type readErr struct{ r io.Reader }

// bodyError is an error of the response body, as opposed to one of the writer.
type bodyError struct{ err error }

// Error implements error.
func (e *bodyError) Error() string { return e.err.Error() }

// Read implements io.Reader.
func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		return n, &bodyError{err}
	}
	return n, err
}
