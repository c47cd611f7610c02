package pypi

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/pylock/pylock/internal/cache"
)

// cachedPage is an index page kept on disk with its validators.
type cachedPage struct {
	URL          string `json:"url"` // final URL, without credentials
	ContentType  string `json:"content_type,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	Body         []byte `json:"body"`
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

// response rebuilds the 200 response the page was stored from.
func (p *cachedPage) response() *response {
	u, _ := url.Parse(p.URL)
	return &response{url: u, status: http.StatusOK, header: http.Header{"Content-Type": {p.ContentType}}, body: p.Body}
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
	var p cachedPage
	if json.Unmarshal(data, &p) != nil {
		return nil
	}
	if _, err := url.Parse(p.URL); err != nil {
		return nil
	}
	return &p
}

// storePage keeps a successful response that can be revalidated.
func (c *Client) storePage(key string, r *response) error {
	etag, modified := r.header.Get("ETag"), r.header.Get("Last-Modified")
	if c.cache == nil || r.status != http.StatusOK || (etag == "" && modified == "") {
		return nil
	}
	p := cachedPage{URL: stripUser(r.url).String(), ContentType: r.header.Get("Content-Type"),
		ETag: etag, LastModified: modified, Body: r.body}
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.cache.Put(cache.Simple, key, data)
}
