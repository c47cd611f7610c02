// Package pypi is pylock's package index client.
//
// A Client talks to one index, named the way pip names it: the URL of its
// Simple API, for example https://pypi.org/simple. When that URL ends in
// "/simple", the client first tries PyPI's JSON API beside it
// (<root>/pypi/<name>/json and <root>/pypi/<name>/<version>/json); when the
// index does not offer it (a 404 for a project the Simple API has, or a body
// that is not a JSON API document) the client decides, once, to use only the
// Simple API: PEP 691 JSON when the server offers it by content negotiation,
// else PEP 503 HTML. Core metadata comes from the JSON API's per-version
// document, else the PEP 658/714 metadata file, else the wheel's
// *.dist-info/METADATA read by HTTP range requests from the end of the zip,
// else a full download of the wheel.
//
// Requests are retried (connection errors, 429 and 5xx, honouring
// Retry-After), bounded in number at once, and made at most once per URL in
// the life of a Client: results (and failures) are remembered. Credentials in
// URLs are sent as basic auth to the index host and never appear in errors.
// A Client is safe for concurrent use.
package pypi

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/pylock/pylock/internal/cache"
)

// DefaultIndexURL is PyPI's Simple API.
const DefaultIndexURL = "https://pypi.org/simple"

// maxBody bounds every response body read into memory.
const maxBody = 256 << 20

// Options configures a Client. Zero values mean the defaults.
type Options struct {
	IndexURL    string        // Simple API URL; default DefaultIndexURL
	CacheDir    string        // on-disk cache; "" means no disk cache
	Concurrency int           // most requests in flight at once; default 8
	Timeout     time.Duration // to connect and to receive response headers; default 30s
	UserAgent   string        // default "pylock"
	RetryMax    int           // retries after the first attempt; default 3, negative for none
	RetryWait   time.Duration // first wait between attempts; default 1s (Retry-After wins)
	HTTPClient  *http.Client  // base client (transport); default a fresh one
}

// Client is an index client. Create it with New.
type Client struct {
	index     *url.URL // Simple API URL, no trailing slash
	jsonRoot  *url.URL // "<root>/pypi", nil when no JSON API can exist
	auth      *url.Userinfo
	userAgent string
	http      *retryablehttp.Client
	slots     chan struct{}
	cache     *cache.Cache

	rangeChunk int64 // least bytes per range request; tailSize but in tests

	mu      sync.Mutex
	jsonAPI apiState

	pages    memo[*response]
	projects memo[*Project]
	metas    memo[metadataRecord] // by the version as asked
	fetched  memo[metadataRecord] // by the version as the index lists it
	blobs    memo[string]
}

// apiState records what the client knows about the JSON API.
type apiState int

const (
	apiUnknown apiState = iota
	apiPresent
	apiAbsent
)

// New returns a Client for opts.
func New(opts Options) (*Client, error) {
	raw := opts.IndexURL
	if raw == "" {
		raw = DefaultIndexURL
	}
	index, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (index.Scheme != "http" && index.Scheme != "https") || index.Host == "" {
		return nil, &IndexURLError{URL: redactString(raw)}
	}
	c := &Client{index: index, auth: index.User, userAgent: opts.UserAgent, rangeChunk: tailSize}
	if c.userAgent == "" {
		c.userAgent = "pylock"
	}
	if strings.HasSuffix(index.Path, "/simple") {
		root := *index
		root.Path = strings.TrimSuffix(index.Path, "/simple") + "/pypi"
		root.RawPath = ""
		c.jsonRoot = &root
	}
	if opts.CacheDir != "" {
		if c.cache, err = cache.Open(opts.CacheDir); err != nil {
			return nil, err
		}
	}
	n := opts.Concurrency
	if n <= 0 {
		n = 8
	}
	c.slots = make(chan struct{}, n)
	c.http = newHTTP(opts)
	return c, nil
}

