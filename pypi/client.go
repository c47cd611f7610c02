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
// Retry-After), bounded in number at once (DefaultConcurrency, over as many
// kept-alive connections), and made at most once per URL in the life of a
// Client: results (and failures) are remembered. Credentials in URLs are sent
// as basic auth to the index host and never appear in errors. A Client is
// safe for concurrent use.
//
// # Several indexes and credentials
//
// Indexes searches several indexes, one Client each: a package is taken
// whole from the first index that has it, or from the index a pin names.
// CredentialSource finds each index's credentials in its URL, in
// PYLOCK_INDEX_<NAME>_USERNAME and _PASSWORD, or in the netrc file
// (ParseNetrc); they go to that index's host only, and an index refusing
// them gives an *AuthError that shows them as "****".
//
// # Cache
//
// With a cache directory, index pages (Simple API, JSON API, PEP 658 files)
// are kept on disk with their validators and freshness, as HTTP caching
// says: a page whose Cache-Control max-age (or Expires) has not passed is
// used without a request; a stale one, or one marked no-cache, is
// revalidated with If-None-Match / If-Modified-Since and used again on 304;
// a no-store page is never written. A response is kept only after it was
// parsed (and its hash checked): a malformed, truncated or mismatching
// response is refused with an error naming the package and the URL, and
// never cached. Every write is atomic. Core metadata is kept by index,
// package and version; downloads are kept under their sha256 digest, after
// checking it. Options.Refresh revalidates every page however fresh;
// Options.Offline makes no request at all and names what the cache lacks
// (*OfflineError).
//
// # Hostile indexes
//
// Memory, disk and time stay bounded whatever an index sends. A page or
// metadata file larger than 64 MiB, a wheel read whole for its metadata (or
// by range requests) past 256 MiB, a METADATA or PKG-INFO file past 16 MiB
// and a download past 16 GiB are refused with a *TooLargeError, as soon as
// Content-Length announces them or the body passes the limit. A body that
// falls silent for Options.Timeout, or that trickles below 1 KiB/s on
// average once it has been coming for that long (slowloris), is cut off; a
// page or metadata request must end within Options.Deadline (5 minutes by
// default). A redirect to another scheme, host or port drops the
// Authorization header, so credentials never follow it. A refused response
// is never cached.
package pypi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/pylock/pylock/internal/cache"
)

// defaultTimeout is the longest silence a request waits through when
// Options.Timeout is not set.
const defaultTimeout = 30 * time.Second

// DefaultIndexURL is PyPI's Simple API.
const DefaultIndexURL = "https://pypi.org/simple"

// Options configures a Client. Zero values mean the defaults.
type Options struct {
	IndexURL    string        // Simple API URL; default DefaultIndexURL
	CacheDir    string        // on-disk cache; "" means no disk cache
	Concurrency int           // most requests in flight at once; default DefaultConcurrency
	Timeout     time.Duration // to connect, to receive headers, and between body reads; default 30s
	// Deadline bounds a page or metadata request in all, body included;
	// default 5m. A download has none, but must keep 1 KiB/s on average.
	Deadline   time.Duration
	UserAgent  string        // default "pylock"
	RetryMax   int           // retries after the first attempt; default 3, negative for none
	RetryWait  time.Duration // first wait between attempts; default 1s (Retry-After wins)
	HTTPClient *http.Client  // base client (transport); default a fresh one
	// Offline answers from the disk cache only, whatever its freshness;
	// anything it lacks is an *OfflineError. No request is made.
	Offline bool
	// Refresh revalidates every cached page with the index, however fresh
	// its Cache-Control says it is, and reads metadata anew.
	Refresh bool
	// Username and Password, when either is set, are sent as basic auth to
	// the index host in place of any credentials in IndexURL.
	Username, Password string
}

// DefaultConcurrency is how many requests a Client has in flight at most
// when Options.Concurrency is not set.
const DefaultConcurrency = 50

