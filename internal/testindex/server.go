package testindex

import (
	"context"
	"crypto/subtle"
	"errors"
	"maps"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options change what a Server offers, so that tests can imitate the
// different kinds of index a client meets.
type Options struct {
	// Addr is the address to listen on; "" means "127.0.0.1:0" (any free port).
	Addr string
	// NoJSONAPI turns the PyPI JSON API (/pypi/...) off: it answers 404, as a
	// private index that speaks only the Simple API does.
	NoJSONAPI bool
	// NoSimpleJSON makes the Simple API answer text/html only, whatever the
	// Accept header asks for, as an index without PEP 691 does.
	NoSimpleJSON bool
	// NoMetadataFiles turns PEP 658 metadata files off: no .metadata URLs and
	// no data-core-metadata attributes, so clients must read wheels.
	NoMetadataFiles bool
	// RelativeURLs makes Simple API pages link files by relative URLs
	// ("../../files/x.whl") instead of absolute ones.
	RelativeURLs bool
	// BasicAuth, when set as "user:password", makes every request require
	// those HTTP basic credentials (401 otherwise).
	BasicAuth string
	// Delay is added to every response: the server waits this long before
	// handling each request, as a distant index adds its round-trip time.
	Delay time.Duration
	// PageCacheControl is the Cache-Control header of Simple API and JSON
	// API pages; "" means "max-age=600, public", as PyPI sends.
	PageCacheControl string
	// OnRequest, when set, is called with every request before it is
	// answered (from the server's goroutines), for tests that look at
	// headers.
	OnRequest func(r *http.Request)
}

// Server is a running test index on a local port.
type Server struct {
	ix     atomic.Pointer[Index]
	opts   Options
	url    string // root URL, no trailing slash
	srv    *http.Server
	ln     net.Listener
	done   chan struct{}
	mu     sync.Mutex
	counts map[string]int
	faults []*injected
	conns  atomic.Int64 // connections accepted
}

// Start loads the description files of dir and serves them on a local port.
func Start(dir string, opts Options) (*Server, error) {
	ix, err := LoadDir(dir)
	if err != nil {
		return nil, err
	}
	return Serve(ix, opts)
}

// Serve serves an already loaded index on a local port. Call Close when done.
func Serve(ix *Index, opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, url: "http://" + ln.Addr().String(), ln: ln, done: make(chan struct{}), counts: map[string]int{}}
	s.ix.Store(ix)
	s.srv = &http.Server{Handler: s.handler(), ConnState: func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// URL returns the root URL of the server, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.url }

// SimpleURL returns the Simple API root, e.g. "http://127.0.0.1:41234/simple/",
// the value for pip's --index-url.
func (s *Server) SimpleURL() string { return s.url + "/simple/" }

// JSONURL returns the PyPI JSON API root, e.g. "http://127.0.0.1:41234/pypi/".
func (s *Server) JSONURL() string { return s.url + "/pypi/" }

// Index returns the served index.
func (s *Server) Index() *Index { return s.ix.Load() }

// index is the served index, for the handlers.
func (s *Server) index() *Index { return s.ix.Load() }

// SetIndex replaces the served index: later requests see ix, as a client
// sees an index where new releases were uploaded.
func (s *Server) SetIndex(ix *Index) { s.ix.Store(ix) }

// Close stops the server and waits until it has stopped.
func (s *Server) Close() error {
	err := s.srv.Close()
	<-s.done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Requests returns how many requests the server has received for path
// (a URL path such as "/simple/httpx/"; queries are not part of it).
func (s *Server) Requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[path]
}

// RequestCounts returns a copy of the request count of every path.
func (s *Server) RequestCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.counts)
}

// TotalRequests returns how many requests the server has received in all.
func (s *Server) TotalRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.counts {
		n += c
	}
	return n
}

// Connections returns how many connections clients have opened to the
// server, to check that they keep connections alive.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// ResetRequests sets every request count back to zero.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.counts)
}

// handler routes requests, counting each one first.
func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /simple/{$}", s.serveSimpleRoot)
	mux.HandleFunc("GET /simple/{name}", s.redirectSimple)
	mux.HandleFunc("GET /simple/{name}/{$}", s.serveSimpleProject)
	mux.HandleFunc("GET /pypi/{name}/json", s.serveJSONProject)
	mux.HandleFunc("GET /pypi/{name}/{version}/json", s.serveJSONRelease)
	mux.HandleFunc("GET /files/{filename}", s.serveFile)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.counts[r.URL.Path]++
		s.mu.Unlock()
		if s.opts.OnRequest != nil {
			s.opts.OnRequest(r)
		}
		if !sleep(r.Context(), s.opts.Delay) {
			return
		}
		if !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Basic realm="testindex"`)
			http.Error(w, "401 unauthorized", http.StatusUnauthorized)
			return
		}
		if f := s.takeFault(r.URL.Path); f != nil {
			serveFault(w, r, f, mux)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (s *Server) authorized(r *http.Request) bool {
	if s.opts.BasicAuth == "" {
		return true
	}
	user, pass, ok := r.BasicAuth()
	want := []byte(s.opts.BasicAuth)
	return ok && subtle.ConstantTimeCompare([]byte(user+":"+pass), want) == 1
}

// serveFile serves a distribution file, or its PEP 658 metadata file.
// Range and conditional requests are supported.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("filename")
	data, sum := s.fileData(name)
	if data == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("ETag", `"`+sum+`"`)
	h.Set("Cache-Control", "max-age=365000000, immutable, public")
	http.ServeContent(w, r, "", fileTime, strings.NewReader(string(data)))
}

// fileData returns the bytes and sha256 of a served file name, or nil.
func (s *Server) fileData(name string) ([]byte, string) {
	if f := s.index().File(name); f != nil {
		return f.Data, f.SHA256
	}
	base, ok := strings.CutSuffix(name, ".metadata")
	if f := s.index().File(base); ok && f != nil && f.Metadata != nil && !s.opts.NoMetadataFiles {
		return f.Metadata, f.MetadataSHA256
	}
	return nil, ""
}

// sleep waits d, or until ctx is done; it reports whether the whole wait
// passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
