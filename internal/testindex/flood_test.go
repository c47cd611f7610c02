package testindex

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// openFault injects f once for the page at path and opens that page,
// following no redirect.
func openFault(t *testing.T, s *Server, path string, f Fault) *http.Response {
	t.Helper()
	f.Times = 1
	s.Inject(path, f)
	client := &http.Client{
		Transport:     &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Get(s.URL() + path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// realPage is the page at path without faults.
func realPage(t *testing.T, s *Server, path string) []byte {
	t.Helper()
	_, _, body, err := fetch(t, s.URL()+path)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestFaultHuge(t *testing.T) {
	s := startDemo(t, Options{})
	page := realPage(t, s, "/simple/httpx/")
	resp := openFault(t, s, "/simple/httpx/", Fault{Kind: FaultHuge, Size: 3 << 20})
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.ContentLength != int64(len(body)) || len(body) != len(page)+3<<20 {
		t.Fatalf("huge body: %d bytes, Content-Length %d, %v", len(body), resp.ContentLength, err)
	}
	if !bytes.Equal(body[:len(page)], page) || strings.TrimSpace(string(body[len(page):])) != "" {
		t.Error("huge body is not the page followed by white space")
	}
}

func TestFaultEndless(t *testing.T) {
	s := startDemo(t, Options{})
	page := realPage(t, s, "/pypi/httpx/json")
	resp := openFault(t, s, "/pypi/httpx/json", Fault{Kind: FaultEndless})
	if resp.ContentLength != -1 {
		t.Errorf("endless body announces %d bytes", resp.ContentLength)
	}
	const want = 8 << 20
	body, err := io.ReadAll(io.LimitReader(resp.Body, want))
	if err != nil || len(body) != want || !bytes.Equal(body[:len(page)], page) {
		t.Fatalf("endless body: %d bytes, %v", len(body), err)
	}
}

func TestFaultTrickle(t *testing.T) {
	s := startDemo(t, Options{})
	page := realPage(t, s, "/simple/httpx/")
	const delay = 20 * time.Millisecond
	start := time.Now()
	resp := openFault(t, s, "/simple/httpx/", Fault{Kind: FaultTrickle, Delay: delay})
	got := make([]byte, 6)
	if _, err := io.ReadFull(resp.Body, got); err != nil || !bytes.Equal(got, page[:6]) {
		t.Fatalf("trickled %q, %v; want %q", got, err, page[:6])
	}
	if d := time.Since(start); d < 5*delay {
		t.Errorf("6 bytes came in %v, want at least %v", d, 5*delay)
	}
}

func TestFaultRedirect(t *testing.T) {
	s := startDemo(t, Options{})
	resp := openFault(t, s, "/files/x.whl", Fault{Kind: FaultRedirect, Location: "http://other.example:8080"})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != "http://other.example:8080/files/x.whl" {
		t.Errorf("redirect: %d to %q", resp.StatusCode, loc)
	}
}
