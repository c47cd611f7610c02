package testindex

import (
	"bytes"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultKind is a way a response can go wrong.
type FaultKind int

// The faults a Server can inject.
const (
	// FaultStatus answers Fault.Status (for example 500, 503 or 429), with a
	// Retry-After header when Fault.RetryAfter is set.
	FaultStatus FaultKind = iota + 1
	// FaultReset closes the connection without answering (a TCP reset).
	FaultReset
	// FaultTruncate sends the headers with the full Content-Length, then only
	// the first half of the body, then closes the connection.
	FaultTruncate
	// FaultMalformed answers 200 with the real headers (ETag included, so a
	// client that cached the body would keep revalidating garbage) but a
	// body that is not a valid document of its type: Fault.Body when set, else an
	// unterminated JSON document for JSON types, an unterminated attribute
	// for HTML, or bytes that are no archive for anything else.
	FaultMalformed
	// FaultWrongBytes sends the real response with one byte of its body
	// changed, so its length is right and its sha256 is not.
	FaultWrongBytes
	// FaultSlowBody sends the headers at once, then the body in 8 pieces
	// with Fault.Delay between them.
	FaultSlowBody
	// FaultNoRanges ignores Range headers and sends whole files with 200, as
	// servers without range support do.
	FaultNoRanges
	// FaultHuge answers 200 with the real response (Range headers ignored)
	// followed by Fault.Size bytes of white space (so the body is still a
	// valid page when read in full), streamed, with its full Content-Length.
	FaultHuge
	// FaultEndless answers 200 with the real response, then white space
	// without end (no Content-Length), as fast as the client reads, until it
	// hangs up.
	FaultEndless
	// FaultTrickle is slowloris: it answers 200 with the real headers, then
	// sends the body one byte per Fault.Delay, followed by white space
	// without end, so the connection is never idle for long.
	FaultTrickle
	// FaultRedirect answers 302 to Fault.Location followed by the request's
	// path and query (Location is a URL prefix such as another server's
	// URL()).
	FaultRedirect
)

// Fault is a failure a Server injects into the responses to some requests
// (see Server.Inject).
type Fault struct {
	Kind FaultKind
	// Times is how many requests the fault hits before it is spent; 0 means
	// every request until ClearFaults.
	Times      int
	Status     int           // FaultStatus: the status to answer
	RetryAfter string        // FaultStatus: the Retry-After value, "" for none
	Body       []byte        // FaultMalformed: the body to send instead of the default garbage
	Delay      time.Duration // FaultSlowBody, FaultTrickle: the pause between pieces of the body
	Size       int64         // FaultHuge: the bytes added after the body
	Location   string        // FaultRedirect: where to send the client
}

// injected is a fault armed for the requests whose path has a prefix.
type injected struct {
	prefix string
	fault  Fault
	left   int // requests left to hit; 0 for no limit
}

// Inject arms f for the requests whose URL path starts with pathPrefix
// (for example "/simple/demo/" or "/files/"), while the server runs. When
// several armed faults match a request, the one injected first that is not
// spent answers it. Faulty answers count in RequestCounts like any other.
func (s *Server) Inject(pathPrefix string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &injected{prefix: pathPrefix, fault: f, left: f.Times})
}

