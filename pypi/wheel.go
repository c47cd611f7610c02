package pypi

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep508"
)

// tailSize is how much of a wheel's end the first range request asks for
// (enough for the central directory of most wheels), and the least any
// later range request asks for.
const tailSize = 64 << 10

// wheelMetadata reads *.dist-info/METADATA out of a remote wheel.
func (c *Client) wheelMetadata(ctx context.Context, norm string, f File) (metadataRecord, error) {
	u, err := url.Parse(f.URL)
	if err != nil {
		return metadataRecord{}, &MetadataError{Name: norm, Version: f.Version.String(), Msg: "invalid file URL"}
	}
	ra, size, err := c.openRemote(ctx, u, f.SHA256)
	if err != nil {
		return metadataRecord{}, err
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return metadataRecord{}, c.zipError(ra, u, err)
	}
	data, err := readMetadataFile(zr, norm)
	if err != nil {
		return metadataRecord{}, c.zipError(ra, u, err)
	}
	return parseRecord(norm, f.Version.String(), redact(u), data)
}

// zipError reports a failed range request as itself, anything else as a
// malformed wheel.
func (c *Client) zipError(ra io.ReaderAt, u *url.URL, err error) error {
	if rf, ok := ra.(*remoteFile); ok && rf.err != nil {
		return rf.err
	}
	return parseError(u, "wheel", -1, err.Error())
}

// readMetadataFile finds and reads <name>-<version>.dist-info/METADATA,
// preferring the directory whose name part matches the project.
func readMetadataFile(zr *zip.Reader, norm string) ([]byte, error) {
	var found *zip.File
	for _, zf := range zr.File {
		dir, file := path.Split(zf.Name)
		dir = strings.TrimSuffix(dir, "/")
		if file != "METADATA" || strings.Contains(dir, "/") || !strings.HasSuffix(dir, ".dist-info") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimSuffix(dir, ".dist-info"), "-")
		if found == nil || pep508.NormalizeName(name) == norm {
			found = zf
		}
	}
	if found == nil {
		return nil, fmt.Errorf("no .dist-info/METADATA file")
	}
	rc, err := found.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readMember(rc, found.Name)
}

// readMember reads a METADATA or PKG-INFO file of at most maxMetadata bytes
// out of an archive.
func readMember(r io.Reader, name string) ([]byte, error) {
	return readLimited(r, maxMetadata, 0, func() error {
		return fmt.Errorf("%s is larger than %s", name, dist.FormatSize(maxMetadata))
	})
}

// openRemote gives random access to a remote file: by range requests when
// the server honours them, else by downloading it whole (and then checking
// sha, when given).
func (c *Client) openRemote(ctx context.Context, u *url.URL, sha string) (io.ReaderAt, int64, error) {
	dctx, cancel := c.withDeadline(ctx)
	defer cancel()
	resp, err := c.send(dctx, u, http.Header{"Range": {"bytes=-" + strconv.FormatInt(c.rangeChunk, 10)}})
	if err != nil {
		return nil, 0, c.failed(ctx, dctx, u, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, end, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || end-start >= c.rangeChunk {
			return nil, 0, parseError(u, "range response", -1, "invalid Content-Range "+strconv.Quote(resp.Header.Get("Content-Range")))
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, c.rangeChunk+1))
		if err != nil {
			return nil, 0, c.failed(ctx, dctx, u, c.transportError(ctx, u, err))
		}
		if want := end - start + 1; int64(len(body)) != want {
			return nil, 0, parseError(u, "range response", -1, fmt.Sprintf("got %d bytes or more, want %d", len(body), want))
		}
		rf := &remoteFile{c: c, ctx: ctx, u: u, size: total, fetched: int64(len(body))}
		rf.chunks = append(rf.chunks, chunk{off: start, data: body})
		return rf, total, nil
	case http.StatusOK:
		body, err := c.readWhole(ctx, dctx, u, resp, sha)
		if err != nil {
			return nil, 0, err
		}
		return bytes.NewReader(body), int64(len(body)), nil
	default:
		return nil, 0, &StatusError{URL: redact(u), Status: resp.StatusCode}
	}
}

