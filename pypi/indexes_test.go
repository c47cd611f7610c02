package pypi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/pep440"
)

// authRecorder is a transport that remembers, per host, whether requests
// carried an Authorization header.
type authRecorder struct {
	mu   sync.Mutex
	auth map[string]bool
}

func (r *authRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	if req.Header.Get("Authorization") != "" {
		r.auth[req.URL.Host] = true
	}
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// startIndexDir serves dir with opts for the length of the test.
func startIndexDir(t *testing.T, dir string, opts testindex.Options) *testindex.Server {
	t.Helper()
	srv, err := testindex.Start(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func newIndexes(t *testing.T, list []Index, pins map[string]string, env map[string]string, rt http.RoundTripper) *Indexes {
	t.Helper()
	opts := IndexesOptions{
		Client:      Options{RetryWait: time.Millisecond, Timeout: 10 * time.Second, HTTPClient: &http.Client{Transport: rt}},
		Pins:        pins,
		Credentials: CredentialSource{Getenv: func(k string) string { return env[k] }, Netrc: "/nonexistent/netrc"},
	}
	ix, err := NewIndexes(list, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestIndexesFirstWins(t *testing.T) {
	first := startIndexDir(t, "testdata/index", testindex.Options{})
	second := startIndexDir(t, "testdata/index2", testindex.Options{NoJSONAPI: true})
	list := []Index{{Name: "first", URL: first.SimpleURL()}, {Name: "second", URL: second.SimpleURL()}}
	tests := []struct {
		name      string
		list      []Index
		pins      map[string]string
		pkg       string
		wantIndex string // "" for not found
		wantTop   string
	}{
		{"on both: the first index wins", list, nil, "demo", first.SimpleURL(), "2.1rc1"},
		{"on both, the other order", []Index{list[1], list[0]}, nil, "demo", second.SimpleURL(), "99.0"},
		{"only on the second", list, nil, "private", second.SimpleURL(), "1.5"},
		{"pinned to the second", list, map[string]string{"Demo": "second"}, "demo", second.SimpleURL(), "99.0"},
		{"explicit index is not searched", []Index{list[0], {Name: "second", URL: second.SimpleURL(), Explicit: true}}, nil, "private", "", ""},
		{"explicit index serves pinned packages", []Index{list[0], {Name: "second", URL: second.SimpleURL(), Explicit: true}},
			map[string]string{"private": "second"}, "private", second.SimpleURL(), "1.5"},
		{"pinned to an index that lacks it", list, map[string]string{"private": "first"}, "private", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := newIndexes(t, tt.list, tt.pins, nil, http.DefaultTransport)
			ctx := context.Background()
			p, err := ix.Project(ctx, tt.pkg)
			if tt.wantIndex == "" {
				var nf *NotFoundError
				if !errors.As(err, &nf) {
					t.Fatalf("Project = %v, want a *NotFoundError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rels := p.Releases()
			if got := rels[len(rels)-1].Version.String(); got != tt.wantTop {
				t.Errorf("newest version = %s, want %s (versions must never mix across indexes)", got, tt.wantTop)
			}
			got, err := ix.IndexOf(ctx, tt.pkg)
			if err != nil || got != tt.wantIndex {
				t.Errorf("IndexOf = %q, %v; want %q", got, err, tt.wantIndex)
			}
			md, err := ix.Metadata(ctx, tt.pkg, pep440.MustParse(tt.wantTop))
			if err != nil || md.Version != tt.wantTop {
				t.Errorf("Metadata = %+v, %v; want version %s", md, err, tt.wantTop)
			}
		})
	}
}

func TestIndexesNotFoundNamesEveryIndex(t *testing.T) {
	first := startIndexDir(t, "testdata/index", testindex.Options{})
	second := startIndexDir(t, "testdata/index2", testindex.Options{})
	ix := newIndexes(t, []Index{{URL: first.SimpleURL()}, {URL: second.SimpleURL()}}, nil, nil, http.DefaultTransport)
	_, err := ix.Project(context.Background(), "Nope")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Name != "Nope" || !strings.Contains(nf.Index, first.URL()) || !strings.Contains(nf.Index, second.URL()) {
		t.Fatalf("Project = %v, want a *NotFoundError naming both indexes", err)
	}
}

func TestIndexesUnknownPin(t *testing.T) {
	_, err := NewIndexes([]Index{{Name: "a", URL: "https://a.example/simple"}}, IndexesOptions{Pins: map[string]string{"x": "b"}})
	var ue *UnknownIndexError
	if !errors.As(err, &ue) || ue.Index != "b" {
		t.Fatalf("NewIndexes = %v, want an *UnknownIndexError", err)
	}
}

func TestIndexesCredentials(t *testing.T) {
	const secret = "s3cret-Pa55"
	public := startIndexDir(t, "testdata/index", testindex.Options{})
	private := startIndexDir(t, "testdata/index2", testindex.Options{BasicAuth: "alice:" + secret})
	list := []Index{{Name: "private", URL: private.SimpleURL()}, {Name: "public", URL: public.SimpleURL()}}
	tests := []struct {
		name     string
		env      map[string]string
		list     []Index
		wantErr  string // "" for success
		wantSent bool
	}{
		{"from the environment", map[string]string{"PYLOCK_INDEX_PRIVATE_USERNAME": "alice", "PYLOCK_INDEX_PRIVATE_PASSWORD": secret}, list, "", true},
		{"from the url", nil, []Index{{Name: "private", URL: strings.Replace(private.SimpleURL(), "://", "://alice:"+secret+"@", 1)}, list[1]}, "", true},
		{"wrong password", map[string]string{"PYLOCK_INDEX_PRIVATE_USERNAME": "alice", "PYLOCK_INDEX_PRIVATE_PASSWORD": "wrong-" + secret},
			list, "index 'private' (http://alice:****@", true},
		{"none", nil, list, "PYLOCK_INDEX_PRIVATE_USERNAME", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &authRecorder{auth: map[string]bool{}}
			ix := newIndexes(t, tt.list, nil, tt.env, rec)
			ctx := context.Background()
			_, err := ix.Project(ctx, "private")
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				// demo is on both; the private index answers first.
				if _, err := ix.Project(ctx, "zope-interface"); err != nil {
					t.Fatal(err)
				}
				if rec.auth[strings.TrimPrefix(public.URL(), "http://")] {
					t.Error("credentials were sent to the other index's host")
				}
				return
			}
			var ae *AuthError
			if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || ae.Sent != tt.wantSent {
				t.Fatalf("Project = %v, want an *AuthError (401, sent %v)", err, tt.wantSent)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.wantErr) || strings.Contains(msg, secret) {
				t.Errorf("error %q: want it to contain %q and never the password", msg, tt.wantErr)
			}
		})
	}
}

// TestIndexesCredentialsStayOnIndexHost serves a Simple API page whose file
// lives on another host (a CDN): the download must not carry the index's
// credentials, and a lone token in the URL is never shown.
func TestIndexesCredentialsStayOnIndexHost(t *testing.T) {
	const token = "tok-3f9a1c"
	data := []byte("wheel bytes")
	sum := sha256.Sum256(data)
	rec := &authRecorder{auth: map[string]bool{}}
	cdn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(data) }))
	defer cdn.Close()
	index := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, _, ok := r.BasicAuth(); !ok || user != token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<a href="%s/cdn-1.0-py3-none-any.whl#sha256=%x">cdn-1.0-py3-none-any.whl</a>`, cdn.URL, sum)
	}))
	defer index.Close()
	authed := strings.Replace(index.URL, "://", "://"+token+"@", 1) + "/simple/"
	ix := newIndexes(t, []Index{{URL: authed}}, nil, nil, rec)
	ctx := context.Background()
	p, err := ix.Project(ctx, "cdn")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ix.Download(ctx, "cdn", p.Files[0].URL, p.Files[0].SHA256, &buf); err != nil {
		t.Fatal(err)
	}
	if !rec.auth[strings.TrimPrefix(index.URL, "http://")] || rec.auth[strings.TrimPrefix(cdn.URL, "http://")] {
		t.Errorf("authorization sent to %v; want the index host only", rec.auth)
	}
	bad := newIndexes(t, []Index{{Name: "cdn-index", URL: strings.Replace(authed, token, "wrong-"+token, 1)}}, nil, nil, rec)
	_, err = bad.Project(ctx, "cdn")
	var ae *AuthError
	if !errors.As(err, &ae) || strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "http://****@") {
		t.Errorf("Project = %v; want an *AuthError that hides the token", err)
	}
}