// Client is an index client. Create it with New.
type Client struct {
	index     *url.URL // Simple API URL, no trailing slash
	jsonRoot  *url.URL // "<root>/pypi", nil when no JSON API can exist
	auth      *url.Userinfo
	userAgent string
	http      *retryablehttp.Client
	slots     chan struct{}
	cache     *cache.Cache

	rangeChunk int64  // least bytes per range request; tailSize but in tests
	limits     limits // size and time bounds; the constants but in tests
	offline    bool
	refresh    bool
	timeout    time.Duration    // the longest silence: to connect, for headers, within a body
	now        func() time.Time // the clock for cache freshness

	mu      sync.Mutex
	jsonAPI apiState

	pages    memo[*response]
	projects memo[*Project]
	metas    memo[metadataRecord] // by the version as asked
	fetched  memo[metadataRecord] // by the version as the index lists it
	blobs    memo[string]
	newest   newestBoard
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
	c := &Client{index: index, auth: index.User, userAgent: opts.UserAgent, rangeChunk: tailSize,
		offline: opts.Offline, refresh: opts.Refresh, now: time.Now, timeout: opts.Timeout,
		limits: limits{page: maxPage, body: maxBody, download: maxDownload, deadline: opts.Deadline}}
	// The projects and metadata parsed from pages are remembered; the
	// pages (bodies of up to megabytes) only shared while one is fetched.
	c.pages.transient = true
	if c.timeout <= 0 {
		c.timeout = defaultTimeout
	}
	if c.limits.deadline <= 0 {
		c.limits.deadline = defaultDeadline
	}
	if opts.Username != "" || opts.Password != "" {
		c.auth = url.UserPassword(opts.Username, opts.Password)
	}
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
		c.loadJSONAPI()
	}
	n := opts.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	c.slots = make(chan struct{}, n)
	c.http = newHTTP(opts, n)
	return c, nil
}