// readWhole reads a full body of a request made under dctx (see
// withDeadline), of at most the client's body limit, and checks its digest
// when sha is given.
func (c *Client) readWhole(ctx, dctx context.Context, u *url.URL, resp *http.Response, sha string) ([]byte, error) {
	body, err := readBody(resp, u, c.limits.body)
	var tooLarge *TooLargeError
	if errors.As(err, &tooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, c.failed(ctx, dctx, u, c.transportError(ctx, u, err))
	}
	if sha != "" {
		sum := sha256.Sum256(body)
		if got := hex.EncodeToString(sum[:]); got != strings.ToLower(sha) {
			return nil, &HashMismatchError{URL: redact(u), Want: strings.ToLower(sha), Got: got}
		}
	}
	return body, nil
}

// parseContentRange reads "bytes <first>-<last>/<total>", where
// 0 <= first <= last < total.
func parseContentRange(s string) (start, end, total int64, ok bool) {
	rest, found := strings.CutPrefix(s, "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	span, size, found := strings.Cut(rest, "/")
	first, last, found2 := strings.Cut(span, "-")
	if !found || !found2 {
		return 0, 0, 0, false
	}
	start, err1 := strconv.ParseInt(first, 10, 64)
	end, err2 := strconv.ParseInt(last, 10, 64)
	total, err3 := strconv.ParseInt(size, 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || start < 0 || start > end || end >= total {
		return 0, 0, 0, false
	}
	return start, end, total, true
}

// remoteFile is an io.ReaderAt over HTTP range requests. It keeps every
// chunk it fetched; zip.Reader reads from one goroutine.
type remoteFile struct {
	c       *Client
	ctx     context.Context
	u       *url.URL
	size    int64
	chunks  []chunk
	fetched int64 // bytes in chunks, at most the client's body limit
	err     error // the first request error, reported instead of zip's
}

type chunk struct {
	off  int64
	data []byte
}

// ReadAt implements io.ReaderAt.
func (r *remoteFile) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= r.size {
		return 0, io.EOF
	}
	n := int64(len(p))
	if off+n > r.size {
		n = r.size - off
	}
	data, err := r.span(off, off+n)
	if err != nil {
		return 0, err
	}
	copy(p, data)
	if n < int64(len(p)) {
		return int(n), io.EOF
	}
	return int(n), nil
}

// span returns bytes [lo, hi), from a kept chunk or a new request that
// fetches at least tailSize bytes.
func (r *remoteFile) span(lo, hi int64) ([]byte, error) {
	for _, ch := range r.chunks {
		if lo >= ch.off && hi <= ch.off+int64(len(ch.data)) {
			return ch.data[lo-ch.off : hi-ch.off], nil
		}
	}
	end := max(hi, min(lo+r.c.rangeChunk, r.size))
	if r.fetched+end-lo > r.c.limits.body {
		r.err = &TooLargeError{URL: redact(stripUser(r.u)), What: "data read by range requests", Limit: r.c.limits.body}
		return nil, r.err
	}
	data, err := r.fetch(lo, end)
	if err != nil {
		r.err = err
		return nil, err
	}
	r.chunks = append(r.chunks, chunk{off: lo, data: data})
	r.fetched += int64(len(data))
	return data[:hi-lo], nil
}

// fetch requests bytes [lo, hi).
func (r *remoteFile) fetch(lo, hi int64) ([]byte, error) {
	h := http.Header{"Range": {fmt.Sprintf("bytes=%d-%d", lo, hi-1)}}
	dctx, cancel := r.c.withDeadline(r.ctx)
	defer cancel()
	resp, err := r.c.send(dctx, r.u, h)
	if err != nil {
		return nil, r.c.failed(r.ctx, dctx, r.u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent {
		return nil, &StatusError{URL: redact(r.u), Status: resp.StatusCode}
	}
	if start, end, _, ok := parseContentRange(resp.Header.Get("Content-Range")); !ok || start != lo || end != hi-1 {
		return nil, parseError(r.u, "range response", -1, "unexpected Content-Range "+strconv.Quote(resp.Header.Get("Content-Range")))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, hi-lo))
	if err != nil {
		return nil, r.c.failed(r.ctx, dctx, r.u, r.c.transportError(r.ctx, r.u, err))
	}
	if int64(len(data)) != hi-lo {
		return nil, parseError(r.u, "range response", -1, fmt.Sprintf("got %d bytes, want %d", len(data), hi-lo))
	}
	return data, nil
}
