package pypi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// The limits that keep a hostile or broken index from using unbounded
// memory, disk or time. Each is a field of Client, set from these, so that
// tests can lower it.
const (
	// maxPage bounds an index page or metadata file (Simple API, JSON API,
	// PEP 658) read into memory.
	maxPage = 64 << 20
	// maxBody bounds a wheel or sdist read into memory for its metadata
	// when the server has no range support, and the bytes range requests
	// may fetch from one wheel.
	maxBody = 256 << 20
	// maxDownload bounds a downloaded file.
	maxDownload = 16 << 30
	// maxMetadata bounds a METADATA or PKG-INFO file inside an archive.
	maxMetadata = 16 << 20
	// maxSdistUnpacked bounds the bytes of a .tar.gz sdist decompressed
	// while looking for its PKG-INFO.
	maxSdistUnpacked = 1 << 30
	// defaultDeadline is the longest a page or metadata request may take in
	// all, body included, when Options.Deadline is not set.
	defaultDeadline = 5 * time.Minute
	// minRate is the least average rate, in bytes per second, a response
	// body must keep once it has been coming for the client's timeout.
	minRate = 1 << 10
)

// limits holds a client's bounds (see the constants of the same names).
type limits struct {
	page, body, download int64
	deadline             time.Duration
}

// slowError reports a response body that kept coming, but too slowly to
// ever end: below minRate on average after the client's timeout.
type slowError struct {
	got     int64
	elapsed time.Duration
}

// Error implements error.
func (e *slowError) Error() string {
	return fmt.Sprintf("timeout: %d bytes received in %v, slower than %d bytes/s", e.got, e.elapsed.Round(time.Millisecond), minRate)
}

// Timeout reports that the error is a time-out, as net.Error does.
func (e *slowError) Timeout() bool { return true }

// deadlineError reports a request that did not end within the client's
// deadline.
type deadlineError struct{ d time.Duration }

// Error implements error.
func (e *deadlineError) Error() string {
	return fmt.Sprintf("timeout: no complete response within %v", e.d)
}

// Timeout reports that the error is a time-out, as net.Error does.
func (e *deadlineError) Timeout() bool { return true }

// withDeadline bounds a page or metadata request by the client's deadline;
// the context's cause then says so.
func (c *Client) withDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, c.limits.deadline, &deadlineError{c.limits.deadline})
}

// failed returns err, the failure of a request made under dctx (a context
// of ctx from withDeadline), or a time-out naming the deadline when that
// (and not ctx) ended the request.
func (c *Client) failed(ctx, dctx context.Context, u *url.URL, err error) error {
	var de *deadlineError
	if ctx.Err() == nil && errors.As(context.Cause(dctx), &de) {
		return c.transportError(ctx, u, de)
	}
	return err
}

// readBody reads a response body of at most limit bytes into memory; a
// longer one (announced or sent) is a *TooLargeError, read no further.
// Other failures are returned as they are.
func readBody(resp *http.Response, u *url.URL, limit int64) ([]byte, error) {
	tooLarge := func() error {
		return &TooLargeError{URL: redact(stripUser(u)), What: "response", Limit: limit}
	}
	if resp.ContentLength > limit {
		return nil, tooLarge()
	}
	return readLimited(resp.Body, limit, resp.ContentLength, tooLarge)
}

// readLimited reads r to its end, or fails with tooLarge() once it has
// given more than limit bytes. A positive size, the length announced, is
// read into one buffer: growing one as the bytes come copies a large page
// several times over.
func readLimited(r io.Reader, limit, size int64, tooLarge func() error) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, max(size, 0)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > limit {
		return nil, tooLarge()
	}
	return buf.Bytes(), nil
}
