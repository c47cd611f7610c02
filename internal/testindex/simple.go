package testindex

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"

	"github.com/pylock/pylock/pep508"
)

// Simple API content types (PEP 691).
const (
	typeJSON     = "application/vnd.pypi.simple.v1+json"
	typeHTML     = "application/vnd.pypi.simple.v1+html"
	typeTextHTML = "text/html"
)

// isoTime is the PEP 700 and PyPI upload time layout.
const isoTime = "2006-01-02T15:04:05.000000Z"

// negotiate picks the Simple API content type for a request: the ?format=
// query, else the Accept header's most preferred type the server offers. At
// equal quality an exact type beats a wildcard; among exact types JSON wins,
// and a bare wildcard ("*/*") gets text/html, as PyPI answers. It returns ""
// when nothing acceptable is offered.
func (s *Server) negotiate(r *http.Request) string {
	if s.opts.NoSimpleJSON {
		return typeTextHTML
	}
	offered := []string{typeTextHTML, typeHTML, typeJSON} // ascending preference among exact matches
	accept := r.URL.Query().Get("format")
	if accept == "" {
		accept = r.Header.Get("Accept")
	}
	if strings.TrimSpace(accept) == "" {
		return typeTextHTML
	}
	best, bestScore := "", [3]float64{}
	for i, t := range offered {
		q, exact := acceptQ(accept, t)
		pref := float64(i)
		if !exact {
			pref = float64(len(offered) - i)
		}
		score := [3]float64{q, 0, pref}
		if exact {
			score[1] = 1
		}
		if q > 0 && greater(score, bestScore) {
			best, bestScore = t, score
		}
	}
	return best
}

func greater(a, b [3]float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

// acceptQ returns the quality an Accept header gives to media type t, and
// whether t itself (not a wildcard) is named.
func acceptQ(accept, t string) (q float64, exact bool) {
	major, _, _ := strings.Cut(t, "/")
	for _, part := range strings.Split(accept, ",") {
		params := strings.Split(part, ";")
		mt := strings.ToLower(strings.TrimSpace(params[0]))
		if mt != t && mt != "*/*" && mt != major+"/*" {
			continue
		}
		pq := 1.0
		for _, p := range params[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					pq = f
				}
			}
		}
		if mt == t {
			return pq, true
		}
		q = max(q, pq)
	}
	return q, false
}

// pageCacheControl is the Cache-Control header of index pages.
func (s *Server) pageCacheControl() string {
	if s.opts.PageCacheControl != "" {
		return s.opts.PageCacheControl
	}
	return "max-age=600, public"
}

