package pypi

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/pep440"
)

// hostileClient is a client with small limits: pages of 1 MiB, wheels read
// for metadata of 1 MiB, downloads of 64 KiB, a 100 ms timeout and a 2 s
// deadline, no retries.
func hostileClient(t *testing.T, indexURL, cacheDir string) *Client {
	t.Helper()
	c, err := New(Options{IndexURL: indexURL, CacheDir: cacheDir, RetryMax: -1, Timeout: 100 * time.Millisecond, Deadline: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c.limits.page, c.limits.body, c.limits.download = 1<<20, 1<<20, 64<<10
	return c
}

// hostileCases are responses that would cost unbounded memory or time.
var hostileCases = []struct {
	name     string
	opts     testindex.Options
	path     string
	fault    testindex.Fault
	metadata bool
	deadline time.Duration // the client's, when not the default of hostileClient
	want     string        // the error, INDEX standing for the server
	check    func(error) bool
}{
	{"huge page", testindex.Options{NoJSONAPI: true}, "/simple/demo/",
		testindex.Fault{Kind: testindex.FaultHuge, Size: 8 << 20}, false, 0,
		"package 'demo': response from INDEX/simple/demo/ is larger than 1 MiB: refused", isTooLarge},
	{"endless page", testindex.Options{NoJSONAPI: true}, "/simple/demo/",
		testindex.Fault{Kind: testindex.FaultEndless}, false, 0,
		"package 'demo': response from INDEX/simple/demo/ is larger than 1 MiB: refused", isTooLarge},
	{"endless json api document", testindex.Options{}, "/pypi/demo/1.0/json",
		testindex.Fault{Kind: testindex.FaultEndless}, true, 0,
		"package 'demo' 1.0: response from INDEX/pypi/demo/1.0/json is larger than 1 MiB: refused", isTooLarge},
	{"endless metadata file", testindex.Options{NoJSONAPI: true}, "/files/demo-1.0-py3-none-any.whl.metadata",
		testindex.Fault{Kind: testindex.FaultEndless}, true, 0,
		"package 'demo' 1.0: response from INDEX/files/demo-1.0-py3-none-any.whl.metadata is larger than 1 MiB: refused", isTooLarge},
	{"endless range response", testindex.Options{NoJSONAPI: true, NoMetadataFiles: true}, "/files/demo-1.0-py3-none-any.whl",
		testindex.Fault{Kind: testindex.FaultEndless}, true, 0,
		"package 'demo' 1.0: malformed range response from INDEX/files/demo-1.0-py3-none-any.whl: got 65537 bytes or more, want ", isMalformed},
	{"huge wheel without ranges", testindex.Options{NoJSONAPI: true, NoMetadataFiles: true}, "/files/demo-1.0-py3-none-any.whl",
		testindex.Fault{Kind: testindex.FaultHuge, Size: 8 << 20}, true, 0,
		"package 'demo' 1.0: response from INDEX/files/demo-1.0-py3-none-any.whl is larger than 1 MiB: refused", isTooLarge},
	{"slowloris page", testindex.Options{NoJSONAPI: true}, "/simple/demo/",
		testindex.Fault{Kind: testindex.FaultTrickle, Delay: 5 * time.Millisecond}, false, 0,
		"package 'demo': cannot reach INDEX/simple/demo/: timeout: ", isTimeout},
	{"slowloris metadata file past the deadline", testindex.Options{NoJSONAPI: true}, "/files/demo-1.0-py3-none-any.whl.metadata",
		testindex.Fault{Kind: testindex.FaultTrickle, Delay: 5 * time.Millisecond}, true, 300 * time.Millisecond,
		"package 'demo' 1.0: cannot reach INDEX/files/demo-1.0-py3-none-any.whl.metadata: timeout: no complete response within 300ms", isTimeout},
}

func isTooLarge(err error) bool { var e *TooLargeError; return errors.As(err, &e) }

func isMalformed(err error) bool { var e *ResponseError; return errors.As(err, &e) }

func isTimeout(err error) bool {
	var e *UnreachableError
	var te interface{ Timeout() bool }
	return errors.As(err, &e) && errors.As(err, &te) && te.Timeout()
}

// TestHostileIndex checks that each hostile response is refused within
// seconds (it would otherwise last for ever) with an error naming the package and the URL, having read a
// bounded amount, with nothing of it in the cache; and that the next run,
// with the index fixed, succeeds.
func TestHostileIndex(t *testing.T) {
	for _, tt := range hostileCases {
		t.Run(tt.name, func(t *testing.T) {
			srv := startIndex(t, tt.opts)
			dir := t.TempDir()
			c := hostileClient(t, srv.SimpleURL(), dir)
			if tt.deadline != 0 {
				c.limits.deadline = tt.deadline
				c.timeout = time.Second
			}
			srv.Inject(tt.path, tt.fault)
			start := time.Now()
			err := fetchDemo(c, tt.metadata)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("refused after %v", took)
			}
			if !tt.check(err) {
				t.Fatalf("err = %#v (%v)", err, err)
			}
			if want := strings.ReplaceAll(tt.want, "INDEX", srv.URL()); !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %q\nwant %q", err, want)
			}
			checkCacheClean(t, dir, nil)
			srv.ClearFaults()
			if err := fetchDemo(hostileClient(t, srv.SimpleURL(), dir), tt.metadata); err != nil {
				t.Fatalf("with the index fixed: %v", err)
			}
		})
	}
}