// ClearFaults disarms every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the fault that answers a request for path, spending one
// of its hits, or nil.
func (s *Server) takeFault(path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, in := range s.faults {
		if !strings.HasPrefix(path, in.prefix) {
			continue
		}
		f := in.fault
		if in.left > 0 {
			in.left--
			if in.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &f
	}
	return nil
}

// serveFault answers r with fault f, using next for the real response.
func serveFault(w http.ResponseWriter, r *http.Request, f *Fault, next http.Handler) {
	switch f.Kind {
	case FaultStatus:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		http.Error(w, strconv.Itoa(f.Status)+" injected fault", f.Status)
		return
	case FaultReset:
		closeConn(w, true)
		return
	case FaultNoRanges:
		r = r.Clone(r.Context())
		r.Header.Del("Range")
		next.ServeHTTP(w, r)
		return
	case FaultRedirect:
		http.Redirect(w, r, f.Location+r.URL.RequestURI(), http.StatusFound)
		return
	case FaultHuge, FaultEndless, FaultTrickle:
		serveFlood(w, r, f, next)
		return
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	next.ServeHTTP(rec, r)
	body := rec.body.Bytes()
	switch f.Kind {
	case FaultMalformed:
		body = malformed(rec.header.Get("Content-Type"), f.Body)
		rec.status = http.StatusOK
	case FaultWrongBytes:
		body = bytes.Clone(body)
		if len(body) > 0 {
			body[len(body)/2] ^= 0xff
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.status)
	switch f.Kind {
	case FaultTruncate:
		_, _ = w.Write(body[:len(body)/2])
		closeConn(w, false)
	case FaultSlowBody:
		writeSlowly(w, r, body, f.Delay)
	default:
		_, _ = w.Write(body)
	}
}

// serveFlood answers r with the real response followed by white space: a
// fixed amount (FaultHuge), without end (FaultEndless), or without end and
// one byte per Fault.Delay (FaultTrickle). It stops when the client hangs up.
func serveFlood(w http.ResponseWriter, r *http.Request, f *Fault, next http.Handler) {
	if f.Kind == FaultHuge {
		r = r.Clone(r.Context())
		r.Header.Del("Range")
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	next.ServeHTTP(rec, r)
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	body := rec.body.Bytes()
	if f.Kind == FaultHuge {
		w.Header().Set("Content-Length", strconv.FormatInt(int64(len(body))+f.Size, 10))
	}
	w.WriteHeader(rec.status)
	piece := 32 << 10
	if f.Kind == FaultTrickle {
		piece = 1
	}
	pad := bytes.Repeat([]byte(" "), piece)
	left := f.Size
	for sent := 0; f.Kind != FaultHuge || left > 0; {
		chunk := pad
		switch {
		case sent < len(body):
			chunk = body[sent:min(sent+piece, len(body))]
			sent += len(chunk)
		case f.Kind == FaultHuge:
			chunk = pad[:min(int64(piece), left)]
			left -= int64(len(chunk))
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
		if fl, ok := w.(http.Flusher); ok && f.Kind == FaultTrickle {
			fl.Flush()
		}
		if f.Kind == FaultTrickle && !sleep(r.Context(), f.Delay) {
			return
		}
	}
}

// malformed is the body FaultMalformed sends for a content type.
func malformed(contentType string, body []byte) []byte {
	switch {
	case body != nil:
		return body
	case strings.Contains(contentType, "json"):
		return []byte(`{"meta": {"api-version": "1.0"}, "files": [{"filename": `)
	case strings.Contains(contentType, "html"):
		return []byte(`<!DOCTYPE html><html><body><a href="garbage`)
	}
	return []byte("\x00garbage: this is not what was asked for\xff")
}

// writeSlowly writes body in 8 pieces with delay between them.
func writeSlowly(w http.ResponseWriter, r *http.Request, body []byte, delay time.Duration) {
	const pieces = 8
	size := (len(body) + pieces - 1) / pieces
	for len(body) > 0 {
		n := min(size, len(body))
		if _, err := w.Write(body[:n]); err != nil {
			return
		}
		body = body[n:]
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		if len(body) > 0 && !sleep(r.Context(), delay) {
			return
		}
	}
}

// closeConn flushes what was written and closes the connection: abruptly
// (a TCP reset) when reset is set.
func closeConn(w http.ResponseWriter, reset bool) {
	if f, ok := w.(http.Flusher); ok && !reset {
		f.Flush()
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// recorder keeps a handler's response in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// Header implements http.ResponseWriter.
func (r *recorder) Header() http.Header { return r.header }

// WriteHeader implements http.ResponseWriter.
func (r *recorder) WriteHeader(status int) { r.status = status }

// Write implements http.ResponseWriter.
func (r *recorder) Write(p []byte) (int, error) { return r.body.Write(p) }