// writeNegotiated sends body with caching headers, answering a matching
// If-None-Match with 304.
func (s *Server) writeNegotiated(w http.ResponseWriter, r *http.Request, contentType string, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("ETag", etag)
	h.Set("Vary", "Accept")
	h.Set("Cache-Control", s.pageCacheControl())
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func (s *Server) serveSimpleRoot(w http.ResponseWriter, r *http.Request) {
	ct := s.negotiate(r)
	switch ct {
	case "":
		http.Error(w, "406 not acceptable", http.StatusNotAcceptable)
	case typeJSON:
		type project struct {
			Name string `json:"name"`
		}
		root := struct {
			Meta     map[string]string `json:"meta"`
			Projects []project         `json:"projects"`
		}{Meta: map[string]string{"api-version": "1.1"}, Projects: []project{}}
		for _, p := range s.index().Projects {
			root.Projects = append(root.Projects, project{p.Name})
		}
		s.writeJSON(w, r, ct, root)
	default:
		var b bytes.Buffer
		b.WriteString("<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.1\">\n    <title>Simple index</title>\n  </head>\n  <body>\n")
		for _, p := range s.index().Projects {
			fmt.Fprintf(&b, "    <a href=\"/simple/%s/\">%s</a>\n", p.NormalizedName, html.EscapeString(p.Name))
		}
		b.WriteString("  </body>\n</html>\n")
		s.writeNegotiated(w, r, ct, b.Bytes())
	}
}

// redirectSimple sends /simple/<name> to /simple/<normalized name>/.
func (s *Server) redirectSimple(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/simple/"+pep508.NormalizeName(r.PathValue("name"))+"/", http.StatusMovedPermanently)
}

func (s *Server) serveSimpleProject(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if norm := pep508.NormalizeName(name); norm != name {
		http.Redirect(w, r, "/simple/"+norm+"/", http.StatusMovedPermanently)
		return
	}
	p := s.index().Project(name)
	if p == nil {
		http.NotFound(w, r)
		return
	}
	if err := s.index().ensureBuilt(p); err != nil {
		http.Error(w, "500 "+err.Error(), http.StatusInternalServerError)
		return
	}
	switch ct := s.negotiate(r); ct {
	case "":
		http.Error(w, "406 not acceptable", http.StatusNotAcceptable)
	case typeJSON:
		s.writeJSON(w, r, ct, s.simpleJSON(p))
	default:
		s.writeNegotiated(w, r, ct, s.simpleHTML(p))
	}
}

// fileURL is the URL of a file as the Simple API links it.
func (s *Server) fileURL(filename string, relative bool) string {
	if relative {
		return "../../files/" + filename
	}
	return s.url + "/files/" + filename
}

// simpleHTML renders a PEP 503 project page.
func (s *Server) simpleHTML(p *Project) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.1\">\n    <title>Links for %s</title>\n  </head>\n  <body>\n    <h1>Links for %[1]s</h1>\n", html.EscapeString(p.Name))
	for _, r := range p.Releases {
		for _, f := range r.Files {
			fmt.Fprintf(&b, "    <a href=\"%s#sha256=%s\"", html.EscapeString(s.fileURL(f.Filename, s.opts.RelativeURLs)), f.SHA256)
			if r.RequiresPython != "" {
				fmt.Fprintf(&b, " data-requires-python=\"%s\"", html.EscapeString(r.RequiresPython))
			}
			if r.Yanked {
				fmt.Fprintf(&b, " data-yanked=\"%s\"", html.EscapeString(r.YankedReason))
			}
			if f.Metadata != nil && !s.opts.NoMetadataFiles {
				fmt.Fprintf(&b, " data-dist-info-metadata=\"sha256=%s\" data-core-metadata=\"sha256=%[1]s\"", f.MetadataSHA256)
			}
			fmt.Fprintf(&b, ">%s</a><br />\n", html.EscapeString(f.Filename))
		}
	}
	b.WriteString("  </body>\n</html>\n")
	return b.Bytes()
}

// simpleFile is one entry of a PEP 691 project page's "files".
type simpleFile struct {
	Filename         string            `json:"filename"`
	URL              string            `json:"url"`
	Hashes           map[string]string `json:"hashes"`
	RequiresPython   *string           `json:"requires-python"`
	Yanked           any               `json:"yanked"`
	CoreMetadata     any               `json:"core-metadata"`
	DistInfoMetadata any               `json:"dist-info-metadata"`
	Size             int               `json:"size"`
	UploadTime       string            `json:"upload-time"`
}

// simpleJSON builds a PEP 691 project page with the PEP 700 additions.
func (s *Server) simpleJSON(p *Project) any {
	page := struct {
		Meta     map[string]string `json:"meta"`
		Name     string            `json:"name"`
		Versions []string          `json:"versions"`
		Files    []simpleFile      `json:"files"`
	}{Meta: map[string]string{"api-version": "1.1"}, Name: p.NormalizedName, Versions: []string{}, Files: []simpleFile{}}
	for _, r := range p.Releases {
		page.Versions = append(page.Versions, r.Version.String())
		for _, f := range r.Files {
			sf := simpleFile{
				Filename:         f.Filename,
				URL:              s.fileURL(f.Filename, s.opts.RelativeURLs),
				Hashes:           map[string]string{"sha256": f.SHA256},
				RequiresPython:   optional(r.RequiresPython),
				Yanked:           yankedValue(r),
				CoreMetadata:     false,
				DistInfoMetadata: false,
				Size:             len(f.Data),
				UploadTime:       r.UploadTime.Format(isoTime),
			}
			if f.Metadata != nil && !s.opts.NoMetadataFiles {
				sf.CoreMetadata = map[string]string{"sha256": f.MetadataSHA256}
				sf.DistInfoMetadata = sf.CoreMetadata
			}
			page.Files = append(page.Files, sf)
		}
	}
	return page
}

// yankedValue is PEP 691's "yanked": false, true, or the reason.
func yankedValue(r *Release) any {
	if r.Yanked && r.YankedReason != "" {
		return r.YankedReason
	}
	return r.Yanked
}

// optional returns nil for "", else a pointer to s (JSON null or a string).
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// writeJSON encodes v (sorted map keys, no HTML escaping) and sends it.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, contentType string, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		http.Error(w, "500 "+err.Error(), http.StatusInternalServerError)
		return
	}
	s.writeNegotiated(w, r, contentType, b.Bytes())
}
