package pypi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/pep440"
)

// TestPageFreshness locks what a second client with the same cache asks the
// index for, by the Cache-Control the index sent with the page.
func TestPageFreshness(t *testing.T) {
	tests := []struct {
		name         string
		cacheControl string
		later        time.Duration // how much later the second client runs
		requests     int           // requests for the page from the second client
		conditional  bool          // made with If-None-Match
	}{
		{"fresh for ten minutes, as PyPI sends", "", time.Minute, 0, false},
		{"stale after ten minutes", "", 11 * time.Minute, 1, true},
		{"max-age=0", "max-age=0", 0, 1, true},
		{"no-cache", "no-cache, max-age=600", 0, 1, true},
		{"no-store", "no-store", 0, 1, false},
		{"age counts against max-age", "max-age=60", 30 * time.Second, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inm := &headerLog{name: "If-None-Match"}
			srv := startIndex(t, testindex.Options{NoJSONAPI: true, PageCacheControl: tt.cacheControl, OnRequest: inm.record})
			dir := t.TempDir()
			if _, err := newClient(t, srv.SimpleURL(), dir).Project(context.Background(), "demo"); err != nil {
				t.Fatal(err)
			}
			srv.ResetRequests()
			c := newClient(t, srv.SimpleURL(), dir)
			c.now = func() time.Time { return time.Now().Add(tt.later) }
			p, err := c.Project(context.Background(), "demo")
			if err != nil || len(p.Files) != 9 {
				t.Fatalf("second client: %v", err)
			}
			if n := srv.Requests("/simple/demo/"); n != tt.requests {
				t.Errorf("%d requests for the page, want %d", n, tt.requests)
			}
			if got := len(inm.take()) == 1; got != tt.conditional {
				t.Errorf("conditional request %v, want %v", got, tt.conditional)
			}
		})
	}
}

// TestRevalidatedPageStaysFresh checks that a 304 renews the page's
// freshness on disk.
func TestRevalidatedPageStaysFresh(t *testing.T) {
	srv := startIndex(t, testindex.Options{NoJSONAPI: true})
	dir := t.TempDir()
	for i, later := range []time.Duration{0, 11 * time.Minute, 12 * time.Minute} {
		c := newClient(t, srv.SimpleURL(), dir)
		c.now = func() time.Time { return time.Now().Add(later) }
		if _, err := c.Project(context.Background(), "demo"); err != nil {
			t.Fatal(err)
		}
		if want := []int{1, 2, 2}[i]; srv.Requests("/simple/demo/") != want {
			t.Errorf("run %d: %d requests in all, want %d", i, srv.Requests("/simple/demo/"), want)
		}
	}
}