// TestHostileDownload checks that an endless or trickling download is
// refused in bounded time, leaves nothing in the cache, and that a
// download of the same file afterwards succeeds.
func TestHostileDownload(t *testing.T) {
	tests := []struct {
		fault testindex.Fault
		want  string
		check func(error) bool
	}{
		{testindex.Fault{Kind: testindex.FaultEndless}, "download from INDEX/files/demo-1.0-py3-none-any.whl is larger than 64 KiB: refused", isTooLarge},
		{testindex.Fault{Kind: testindex.FaultHuge, Size: 1 << 30}, "download from INDEX/files/demo-1.0-py3-none-any.whl is larger than 64 KiB: refused", isTooLarge},
		{testindex.Fault{Kind: testindex.FaultTrickle, Delay: 5 * time.Millisecond}, "cannot reach INDEX/files/demo-1.0-py3-none-any.whl: timeout: ", isTimeout},
		{testindex.Fault{Kind: testindex.FaultWrongBytes}, "sha256 mismatch for INDEX/files/demo-1.0-py3-none-any.whl: expected ", func(err error) bool {
			var e *HashMismatchError
			return errors.As(err, &e)
		}},
	}
	srv := startIndex(t, testindex.Options{})
	f := srv.Index().File("demo-1.0-py3-none-any.whl")
	u := srv.URL() + "/files/" + f.Filename
	for _, tt := range tests {
		dir := t.TempDir()
		srv.ClearFaults()
		srv.Inject("/files/", tt.fault)
		start := time.Now()
		_, err := hostileClient(t, srv.SimpleURL(), dir).CachedDownload(context.Background(), u, f.SHA256)
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("fault %d: refused after %v", tt.fault.Kind, took)
		}
		if want := strings.ReplaceAll(tt.want, "INDEX", srv.URL()); !tt.check(err) || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("fault %d: err = %v\nwant %s", tt.fault.Kind, err, want)
		}
		checkCacheClean(t, dir, nil)
		srv.ClearFaults()
		if _, err := hostileClient(t, srv.SimpleURL(), dir).CachedDownload(context.Background(), u, f.SHA256); err != nil {
			t.Errorf("fault %d, then the index fixed: %v", tt.fault.Kind, err)
		}
	}
}

