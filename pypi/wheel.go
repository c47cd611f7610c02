package pypi

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/pylock/pylock/pep508"
)

// tailSize is how much of a wheel's end the first range request asks for
// (enough for the central directory of most wheels), and the least any
// later range request asks for.
const tailSize = 64 << 10

// maxMetadata bounds the size of a METADATA file.
const maxMetadata = 16 << 20

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
	return io.ReadAll(io.LimitReader(rc, maxMetadata))
}

// openRemote gives random access to a remote file: by range requests when
// the server honours them, else by downloading it whole (and then checking
// sha, when given).
func (c *Client) openRemote(ctx context.Context, u *url.URL, sha string) (io.ReaderAt, int64, error) {
	resp, err := c.send(ctx, u, http.Header{"Range": {"bytes=-" + strconv.FormatInt(c.rangeChunk, 10)}})
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok {
			return nil, 0, parseError(u, "range response", -1, "invalid Content-Range "+strconv.Quote(resp.Header.Get("Content-Range")))
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, c.rangeChunk+1))
		if err != nil {
			return nil, 0, c.transportError(ctx, u, err)
		}
		rf := &remoteFile{c: c, ctx: ctx, u: u, size: total}
		rf.chunks = append(rf.chunks, chunk{off: start, data: body})
		return rf, total, nil
	case http.StatusOK:
		body, err := c.readWhole(ctx, u, resp.Body, sha)
		if err != nil {
			return nil, 0, err
		}
		return bytes.NewReader(body), int64(len(body)), nil
	default:
		return nil, 0, &StatusError{URL: redact(u), Status: resp.StatusCode}
	}
}

// readWhole reads a full body and checks its digest when sha is given.
func (c *Client) readWhole(ctx context.Context, u *url.URL, r io.Reader, sha string) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBody))
	if err != nil {
		return nil, c.transportError(ctx, u, err)
	}
	if sha != "" {
		sum := sha256.Sum256(body)
		if got := hex.EncodeToString(sum[:]); got != strings.ToLower(sha) {
			return nil, &HashMismatchError{URL: redact(u), Want: strings.ToLower(sha), Got: got}
		}
	}
	return body, nil
}

// parseContentRange reads "bytes <first>-<last>/<total>".
func parseContentRange(s string) (start, total int64, ok bool) {
	rest, found := strings.CutPrefix(s, "bytes ")
	if !found {
		return 0, 0, false
	}
	span, size, found := strings.Cut(rest, "/")
	first, _, found2 := strings.Cut(span, "-")
	if !found || !found2 {
		return 0, 0, false
	}
	start, err1 := strconv.ParseInt(first, 10, 64)
	total, err2 := strconv.ParseInt(size, 10, 64)
	if err1 != nil || err2 != nil || start < 0 || start > total {
		return 0, 0, false
	}
	return start, total, true
}

// remoteFile is an io.ReaderAt over HTTP range requests. It keeps every
// chunk it fetched; zip.Reader reads from one goroutine.
type remoteFile struct {
	c      *Client
	ctx    context.Context
	u      *url.URL
	size   int64
	chunks []chunk
	err    error // the first request error, reported instead of zip's
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
	data, err := r.fetch(lo, end)
	if err != nil {
		r.err = err
		return nil, err
	}
	r.chunks = append(r.chunks, chunk{off: lo, data: data})
	return data[:hi-lo], nil
}

// fetch requests bytes [lo, hi).
func (r *remoteFile) fetch(lo, hi int64) ([]byte, error) {
	h := http.Header{"Range": {fmt.Sprintf("bytes=%d-%d", lo, hi-1)}}
	resp, err := r.c.send(r.ctx, r.u, h)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent {
		return nil, &StatusError{URL: redact(r.u), Status: resp.StatusCode}
	}
	if start, _, ok := parseContentRange(resp.Header.Get("Content-Range")); !ok || start != lo {
		return nil, parseError(r.u, "range response", -1, "unexpected Content-Range "+strconv.Quote(resp.Header.Get("Content-Range")))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, hi-lo))
	if err != nil {
		return nil, r.c.transportError(r.ctx, r.u, err)
	}
	if int64(len(data)) != hi-lo {
		return nil, parseError(r.u, "range response", -1, fmt.Sprintf("got %d bytes, want %d", len(data), hi-lo))
	}
	return data, nil
}
