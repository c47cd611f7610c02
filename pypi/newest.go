package pypi

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep508"
)

// newestBoard hands out the metadata of a project's newest release as soon
// as its JSON API page has been read, before the whole page is parsed: a
// page such as botocore's (550 KB, 1,500 files) takes longer to parse than
// a round trip, and the newest release is the one a lock most often picks,
// so its requirements can be fetched meanwhile. The zero value is ready to
// use.
type newestBoard struct {
	mu     sync.Mutex
	byName map[string]*newestPost
}

// newestPost is the board's entry for one project: ready is closed once
// the page was read (rec is then its newest release's metadata, or nil) or
// the fetch of the project ended without one.
type newestPost struct {
	ready chan struct{}
	once  sync.Once
	rec   *metadataRecord
}

// entry returns the post of a project, made on first use.
func (b *newestBoard) entry(norm string) *newestPost {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.byName == nil {
		b.byName = map[string]*newestPost{}
	}
	p, ok := b.byName[norm]
	if !ok {
		p = &newestPost{ready: make(chan struct{})}
		b.byName[norm] = p
	}
	return p
}

// post records what a project's page says of its newest release; only the
// first post of a project counts. It reports whether rec was posted and
// not nil.
func (b *newestBoard) post(norm string, rec *metadataRecord) bool {
	p := b.entry(norm)
	posted := false
	p.once.Do(func() {
		p.rec, posted = rec, true
		close(p.ready)
	})
	return posted && rec != nil
}

// peekNewest reads the info object of a JSON API project page, when it
// comes first (as PyPI writes it), without parsing the rest; nil otherwise.
func peekNewest(body []byte) *metadataRecord {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	if key, err := dec.Token(); err != nil || key != "info" {
		return nil
	}
	var info jsonInfo
	if err := dec.Decode(&info); err != nil {
		return nil
	}
	rec := infoRecord(&info)
	return &rec
}

// NewestMetadata waits until the named project's page, which a concurrent
// Project call is fetching, has been read, and returns the metadata of the
// project's newest release if the page gave it (only JSON API pages do).
// ok is false when it did not, or when ctx ends first. It never asks the
// index itself.
func (c *Client) NewestMetadata(ctx context.Context, name string) (md dist.Metadata, ok bool) {
	rec := c.newest.record(ctx, pep508.NormalizeName(name))
	if rec == nil {
		return dist.Metadata{}, false
	}
	md, err := rec.metadata()
	return md, err == nil
}

// record waits, while ctx lasts, for the post of a project, and returns its
// record; nil when there is none or ctx ended first.
func (b *newestBoard) record(ctx context.Context, norm string) *metadataRecord {
	p := b.entry(norm)
	select {
	case <-p.ready:
		return p.rec
	case <-ctx.Done():
		return nil
	}
}
