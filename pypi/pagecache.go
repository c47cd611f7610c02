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
	return &response{url: u, status: http.StatusOK, header: http.Header{"Content-Type": {p.ContentType}}, body: p.Body}
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

// cachedPage reads a page from the disk cache; unreadable entries count as
// missing (and are overwritten by the next store).
func (c *Client) cachedPage(key string) *cachedPage {
	if c.cache == nil {
		return nil
	}
	data, ok, err := c.cache.Get(cache.Simple, key)
	if err != nil || !ok {
		return nil
	}
	p, ok := decodePage(data)
	if !ok {
		return nil
	}
	if _, err := url.Parse(p.URL); err != nil {
		return nil
	}
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
// inside the header, so the first one ends it).
func decodePage(data []byte) (*cachedPage, bool) {
	header, body, found := bytes.Cut(data, []byte{'\n'})
	var p cachedPage
	if !found || json.Unmarshal(header, &p) != nil {
		return nil, false
	}
	p.Body = body
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

// pageHeadMax is how much of a page entry parsedFreshPage reads for its
// header line; a longer header is read whole by cachedPage instead.
const pageHeadMax = 4 << 10

// parsedFreshPage answers a project page from its disk entry's header and
// the parsed-page cache alone, when the page may be used without asking
// the index (fresh, or offline) and its files were kept as parsed: the
// body, which can be half a megabyte, is then not read or hashed. It
// returns nil when the full entry must be read.
func (c *Client) parsedFreshPage(key string) *response {
	if c.cache == nil {
		return nil
	}
	head, ok, err := c.cache.GetHead(cache.Simple, key, pageHeadMax)
	if err != nil || !ok {
		return nil
	}
	header, _, found := bytes.Cut(head, []byte{'\n'})
	var p cachedPage
	if !found || json.Unmarshal(header, &p) != nil || p.BodySHA256 == "" {
		return nil
	}
	if !c.offline && (c.refresh || !p.fresh(c.now())) {
		return nil
	}
	u, err := url.Parse(p.URL)
	if err != nil {
		return nil
	}
	files, ok := c.cachedParse(p.BodySHA256, u)
	if !ok {
		return nil
	}
	r := p.response()
	r.parsed, r.parsedOK = files, true
	return r
}
