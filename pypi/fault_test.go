package pypi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/pep440"
)

// headerLog records one request header of every request the index gets.
type headerLog struct {
	mu     sync.Mutex
	name   string
	values []string // "<path> <value>"
}

func (l *headerLog) record(r *http.Request) {
	if v := r.Header.Get(l.name); v != "" {
		l.mu.Lock()
		l.values = append(l.values, r.URL.Path+" "+v)
		l.mu.Unlock()
	}
}

func (l *headerLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	v := l.values
	l.values = nil
	return v
}

// fetchDemo asks for the project page of dep (so that the client knows
// whether the JSON API exists), then for that of demo, or for the metadata
// of demo 1.0 when metadata is set.
func fetchDemo(c *Client, metadata bool) error {
	if _, err := c.Project(context.Background(), "dep"); err != nil {
		return err
	}
	if metadata {
		_, err := c.Metadata(context.Background(), "demo", pep440.MustParse("1.0"))
		return err
	}
	_, err := c.Project(context.Background(), "demo")
	return err
}

// faultCases are the refused responses: each names the package and URL.
var faultCases = []struct {
	name     string
	opts     testindex.Options
	path     string
	fault    testindex.Fault
	metadata bool
	check    func(err error) bool
	msg      string
}{
	{"server error on the simple API", testindex.Options{NoJSONAPI: true}, "/simple/demo/",
		testindex.Fault{Kind: testindex.FaultStatus, Status: 500}, false,
		func(err error) bool { var e *StatusError; return errors.As(err, &e) && e.Status == 500 },
		"package 'demo': unexpected status 500 from INDEX/simple/demo/"},
	{"too many requests", testindex.Options{NoJSONAPI: true}, "/simple/demo/",
		testindex.Fault{Kind: testindex.FaultStatus, Status: 429, RetryAfter: "0"}, false,
		func(err error) bool { var e *StatusError; return errors.As(err, &e) && e.Status == 429 },
		"package 'demo': unexpected status 429 from INDEX/simple/demo/"},
	{"malformed pep 691 json", testindex.Options{NoJSONAPI: true}, "/simple/demo/",
		testindex.Fault{Kind: testindex.FaultMalformed, Body: []byte(`{"meta": {"api-version": "1.0"}, "files": [`)}, false,
		func(err error) bool { var e *ResponseError; return errors.As(err, &e) },
		"package 'demo': malformed simple API JSON from INDEX/simple/demo/: unexpected end of JSON input"},
	{"malformed html", testindex.Options{NoJSONAPI: true, NoSimpleJSON: true}, "/simple/demo/",
		testindex.Fault{Kind: testindex.FaultMalformed, Body: []byte(`<html><a href="demo-1.0.tar.gz`)}, false,
		func(err error) bool { var e *ResponseError; return errors.As(err, &e) && e.Offset == 14 },
		"package 'demo': malformed simple API HTML from INDEX/simple/demo/: unterminated attribute value at offset 14"},
	{"malformed json api once the json api is known", testindex.Options{}, "/pypi/demo/json",
		testindex.Fault{Kind: testindex.FaultMalformed, Body: []byte(`{"info": {}, "releases": {"1.0": {}}}`)}, false,
		func(err error) bool { var e *ResponseError; return errors.As(err, &e) },
		"package 'demo': malformed JSON API document from INDEX/pypi/demo/json: releases: want array, got object at offset 34"},
	{"malformed json api release", testindex.Options{}, "/pypi/demo/1.0/json",
		testindex.Fault{Kind: testindex.FaultMalformed}, true,
		func(err error) bool { var e *ResponseError; return errors.As(err, &e) },
		"package 'demo' 1.0: malformed JSON API document from INDEX/pypi/demo/1.0/json"},
	{"truncated page", testindex.Options{NoJSONAPI: true}, "/simple/demo/",
		testindex.Fault{Kind: testindex.FaultTruncate}, false,
		func(err error) bool { var e *UnreachableError; return errors.As(err, &e) },
		"package 'demo': cannot reach INDEX/simple/demo/: unexpected EOF"},
	{"connection reset", testindex.Options{NoJSONAPI: true}, "/simple/demo/",
		testindex.Fault{Kind: testindex.FaultReset}, false,
		func(err error) bool { var e *UnreachableError; return errors.As(err, &e) },
		"package 'demo': cannot reach INDEX/simple/demo/: "},
	{"metadata file with a wrong hash", testindex.Options{NoJSONAPI: true}, "/files/demo-1.0-py3-none-any.whl.metadata",
		testindex.Fault{Kind: testindex.FaultWrongBytes}, true,
		func(err error) bool { var e *HashMismatchError; return errors.As(err, &e) },
		"package 'demo' 1.0: sha256 mismatch for INDEX/files/demo-1.0-py3-none-any.whl.metadata: expected "},
	{"truncated range response", testindex.Options{NoJSONAPI: true, NoMetadataFiles: true}, "/files/demo-1.0-py3-none-any.whl",
		testindex.Fault{Kind: testindex.FaultTruncate}, true,
		func(err error) bool { var e *UnreachableError; return errors.As(err, &e) },
		"package 'demo' 1.0: cannot reach INDEX/files/demo-1.0-py3-none-any.whl: unexpected EOF"},
}

