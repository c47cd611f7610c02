package pypi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pylock/pylock/internal/cache"
)

// cachedPage is an index page kept on disk with what HTTP caching needs:
// its validators and how long it stays fresh.
type cachedPage struct {
	URL          string    `json:"url"` // final URL, without credentials
	ContentType  string    `json:"content_type,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Stored       time.Time `json:"stored"`             // when the response was generated, by the local clock
	Lifetime     int64     `json:"lifetime,omitempty"` // seconds it is fresh for after Stored; 0: revalidate
	NoCache      bool      `json:"no_cache,omitempty"` // Cache-Control: no-cache, always revalidate
	// BodySHA256 is the hex sha256 of Body, which keys the page's parsed
	// files; "" in entries written before it was recorded.
	BodySHA256 string `json:"body_sha256,omitempty"`
	Body       []byte `json:"-"` // stored after the header line, as received

	// files, when filesOK, are the page's files from the parsed-page cache,
	// read instead of a large body (Body is then nil).
	files   []rawFile
	filesOK bool
}

// conditions adds the validators to a request's headers.
func (p *cachedPage) conditions(h http.Header) {
	if p.ETag != "" {
		h.Set("If-None-Match", p.ETag)
	}
	if p.LastModified != "" {
		h.Set("If-Modified-Since", p.LastModified)
	}
}

// fresh reports whether the page may be used at now without asking the
// server.
func (p *cachedPage) fresh(now time.Time) bool {
	return !p.NoCache && p.Lifetime > 0 && now.Sub(p.Stored) < time.Duration(p.Lifetime)*time.Second
}

// response rebuilds the 200 response the page was stored from.
func (p *cachedPage) response() *response {
	u, _ := url.Parse(p.URL)
	return &response{url: u, status: http.StatusOK, header: http.Header{"Content-Type": {p.ContentType}},
		body: p.Body, sum: p.BodySHA256, parsed: p.files, parsedOK: p.filesOK}
}

// usable reports whether a page on disk may be used without asking the
// index: it is fresh (and the client is not refreshing), or the client is
// offline.
func (c *Client) usable(p *cachedPage) bool {
	return c.offline || (!c.refresh && p.fresh(c.now()))
}

// setFreshness records the caching headers of a response received at now.
func (p *cachedPage) setFreshness(h http.Header, now time.Time) {
	p.Stored = now
	if age, err := strconv.ParseInt(strings.TrimSpace(h.Get("Age")), 10, 64); err == nil && age > 0 {
		p.Stored = now.Add(-time.Duration(age) * time.Second)
	}
	cc := cacheControl(h)
	_, p.NoCache = cc["no-cache"]
	p.Lifetime = 0
	if v, ok := cc["max-age"]; ok {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			p.Lifetime = n
		}
		return
	}
	expires, err1 := http.ParseTime(h.Get("Expires"))
	date, err2 := http.ParseTime(h.Get("Date"))
	if err1 == nil && err2 == nil && expires.After(date) {
		p.Lifetime = int64(expires.Sub(date) / time.Second)
	}
}

// cacheControl parses the Cache-Control directives of h, names lowercased.
func cacheControl(h http.Header) map[string]string {
	out := map[string]string{}
	for _, line := range h.Values("Cache-Control") {
		for _, d := range strings.Split(line, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), "=")
			if name != "" {
				out[strings.ToLower(name)] = strings.Trim(value, `"`)
			}
		}
	}
	return out
}

// pageHeadMax is how much of a project page's entry cachedPage reads first:
// the whole of most entries, and the header line of the others.
const pageHeadMax = 4 << 10

// cachedPage reads a page from the disk cache; unreadable entries count as
// missing (and are overwritten by the next store). A project page's entry
// larger than pageHeadMax that is usable and whose files the parsed-page
// cache holds is answered with those files, its body (which can be half a
// megabyte) left unread. Other entries are read whole, once.
func (c *Client) cachedPage(key string, project bool) *cachedPage {
	if c.cache == nil {
		return nil
	}
	if !project {
		return c.wholeCachedPage(key)
	}
	head, ok, err := c.cache.GetHead(cache.Simple, key, pageHeadMax)
	if err != nil || !ok {
		return nil
	}
	if len(head) < pageHeadMax { // the whole entry
		p, _ := decodePage(head)
		return p
	}
	if header, _, found := bytes.Cut(head, []byte{'\n'}); found {
		if p, ok := decodeHeader(header); ok && p.BodySHA256 != "" && c.usable(p) {
			if p.files, p.filesOK = c.cachedParse(p.BodySHA256, p.URL); p.filesOK {
				return p
			}
		}
	}
	return c.wholeCachedPage(key)
}

// wholeCachedPage reads a page's whole entry from the disk cache.
func (c *Client) wholeCachedPage(key string) *cachedPage {
	data, ok, err := c.cache.Get(cache.Simple, key)
	if err != nil || !ok {
		return nil
	}
	p, _ := decodePage(data)
	return p
}

// encodePage is a page's disk entry: its header as one line of JSON, then
// the body as received. Storing the body as a JSON string instead
// (base64) made every warm lock scan and decode each page twice.
func encodePage(p *cachedPage) ([]byte, error) {
	header, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return append(append(header, '\n'), p.Body...), nil
}

// decodePage reads an entry encodePage wrote (JSON escapes every newline
// inside the header, so the first one ends it). An entry written before
// pylock recorded the body's digest gets it here.
func decodePage(data []byte) (*cachedPage, bool) {
	header, body, found := bytes.Cut(data, []byte{'\n'})
	if !found {
		return nil, false
	}
	p, ok := decodeHeader(header)
	if !ok {
		return nil, false
	}
	p.Body = body
	if p.BodySHA256 == "" {
		p.BodySHA256 = bodySum(body)
	}
	return p, true
}

// decodeHeader reads an entry's header line; ok is false unless it is JSON
// with a URL that parses.
func decodeHeader(header []byte) (*cachedPage, bool) {
	var p cachedPage
	if json.Unmarshal(header, &p) != nil {
		return nil, false
	}
	if _, err := url.Parse(p.URL); err != nil {
		return nil, false
	}
	return &p, true
}

// entryFor is the disk entry for a response just received, or nil when it
// must not be stored: no cache, not a 200, or Cache-Control: no-store.
func (c *Client) entryFor(r *response, now time.Time) *cachedPage {
	if c.cache == nil || r.status != http.StatusOK {
		return nil
	}
	if _, ok := cacheControl(r.header)["no-store"]; ok {
		return nil
	}
	p := &cachedPage{URL: stripUser(r.url).String(), ContentType: r.header.Get("Content-Type"),
		ETag: r.header.Get("ETag"), LastModified: r.header.Get("Last-Modified"), Body: r.body, BodySHA256: bodySum(r.body)}
	p.setFreshness(r.header, now)
	return p
}

// keep stores a page on disk once its caller has parsed it: a response that
// is malformed, or fails its hash check, is never kept.
func (c *Client) keep(r *response) error {
	if r.entry == nil || c.cache == nil {
		return nil
	}
	data, err := encodePage(r.entry)
	if err != nil {
		return err
	}
	return c.cache.Put(cache.Simple, r.key, data)
}

// bodySum is the hex sha256 of a page's body.
func bodySum(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}