func TestRefresh(t *testing.T) {
	cc := &headerLog{name: "Cache-Control"}
	srv := startIndex(t, testindex.Options{OnRequest: cc.record})
	dir := t.TempDir()
	if got := requirementNames(t, newClient(t, srv.SimpleURL(), dir), "demo", "1.0"); got != "demo 1.0: dep" {
		t.Fatal(got)
	}
	srv.ResetRequests()
	ix, err := testindex.FromSpecs([]testindex.Spec{{Name: "demo", Releases: []testindex.ReleaseSpec{{Version: "1.0"}, {Version: "3.0"}}}}, testindex.SpecOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetIndex(ix)
	if p, _ := newClient(t, srv.SimpleURL(), dir).Project(context.Background(), "demo"); len(p.Releases()) == 2 {
		t.Errorf("a fresh cached page was not used")
	}
	c, err := New(Options{IndexURL: srv.SimpleURL(), CacheDir: dir, Refresh: true, RetryWait: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Project(context.Background(), "demo")
	if err != nil || len(p.Releases()) != 2 {
		t.Fatalf("refreshed project: %v", err)
	}
	if _, err := c.Metadata(context.Background(), "demo", pep440.MustParse("1.0")); err != nil {
		t.Fatal(err)
	}
	counts := srv.RequestCounts()
	if counts["/pypi/demo/json"] != 1 || counts["/pypi/demo/1.0/json"] != 1 {
		t.Errorf("refresh made requests %v", counts)
	}
	if got := cc.take(); len(got) != 2 || !strings.HasSuffix(got[0], " max-age=0") {
		t.Errorf("Cache-Control request headers %q", got)
	}
}

func TestOffline(t *testing.T) {
	for _, m := range modes[:3] {
		t.Run(m.name, func(t *testing.T) {
			srv := startIndex(t, m.opts)
			dir := t.TempDir()
			offline := func() *Client {
				c, err := New(Options{IndexURL: srv.SimpleURL(), CacheDir: dir, Offline: true})
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			_, err := offline().Project(context.Background(), "demo")
			var oe *OfflineError
			want := "pylock is offline and the cache has no page for 'demo' from " + srv.URL() + "/simple/demo/"
			if !errors.As(err, &oe) || err.Error() != want {
				t.Errorf("cold cache: err = %v\nwant %s", err, want)
			}
			requirementNames(t, newClient(t, srv.SimpleURL(), dir), "demo", "1.0")
			srv.ResetRequests()
			c := offline()
			if got := requirementNames(t, c, "demo", "1.0"); got != "demo 1.0: dep" {
				t.Errorf("offline metadata %q", got)
			}
			_, err = c.Metadata(context.Background(), "demo", pep440.MustParse("0.9"))
			if !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), "pylock is offline and the cache has no metadata for 'demo' 0.9 from "+srv.URL()+"/") {
				t.Errorf("uncached metadata: err = %v", err)
			}
			if _, err := c.CachedDownload(context.Background(), srv.URL()+"/files/demo-1.0.tar.gz", strings.Repeat("a", 64)); !errors.As(err, &oe) {
				t.Errorf("offline download: err = %v", err)
			}
			if n := srv.TotalRequests(); n != 0 {
				t.Errorf("offline client made requests %v", srv.RequestCounts())
			}
		})
	}
}

// TestKeepAlive checks that many requests at once reuse about as many
// connections as the client has request slots.
func TestKeepAlive(t *testing.T) {
	srv := startIndex(t, testindex.Options{})
	c, err := New(Options{IndexURL: srv.SimpleURL(), Concurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, p := range srv.Index().Projects {
		for _, r := range p.Releases {
			for _, f := range r.Files {
				files = append(files, srv.URL()+"/files/"+f.Filename)
			}
		}
	}
	var wg sync.WaitGroup
	for round := 0; round < 8; round++ {
		for _, u := range files {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := c.Download(context.Background(), u, "", io.Discard); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	// Racing dials may open a few more than 8, which are then kept idle;
	// without keep-alive for every slot, connections grow with requests.
	if n := srv.Connections(); n > 16 {
		t.Errorf("%d downloads opened %d connections, want about 8", 8*len(files), n)
	}
	if d, _ := New(Options{}); cap(d.slots) != DefaultConcurrency || DefaultConcurrency != 50 {
		t.Errorf("default concurrency %d", cap(d.slots))
	}
}

func TestCachedDownloadTampered(t *testing.T) {
	srv := startIndex(t, testindex.Options{})
	f := srv.Index().File("demo-1.0-py3-none-any.whl")
	u := srv.URL() + "/files/" + f.Filename
	c := newClient(t, srv.SimpleURL(), t.TempDir())
	p, err := c.CachedDownload(context.Background(), u, f.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	c2 := newClient(t, srv.SimpleURL(), c.cache.Root())
	if p2, err := c2.CachedDownload(context.Background(), u, f.SHA256); err != nil || p2 != p {
		t.Fatalf("CachedDownload after tampering = %q, %v", p2, err)
	}
	if data, _ := os.ReadFile(p); !bytes.Equal(data, f.Data) {
		t.Error("the tampered file was used")
	}
	if n := srv.Requests("/files/" + f.Filename); n != 2 {
		t.Errorf("%d downloads, want 2", n)
	}
}

func TestCacheControl(t *testing.T) {
	tests := []struct {
		header   []string
		lifetime int64
		noCache  bool
	}{
		{[]string{"max-age=600, public"}, 600, false},
		{[]string{"public", "MAX-AGE=60"}, 60, false},
		{[]string{"no-cache, max-age=600"}, 600, true},
		{[]string{`max-age="30"`}, 30, false},
		{[]string{"max-age=-5"}, 0, false},
		{[]string{"max-age=x"}, 0, false},
		{nil, 0, false},
	}
	now := time.Now()
	for _, tt := range tests {
		var p cachedPage
		p.setFreshness(http.Header{"Cache-Control": tt.header}, now)
		if p.Lifetime != tt.lifetime || p.NoCache != tt.noCache {
			t.Errorf("%q: lifetime %d no-cache %v, want %d %v", tt.header, p.Lifetime, p.NoCache, tt.lifetime, tt.noCache)
		}
	}
	var p cachedPage
	h := http.Header{"Expires": {now.Add(time.Hour).UTC().Format(http.TimeFormat)}, "Date": {now.UTC().Format(http.TimeFormat)}, "Age": {"100"}}
	p.setFreshness(h, now)
	if p.Lifetime < 3599 || p.Lifetime > 3600 || !p.Stored.Equal(now.Add(-100*time.Second)) {
		t.Errorf("Expires: lifetime %d stored %v", p.Lifetime, p.Stored)
	}
}

func FuzzCacheControl(f *testing.F) {
	for _, seed := range []string{"max-age=600, public", "no-store", `max-age="1", no-cache`, ",,=,"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		var p cachedPage
		p.setFreshness(http.Header{"Cache-Control": {v}, "Age": {v}, "Expires": {v}}, time.Now())
		if p.Lifetime < 0 {
			t.Errorf("%q: negative lifetime %d", v, p.Lifetime)
		}
	})
}