// TestFaultsRejected checks that each faulty response is refused with a
// message naming the package and the URL, that nothing of it reaches the
// disk cache, and that the next run, with the fault gone, asks the network
// again and succeeds.
func TestFaultsRejected(t *testing.T) {
	for _, tt := range faultCases {
		t.Run(tt.name, func(t *testing.T) {
			inm := &headerLog{name: "If-None-Match"}
			opts := tt.opts
			opts.OnRequest = inm.record
			srv := startIndex(t, opts)
			dir := t.TempDir()
			srv.Inject(tt.path, tt.fault)
			err := fetchDemo(newClient(t, srv.SimpleURL(), dir), tt.metadata)
			if !tt.check(err) {
				t.Fatalf("err = %#v (%v)", err, err)
			}
			if want := strings.ReplaceAll(tt.msg, "INDEX", srv.URL()); !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %q\nwant %q", err, want)
			}
			checkCacheClean(t, dir, tt.fault.Body)
			srv.ClearFaults()
			inm.take()
			before := srv.Requests(tt.path)
			if err := fetchDemo(newClient(t, srv.SimpleURL(), dir), tt.metadata); err != nil {
				t.Fatalf("with the fault gone: %v", err)
			}
			if srv.Requests(tt.path) == before {
				t.Errorf("the next run did not ask the index for %s again", tt.path)
			}
			for _, v := range inm.take() {
				if strings.HasPrefix(v, tt.path+" ") {
					t.Errorf("the next run revalidated a refused response: %s", v)
				}
			}
		})
	}
}

// checkCacheClean fails when the cache holds a temporary file or an entry
// with injected garbage: the default garbage of testindex, or bad.
func checkCacheClean(t *testing.T, dir string, bad []byte) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(d.Name(), ".tmp") {
			t.Errorf("half-written file left in the cache: %s", path)
		}
		data, _ := os.ReadFile(path)
		var page cachedPage
		if json.Unmarshal(data, &page) == nil && page.Body != nil {
			data = page.Body
		}
		if bytes.Contains(data, []byte("garbage")) || (bad != nil && bytes.Equal(data, bad)) {
			t.Errorf("the cache kept a refused response in %s", path)
		}
		return nil
	})
}