// TestRedirectKeepsCredentials checks that an index redirecting to another
// server (here the same host name on another port, which net/http alone
// would trust) does not hand it the index's credentials, whether they come
// from the index URL or from Options; while a redirect within the index
// keeps them.
func TestRedirectKeepsCredentials(t *testing.T) {
	var mu sync.Mutex
	var leaked []string
	other := startIndex(t, testindex.Options{OnRequest: func(r *http.Request) {
		if v := r.Header.Get("Authorization"); v != "" || r.URL.User != nil {
			mu.Lock()
			leaked = append(leaked, r.URL.Path+" "+v)
			mu.Unlock()
		}
	}})
	idx := startIndex(t, testindex.Options{BasicAuth: "alice:s3cret", NoJSONAPI: true})
	idx.Inject("/files/", testindex.Fault{Kind: testindex.FaultRedirect, Location: other.URL()})
	withUser := strings.Replace(idx.SimpleURL(), "://", "://alice:s3cret@", 1)
	for _, opts := range []Options{
		{IndexURL: withUser},
		{IndexURL: idx.SimpleURL(), Username: "alice", Password: "s3cret"},
	} {
		opts.RetryWait, opts.CacheDir = time.Millisecond, t.TempDir()
		c, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		idx.Inject("/simple/dep/", testindex.Fault{Kind: testindex.FaultRedirect, Location: idx.URL(), Times: 1})
		if _, err := c.Project(context.Background(), "dep"); err != nil {
			t.Fatalf("a redirect within the index lost its credentials: %v", err)
		}
		if _, err := c.Metadata(context.Background(), "demo", pep440.MustParse("1.0")); err != nil {
			t.Fatalf("metadata through the redirect: %v", err)
		}
		f := idx.Index().File("demo-1.0-py3-none-any.whl")
		if _, err := c.CachedDownload(context.Background(), idx.URL()+"/files/"+f.Filename, f.SHA256); err != nil {
			t.Fatalf("download through the redirect: %v", err)
		}
	}
	if other.Requests("/files/demo-1.0-py3-none-any.whl") == 0 {
		t.Fatal("the redirect was not followed")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(leaked) != 0 {
		t.Errorf("the other server saw credentials: %q", leaked)
	}
}

// TestRangeRequestsBounded checks that reading a remote wheel by range
// requests stops, before asking, once the chunks would pass the body limit:
// a central directory can point anywhere in a file of any claimed size.
func TestRangeRequestsBounded(t *testing.T) {
	c := hostileClient(t, "http://127.0.0.1:1/simple", "")
	rf := &remoteFile{c: c, ctx: context.Background(), u: mustURL("http://127.0.0.1:1/files/x.whl"), size: 1 << 40, fetched: 1<<20 - 10}
	_, err := rf.ReadAt(make([]byte, 100), 1<<30)
	if !isTooLarge(err) || err.Error() != "data read by range requests from http://127.0.0.1:1/files/x.whl is larger than 1 MiB: refused" {
		t.Fatalf("err = %v", err)
	}
}

// TestHugeMetadataFile checks that a METADATA or PKG-INFO file past 16 MiB
// inside its archive is refused, not cut short.
func TestHugeMetadataFile(t *testing.T) {
	big := "Metadata-Version: 2.2\nName: demo\nVersion: 1.0\n\n" + strings.Repeat("a", maxMetadata)
	whl := zipOf(t, "demo-1.0.dist-info/METADATA", big)
	zr, err := zip.NewReader(bytes.NewReader(whl), int64(len(whl)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readMetadataFile(zr, "demo"); err == nil || err.Error() != "demo-1.0.dist-info/METADATA is larger than 16 MiB" {
		t.Errorf("readMetadataFile: %v", err)
	}
	if _, err := pkgInfo("demo-1.0.zip", zipOf(t, "demo-1.0/PKG-INFO", big)); err == nil || err.Error() != "demo-1.0/PKG-INFO is larger than 16 MiB" {
		t.Errorf("pkgInfo: %v", err)
	}
}