// newHTTP builds the retrying HTTP client for opts.
func newHTTP(opts Options) *retryablehttp.Client {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	var base *http.Client
	if opts.HTTPClient != nil {
		cp := *opts.HTTPClient
		base = &cp
	} else {
		// No overall timeout: a large wheel may take long; a stalled
		// connection is caught by the header timeout and the context.
		t := &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, MaxIdleConns: 100, IdleConnTimeout: 90 * time.Second}
		t.DialContext = (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext
		t.TLSHandshakeTimeout = timeout
		t.ResponseHeaderTimeout = timeout
		base = &http.Client{Transport: t}
	}
	rc := retryablehttp.NewClient()
	rc.HTTPClient = base
	rc.Logger = nil
	rc.RetryMax = opts.RetryMax
	switch {
	case opts.RetryMax == 0:
		rc.RetryMax = 3
	case opts.RetryMax < 0:
		rc.RetryMax = 0
	}
	rc.RetryWaitMin = opts.RetryWait
	if rc.RetryWaitMin <= 0 {
		rc.RetryWaitMin = time.Second
	}
	rc.RetryWaitMax = 30 * rc.RetryWaitMin
	rc.CheckRetry = retryablehttp.DefaultRetryPolicy
	rc.Backoff = retryablehttp.DefaultBackoff
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	return rc
}

// IndexURL returns the index URL with credentials redacted.
func (c *Client) IndexURL() string { return redact(c.index) }

// response is a fully read HTTP response.
type response struct {
	url    *url.URL // after redirects
	status int
	header http.Header
	body   []byte
}

// get fetches u once per Client: the response (or transport error) is
// remembered under the URL and the Accept header. With a cache directory,
// a page that came with an ETag or Last-Modified is kept on disk and
// revalidated with a conditional request next time.
func (c *Client) get(ctx context.Context, u *url.URL, accept string) (*response, error) {
	key := accept + " " + u.String()
	return c.pages.do(ctx, key, func() (*response, error) {
		h := http.Header{"Accept": {accept}}
		cached := c.cachedPage(key)
		if cached != nil {
			cached.conditions(h)
		}
		resp, err := c.send(ctx, u, h)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusNotModified && cached != nil {
			return cached.response(), nil
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		if err != nil {
			return nil, c.transportError(ctx, u, err)
		}
		r := &response{url: resp.Request.URL, status: resp.StatusCode, header: resp.Header, body: body}
		if err := c.storePage(key, r); err != nil {
			return nil, err
		}
		return r, nil
	})
}

// send makes one retried request; the caller closes the body. It fails only
// when no response arrived.
func (c *Client) send(ctx context.Context, u *url.URL, h http.Header) (*http.Response, error) {
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		<-c.slots
		return nil, &UnreachableError{URL: redact(u), Err: errors.New("invalid request")}
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", c.userAgent)
	if u.User == nil && c.auth != nil && u.Host == c.index.Host {
		pw, _ := c.auth.Password()
		req.SetBasicAuth(c.auth.Username(), pw)
	}
	resp, err := c.http.Do(req)
	<-c.slots
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, c.transportError(ctx, u, err)
	}
	return resp, nil
}

// transportError turns a failed request into an *UnreachableError whose text
// holds no URL (the inner url.Error would name it, credentials and all). When
// ctx itself ended, its error is returned instead.
func (c *Client) transportError(ctx context.Context, u *url.URL, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ue *url.Error
	for errors.As(err, &ue) {
		err = ue.Err
	}
	return &UnreachableError{URL: redact(u), Err: err}
}

// getFound is get for a page that may be missing: found is false when the
// server answers 404 or 410, and any other status but 200 is a *StatusError.
func (c *Client) getFound(ctx context.Context, u *url.URL, accept string) (r *response, found bool, err error) {
	r, err = c.get(ctx, u, accept)
	if err != nil {
		return nil, false, err
	}
	switch r.status {
	case http.StatusOK:
		return r, true, nil
	case http.StatusNotFound, http.StatusGone:
		return nil, false, nil
	}
	return nil, false, statusError(r)
}

// statusError is the error for an unexpected status of r.
func statusError(r *response) error {
	return &StatusError{URL: redact(r.url), Status: r.status}
}

// stripUser returns u without credentials: file URLs are recorded (in lock
// files, in errors) without them; send adds them back for the index host.
func stripUser(u *url.URL) *url.URL {
	c := *u
	c.User = nil
	return &c
}