func TestRetries(t *testing.T) {
	srv := startIndex(t, testindex.Options{NoJSONAPI: true})
	srv.Inject("/simple/demo/", testindex.Fault{Kind: testindex.FaultStatus, Status: 503, RetryAfter: "0", Times: 1})
	srv.Inject("/simple/demo/", testindex.Fault{Kind: testindex.FaultStatus, Status: 429, RetryAfter: "0", Times: 1})
	srv.Inject("/simple/demo/", testindex.Fault{Kind: testindex.FaultReset, Times: 1})
	srv.Inject("/simple/demo/", testindex.Fault{Kind: testindex.FaultStatus, Status: 500, Times: 1})
	c, err := New(Options{IndexURL: srv.SimpleURL(), RetryWait: time.Millisecond, RetryMax: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project(context.Background(), "demo"); err != nil {
		t.Fatalf("after four retried failures: %v", err)
	}
	if n := srv.Requests("/simple/demo/"); n != 5 {
		t.Errorf("index saw %d requests, want 5", n)
	}
}

func TestRetryAfter(t *testing.T) {
	srv := startIndex(t, testindex.Options{NoJSONAPI: true})
	srv.Inject("/simple/demo/", testindex.Fault{Kind: testindex.FaultStatus, Status: 503, RetryAfter: "1", Times: 1})
	c := newClient(t, srv.SimpleURL(), "")
	start := time.Now()
	if _, err := c.Project(context.Background(), "demo"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("retried after %v, before the server's Retry-After of 1s", d)
	}
}

func TestTimeout(t *testing.T) {
	srv := startIndex(t, testindex.Options{NoJSONAPI: true, Delay: 300 * time.Millisecond})
	c, err := New(Options{IndexURL: srv.SimpleURL(), Timeout: 50 * time.Millisecond, RetryMax: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Project(context.Background(), "demo")
	var ue *UnreachableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "timeout") || !strings.Contains(err.Error(), "'demo'") {
		t.Errorf("err = %v, want an *UnreachableError for a timeout", err)
	}
}

func TestSlowBodyIsNoTimeout(t *testing.T) {
	srv := startIndex(t, testindex.Options{NoJSONAPI: true})
	srv.Inject("/simple/demo/", testindex.Fault{Kind: testindex.FaultSlowBody, Delay: 20 * time.Millisecond})
	c, err := New(Options{IndexURL: srv.SimpleURL(), Timeout: 50 * time.Millisecond, RetryMax: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Project(context.Background(), "demo"); err != nil {
		t.Errorf("a body that keeps coming failed: %v", err)
	}
}

func TestRangeRequests(t *testing.T) {
	ranges := &headerLog{name: "Range"}
	srv := startIndex(t, testindex.Options{NoJSONAPI: true, NoMetadataFiles: true, RelativeURLs: true, OnRequest: ranges.record})
	for _, chunk := range []int64{tailSize, 200} {
		ranges.take()
		c := newClient(t, srv.SimpleURL(), "")
		c.rangeChunk = chunk
		if got := requirementNames(t, c, "zope.interface", "5.0"); got != "Zope.Interface 5.0: setuptools" {
			t.Errorf("metadata %q", got)
		}
		got := ranges.take()
		if len(got) == 0 || !strings.HasSuffix(got[0], fmt.Sprintf(" bytes=-%d", chunk)) {
			t.Errorf("range headers %q, want a suffix range first", got)
		}
		if chunk < tailSize && len(got) < 2 {
			t.Errorf("small chunks: only range requests %q", got)
		}
	}
}

func TestRangeUnsupported(t *testing.T) {
	srv := startIndex(t, testindex.Options{NoJSONAPI: true, NoMetadataFiles: true, RelativeURLs: true})
	srv.Inject("/files/", testindex.Fault{Kind: testindex.FaultNoRanges})
	c := newClient(t, srv.SimpleURL(), "")
	if got := requirementNames(t, c, "demo", "1.0"); got != "demo 1.0: dep" {
		t.Errorf("metadata %q", got)
	}
}

func TestDownloadFaults(t *testing.T) {
	srv := startIndex(t, testindex.Options{})
	f := srv.Index().File("demo-1.0-py3-none-any.whl")
	u := srv.URL() + "/files/" + f.Filename
	for _, kind := range []testindex.FaultKind{testindex.FaultWrongBytes, testindex.FaultTruncate, testindex.FaultMalformed} {
		dir := t.TempDir()
		srv.ClearFaults()
		srv.Inject("/files/", testindex.Fault{Kind: kind})
		c := newClient(t, srv.SimpleURL(), dir)
		_, err := c.CachedDownload(context.Background(), u, f.SHA256)
		if err == nil || !strings.Contains(err.Error(), u) {
			t.Errorf("fault %d: err = %v, want one naming %s", kind, err, u)
		}
		checkCacheClean(t, dir, nil)
		if _, ok := c.cache.HasBlob("wheels-v1", f.SHA256); ok {
			t.Errorf("fault %d: the cache holds the file", kind)
		}
		srv.ClearFaults()
		if p, err := newClient(t, srv.SimpleURL(), dir).CachedDownload(context.Background(), u, f.SHA256); err != nil || p == "" {
			t.Errorf("fault %d gone: %v", kind, err)
		}
	}
}

func TestStalledBody(t *testing.T) {
	srv := startIndex(t, testindex.Options{NoJSONAPI: true})
	srv.Inject("/simple/demo/", testindex.Fault{Kind: testindex.FaultSlowBody, Delay: 500 * time.Millisecond})
	c, err := New(Options{IndexURL: srv.SimpleURL(), Timeout: 50 * time.Millisecond, RetryMax: -1, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Project(context.Background(), "demo")
	want := "package 'demo': cannot reach " + srv.URL() + "/simple/demo/: timeout: no data received for 50ms"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

// TestBodyRetried checks that a page body cut off once, or stalled once, is
// asked for again and the page then read.
func TestBodyRetried(t *testing.T) {
	for _, f := range []testindex.Fault{
		{Kind: testindex.FaultTruncate, Times: 1},
		{Kind: testindex.FaultSlowBody, Delay: 300 * time.Millisecond, Times: 1},
	} {
		srv := startIndex(t, testindex.Options{NoJSONAPI: true})
		srv.Inject("/simple/demo/", f)
		c, err := New(Options{IndexURL: srv.SimpleURL(), Timeout: 100 * time.Millisecond, RetryWait: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Project(context.Background(), "demo"); err != nil {
			t.Errorf("fault %d once: %v", f.Kind, err)
		}
		if n := srv.Requests("/simple/demo/"); n != 2 {
			t.Errorf("fault %d once: %d requests, want 2", f.Kind, n)
		}
	}
}