// newHTTP builds the retrying HTTP client for opts.
// Up to concurrency idle connections per host are kept alive, so that every
// request slot reuses its connection.
func newHTTP(opts Options, concurrency int) *retryablehttp.Client {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	var base *http.Client
	if opts.HTTPClient != nil {
		cp := *opts.HTTPClient
		base = &cp
	} else {
		// No overall timeout: a large wheel may take long; a stalled
		// connection is caught by the header timeout, by send's timeout
		// between body reads (idleBody) and by the context.
		t := &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, IdleConnTimeout: 90 * time.Second,
			MaxIdleConns: max(100, concurrency), MaxIdleConnsPerHost: concurrency}
		t.DialContext = (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext
		t.TLSHandshakeTimeout = timeout
		t.ResponseHeaderTimeout = timeout
		base = &http.Client{Transport: t}
	}
	base.CheckRedirect = keepCredentialsHome(base.CheckRedirect)
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

// maxRedirects is how many redirects one request follows.
const maxRedirects = 10

// keepCredentialsHome wraps the redirect policy next (nil for none): a
// redirect to another scheme, host or port than the first request's loses
// its Authorization header, so that an index's credentials never reach a
// server they were not given for. (net/http alone keeps them for the same
// host name on another port, and for its subdomains.)
func keepCredentialsHome(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		if first := via[0].URL; req.URL.Host != first.Host || req.URL.Scheme != first.Scheme {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}

// IndexURL returns the index URL with credentials redacted.
func (c *Client) IndexURL() string { return redact(c.index) }

// response is a fully read HTTP response.
type response struct {
	url    *url.URL // after redirects
	status int
	header http.Header
	body   []byte
	key    string      // the page's cache key
	entry  *cachedPage // what keep stores on disk; nil for nothing
	sum    string      // the body's hex sha256 when known (from the disk entry, or computed to store it)
	// received says the body came from the index just now, not from the
	// disk cache (a 304 answer reuses the cached body).
	received bool
	// parsed, when parsedOK, is the page's files from the parsed-page cache:
	// a fresh project page whose parse is cached is used without its body,
	// which is then nil.
	parsed   []rawFile
	parsedOK bool
}

// get fetches u: callers that ask for the same URL and Accept header while
// it is being fetched share the response (or transport error), and nothing
// is kept after that (the callers keep what they parse). With a cache
// directory, a page is used from disk while its Cache-Control says it is
// fresh (unless refreshing), else revalidated with a conditional request
// (ETag, Last-Modified) and used again on 304. A new 200 response is stored
// only when its caller keeps it, after parsing it. Offline, any cached page
// is used and a missing one is an *OfflineError.
func (c *Client) get(ctx context.Context, u *url.URL, accept string) (*response, error) {
	return c.getPage(ctx, u, accept, false)
}

// getPage is get; for a project page (project), a usable copy on disk
// whose files the parsed-page cache holds may be answered from them without
// its body (see cachedPage).
func (c *Client) getPage(ctx context.Context, u *url.URL, accept string, project bool) (*response, error) {
	key := accept + " " + stripUser(u).String()
	return c.pages.do(ctx, key, func() (*response, error) {
		cached := c.cachedPage(key, project)
		if cached != nil && c.usable(cached) {
			return cached.response(), nil
		}
		if c.offline {
			return nil, &OfflineError{What: "page", URL: redact(u)}
		}
		h := http.Header{"Accept": {accept}}
		if cached != nil {
			cached.conditions(h)
		}
		if c.refresh {
			h.Set("Cache-Control", "max-age=0")
		}
		return c.fetchPage(ctx, u, h, key, cached)
	})
}

// fetchPage makes the request of get and reads the answer. A body cut off
// by the connection (or stalled) is asked for again, as retryablehttp asks
// again for a response that did not come, with the same backoff.
func (c *Client) fetchPage(ctx context.Context, u *url.URL, h http.Header, key string, cached *cachedPage) (*response, error) {
	for attempt := 0; ; attempt++ {
		r, bodyFailed, err := c.fetchPageOnce(ctx, u, h, key, cached)
		if !bodyFailed || attempt >= c.http.RetryMax {
			return r, err
		}
		wait := c.http.Backoff(c.http.RetryWaitMin, c.http.RetryWaitMax, attempt, nil)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
}

// fetchPageOnce is one attempt of fetchPage; bodyFailed reports a response
// whose body could not be read in full.
func (c *Client) fetchPageOnce(ctx context.Context, u *url.URL, h http.Header, key string, cached *cachedPage) (_ *response, bodyFailed bool, _ error) {
	dctx, cancel := c.withDeadline(ctx)
	defer cancel()
	resp, err := c.send(dctx, u, h)
	if err != nil {
		return nil, false, c.failed(ctx, dctx, u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified && cached != nil {
		cached.setFreshness(resp.Header, c.now())
		r := cached.response()
		r.key, r.entry = key, cached
		return r, false, nil
	}
	body, err := readBody(resp, u, c.limits.page)
	var tooLarge *TooLargeError
	if errors.As(err, &tooLarge) {
		return nil, false, err
	}
	if err != nil {
		return nil, ctx.Err() == nil, c.failed(ctx, dctx, u, c.transportError(ctx, u, err))
	}
	r := &response{url: resp.Request.URL, status: resp.StatusCode, header: resp.Header, body: body, key: key, received: true}
	if r.entry = c.entryFor(r, c.now()); r.entry != nil {
		r.sum = r.entry.BodySHA256
	}
	return r, false, nil
}

// send makes one retried request; the caller closes the body, which frees
// the request's slot. It fails only when no response arrived.
func (c *Client) send(ctx context.Context, u *url.URL, h http.Header) (*http.Response, error) {
	if c.offline {
		return nil, &OfflineError{What: "file", URL: redact(stripUser(u))}
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	rctx, cancel := context.WithCancel(ctx)
	req, err := retryablehttp.NewRequestWithContext(rctx, http.MethodGet, stripUser(u).String(), nil)
	if err != nil {
		cancel()
		<-c.slots
		return nil, &UnreachableError{URL: redact(u), Err: errors.New("invalid request")}
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", c.userAgent)
	// Credentials go in the header, never the URL, so that keepCredentialsHome
	// decides where a redirect takes them.
	auth := c.auth
	if u.User != nil {
		auth = u.User
	}
	if auth != nil && (u.User != nil || u.Host == c.index.Host) {
		pw, _ := auth.Password()
		req.SetBasicAuth(auth.Username(), pw)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		cancel()
		<-c.slots
		return nil, c.transportError(ctx, u, err)
	}
	// The slot is held until the body is closed: a transfer counts as a
	// request in flight, so that the connections in use stay within the
	// bound and are all kept alive.
	resp.Body = newIdleBody(resp.Body, c.timeout, func() {
		cancel()
		<-c.slots
	})
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
	return foundOf(c.get(ctx, u, accept))
}

// foundOf sorts the answer of get into found, missing (404, 410) and
// failed.
func foundOf(r *response, err error) (_ *response, found bool, _ error) {
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
