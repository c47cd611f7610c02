package testindex

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fetch makes one request without retries and reports what came back.
func fetch(t *testing.T, url string, headers ...string) (status int, header http.Header, body []byte, err error) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body, err
}

func TestFaults(t *testing.T) {
	s := startDemo(t, Options{})
	f := s.Index().File("httpx-0.27.0-py3-none-any.whl")
	fileURL := s.URL() + "/files/" + f.Filename
	tests := []struct {
		name  string
		fault Fault
		url   string
		check func(status int, h http.Header, body []byte, err error) bool
	}{
		{"status with retry-after", Fault{Kind: FaultStatus, Status: 429, RetryAfter: "3"}, s.SimpleURL() + "httpx/",
			func(st int, h http.Header, _ []byte, err error) bool {
				return err == nil && st == 429 && h.Get("Retry-After") == "3"
			}},
		{"reset", Fault{Kind: FaultReset}, s.SimpleURL() + "httpx/",
			func(_ int, _ http.Header, _ []byte, err error) bool { return err != nil }},
		{"truncated", Fault{Kind: FaultTruncate}, fileURL,
			func(_ int, _ http.Header, body []byte, err error) bool {
				return err != nil && len(body) == len(f.Data)/2
			}},
		{"malformed json", Fault{Kind: FaultMalformed}, s.JSONURL() + "httpx/json",
			func(st int, h http.Header, body []byte, err error) bool {
				return err == nil && st == 200 && h.Get("ETag") != "" && bytes.HasPrefix(body, []byte(`{"meta"`))
			}},
		{"malformed html", Fault{Kind: FaultMalformed}, s.SimpleURL() + "httpx/",
			func(_ int, _ http.Header, body []byte, err error) bool {
				return err == nil && bytes.HasSuffix(body, []byte(`href="garbage`))
			}},
		{"malformed given body", Fault{Kind: FaultMalformed, Body: []byte("x")}, fileURL,
			func(_ int, _ http.Header, body []byte, err error) bool { return err == nil && string(body) == "x" }},
		{"wrong bytes", Fault{Kind: FaultWrongBytes}, fileURL,
			func(_ int, _ http.Header, body []byte, err error) bool {
				return err == nil && len(body) == len(f.Data) && sha256Hex(body) != f.SHA256
			}},
		{"slow body", Fault{Kind: FaultSlowBody, Delay: 10 * time.Millisecond}, fileURL,
			func(_ int, _ http.Header, body []byte, err error) bool {
				return err == nil && bytes.Equal(body, f.Data)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.ClearFaults()
			once := tt.fault
			once.Times = 1
			s.Inject(strings.TrimPrefix(tt.url, s.URL()), once)
			start := time.Now()
			status, h, body, err := fetch(t, tt.url)
			if !tt.check(status, h, body, err) {
				t.Errorf("faulty answer: %d %v %d bytes %v", status, h, len(body), err)
			}
			if tt.fault.Kind == FaultSlowBody && time.Since(start) < 70*time.Millisecond {
				t.Errorf("slow body took %v", time.Since(start))
			}
			status, _, body, err = fetch(t, tt.url)
			if err != nil || status != 200 || len(body) == 0 {
				t.Errorf("after the fault was spent: %d %v", status, err)
			}
		})
	}
}

func TestFaultNoRanges(t *testing.T) {
	s := startDemo(t, Options{})
	f := s.Index().File("httpx-0.27.0-py3-none-any.whl")
	url := s.URL() + "/files/" + f.Filename
	if st, _, body, _ := fetch(t, url, "Range: bytes=-10"); st != 206 || len(body) != 10 {
		t.Fatalf("range request: %d, %d bytes", st, len(body))
	}
	s.Inject("/files/", Fault{Kind: FaultNoRanges})
	for i := 0; i < 2; i++ {
		if st, _, body, _ := fetch(t, url, "Range: bytes=-10"); st != 200 || !bytes.Equal(body, f.Data) {
			t.Errorf("range request %d with ranges off: %d, %d bytes", i, st, len(body))
		}
	}
}

func TestFaultOrder(t *testing.T) {
	s := startDemo(t, Options{})
	s.Inject("/simple/", Fault{Kind: FaultStatus, Status: 503, Times: 1})
	s.Inject("/simple/httpx/", Fault{Kind: FaultStatus, Status: 500, Times: 2})
	var got []int
	for i := 0; i < 4; i++ {
		st, _, _, _ := fetch(t, s.SimpleURL()+"httpx/")
		got = append(got, st)
	}
	if want := []int{503, 500, 500, 200}; !equalInts(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if n := s.Requests("/simple/httpx/"); n != 4 {
		t.Errorf("%d requests counted, want 4", n)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDelayAndHooks(t *testing.T) {
	var seen atomic.Int32
	s := startDemo(t, Options{Delay: 30 * time.Millisecond, PageCacheControl: "no-cache",
		OnRequest: func(*http.Request) { seen.Add(1) }})
	start := time.Now()
	_, h, _, err := fetch(t, s.SimpleURL()+"httpx/")
	if err != nil || time.Since(start) < 30*time.Millisecond {
		t.Errorf("delayed answer after %v: %v", time.Since(start), err)
	}
	if h.Get("Cache-Control") != "no-cache" || seen.Load() != 1 {
		t.Errorf("Cache-Control %q, hook saw %d requests", h.Get("Cache-Control"), seen.Load())
	}
	d := startDemo(t, Options{})
	if _, h, _, _ := fetch(t, d.JSONURL()+"httpx/json"); h.Get("Cache-Control") != "max-age=600, public" {
		t.Errorf("default Cache-Control %q", h.Get("Cache-Control"))
	}
}

func TestConnections(t *testing.T) {
	s := startDemo(t, Options{})
	client := &http.Client{}
	for i := 0; i < 5; i++ {
		resp, err := client.Get(s.SimpleURL() + "httpx/")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if n := s.Connections(); n != 1 {
		t.Errorf("%d connections for 5 sequential requests, want 1", n)
	}
}
