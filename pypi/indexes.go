package pypi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// Index is one package index of an Indexes.
type Index struct {
	Name string // "" for an unnamed index (e.g. --extra-index-url)
	URL  string // Simple API URL; may carry user:password
	// Explicit indexes are never searched: only packages pinned to them
	// use them.
	Explicit bool
}

// IndexesOptions configure NewIndexes.
type IndexesOptions struct {
	// Client holds the options every index's client shares; its IndexURL,
	// Username and Password are ignored.
	Client Options
	// Pins maps package names to the name of the index that alone may
	// serve them (uv's [tool.uv.sources] name = { index = "..." }).
	Pins map[string]string
	// Credentials says where to look up credentials beyond the URLs.
	Credentials CredentialSource
}

// Indexes answers questions about packages from several indexes, the way
// uv's "first-index" strategy does: a package pinned to an index comes from
// that index alone; any other comes from the first searched index, in the
// order given, that has it at all, and every version and file of it comes
// from that one index. Versions are never merged across indexes, so a
// package name registered on a public index cannot shadow a private package
// (dependency confusion). An index that fails for another reason than not
// having the package stops the search with its error: skipping it could
// take the package from a later index. Each index has its own Client and
// its own credentials, sent only to its host. Indexes is safe for
// concurrent use.
type Indexes struct {
	searched []*indexEntry
	all      []*indexEntry
	byName   map[string]*indexEntry
	pins     map[string]*indexEntry // by normalized package name
	chosen   memo[*indexEntry]
	opts     IndexesOptions

	mu    sync.Mutex
	extra map[string]*indexEntry // clients made for lock-file URLs, by URL
}

// indexEntry is one index with its client.
type indexEntry struct {
	name   string
	url    string // as given, without credentials
	shown  string // for messages: credentials redacted
	creds  Credentials
	client *Client
}

// UnknownIndexError reports a pin to an index name that is not configured.
type UnknownIndexError struct {
	Package, Index string
}

// Error implements error.
func (e *UnknownIndexError) Error() string {
	return fmt.Sprintf("%s is pinned to index '%s', which is not configured", e.Package, e.Index)
}

// AuthError reports an index that refused a request for want of (valid)
// credentials.
type AuthError struct {
	Index  string // the index name, "" if unnamed
	URL    string // the index URL, credentials redacted
	Status int    // 401 or 403
	Sent   bool   // whether credentials were sent
	From   string // where they came from (see Credentials.From)
}

// Error implements error.
func (e *AuthError) Error() string {
	who := e.URL
	if e.Index != "" {
		who = fmt.Sprintf("index '%s' (%s)", e.Index, e.URL)
	}
	status := fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
	if e.Sent {
		return fmt.Sprintf("%s answered %s: the credentials from %s were refused", who, status, e.From)
	}
	hint := "put them in the URL or in ~/.netrc"
	if e.Index != "" {
		user, pass := CredentialEnv(e.Index)
		hint = fmt.Sprintf("set %s and %s, or put them in ~/.netrc", user, pass)
	}
	return fmt.Sprintf("%s answered %s: it needs credentials (%s)", who, status, hint)
}

// NewIndexes returns the Indexes for list, searched in its order (explicit
// ones excepted), with credentials looked up for each.
func NewIndexes(list []Index, opts IndexesOptions) (*Indexes, error) {
	ix := &Indexes{byName: map[string]*indexEntry{}, pins: map[string]*indexEntry{}, opts: opts, extra: map[string]*indexEntry{}}
	for _, in := range list {
		e, err := ix.newEntry(in.Name, in.URL)
		if err != nil {
			return nil, err
		}
		ix.all = append(ix.all, e)
		if !in.Explicit {
			ix.searched = append(ix.searched, e)
		}
		if in.Name != "" {
			ix.byName[strings.ToLower(in.Name)] = e
		}
	}
	for pkg, name := range opts.Pins {
		e, ok := ix.byName[strings.ToLower(name)]
		if !ok {
			return nil, &UnknownIndexError{Package: pkg, Index: name}
		}
		ix.pins[pep508.NormalizeName(pkg)] = e
	}
	return ix, nil
}

// newEntry makes the client of one index, credentials moved out of its URL.
func (ix *Indexes) newEntry(name, raw string) (*indexEntry, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &IndexURLError{URL: redactString(raw)}
	}
	creds, err := ix.opts.Credentials.Lookup(name, u.String())
	if err != nil {
		return nil, err
	}
	shown := *u
	shown.User = nil
	switch {
	case creds.Password != "":
		shown.User = url.UserPassword(creds.Username, creds.Password)
	case creds.Username != "":
		shown.User = url.User(creds.Username) // a lone user name is a token: redact hides it whole
	}
	u.User = nil
	o := ix.opts.Client
	o.IndexURL, o.Username, o.Password = u.String(), creds.Username, creds.Password
	c, err := New(o)
	if err != nil {
		return nil, err
	}
	return &indexEntry{name: name, url: u.String(), shown: redact(&shown), creds: creds, client: c}, nil
}

// URLs returns the URLs of the indexes, without credentials, in the order
// given to NewIndexes.
func (ix *Indexes) URLs() []string {
	out := make([]string, len(ix.all))
	for i, e := range ix.all {
		out[i] = e.url
	}
	return out
}

// Project returns the named project from the index that serves it.
func (ix *Indexes) Project(ctx context.Context, name string) (*Project, error) {
	e, err := ix.choose(ctx, name)
	if err != nil {
		return nil, err
	}
	p, err := e.client.Project(ctx, name)
	return p, e.wrap(err)
}

// Metadata returns the core metadata of version v of the named project, from
// the index that serves it.
func (ix *Indexes) Metadata(ctx context.Context, name string, v pep440.Version) (dist.Metadata, error) {
	e, err := ix.choose(ctx, name)
	if err != nil {
		return dist.Metadata{}, err
	}
	m, err := e.client.Metadata(ctx, name, v)
	return m, e.wrap(err)
}

// NewestMetadata is Client.NewestMetadata for the index that a concurrent
// Project call asks first: the one the project is pinned to, else the first
// searched index (which serves it, if it has it at all).
func (ix *Indexes) NewestMetadata(ctx context.Context, name string) (dist.Metadata, bool) {
	e, ok := ix.pins[pep508.NormalizeName(name)]
	if !ok {
		if len(ix.searched) == 0 {
			return dist.Metadata{}, false
		}
		e = ix.searched[0]
	}
	return e.client.NewestMetadata(ctx, name)
}

// IndexOf returns the URL (without credentials) of the index that serves
// the named project.
func (ix *Indexes) IndexOf(ctx context.Context, name string) (string, error) {
	e, err := ix.choose(ctx, name)
	if err != nil {
		return "", err
	}
	return e.url, nil
}

// Download streams a file of the named project, from the client of the
// index that serves it (so its credentials go to that index's host only),
// checking its sha256 as Client.Download does.
func (ix *Indexes) Download(ctx context.Context, name, fileURL, sha string, dst io.Writer) error {
	e, err := ix.choose(ctx, name)
	if err != nil {
		return err
	}
	return e.wrap(e.client.Download(ctx, fileURL, sha, dst))
}

// CachedDownload is Client.CachedDownload through the client of the index
// at indexURL (as a lock file records it): a configured index, or else one
// made on first use with credentials from the environment's netrc.
func (ix *Indexes) CachedDownload(ctx context.Context, indexURL, fileURL, sha string) (string, error) {
	e, err := ix.entryFor(indexURL)
	if err != nil {
		return "", err
	}
	path, err := e.client.CachedDownload(ctx, fileURL, sha)
	return path, e.wrap(err)
}

// entryFor finds or makes the entry of the index at raw.
func (ix *Indexes) entryFor(raw string) (*indexEntry, error) {
	key := strings.TrimRight(raw, "/")
	for _, e := range ix.all {
		if strings.TrimRight(e.url, "/") == key {
			return e, nil
		}
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if e, ok := ix.extra[key]; ok {
		return e, nil
	}
	e, err := ix.newEntry("", key)
	if err != nil {
		return nil, err
	}
	ix.extra[key] = e
	return e, nil
}

// choose finds, once per package, the index that serves it.
func (ix *Indexes) choose(ctx context.Context, name string) (*indexEntry, error) {
	norm := pep508.NormalizeName(name)
	if e, ok := ix.pins[norm]; ok {
		return e, nil
	}
	e, err := ix.chosen.do(ctx, norm, func() (*indexEntry, error) {
		for _, e := range ix.searched {
			_, err := e.client.Project(ctx, norm)
			var nf *NotFoundError
			if errors.As(err, &nf) {
				continue
			}
			if err != nil {
				return nil, e.wrap(err)
			}
			return e, nil
		}
		return nil, &NotFoundError{Name: norm, Index: ix.searchedList()}
	})
	var nf *NotFoundError
	if errors.As(err, &nf) && nf.Name != name {
		return nil, &NotFoundError{Name: name, Index: nf.Index}
	}
	return e, err
}

// searchedList names the searched indexes for a message.
func (ix *Indexes) searchedList() string {
	urls := make([]string, len(ix.searched))
	for i, e := range ix.searched {
		urls[i] = e.url
	}
	if len(urls) == 0 {
		return "no index (every configured index is explicit)"
	}
	return strings.Join(urls, " or ")
}

// wrap turns a 401 or 403 from the index into an *AuthError.
func (e *indexEntry) wrap(err error) error {
	var se *StatusError
	if errors.As(err, &se) && (se.Status == http.StatusUnauthorized || se.Status == http.StatusForbidden) &&
		sameHost(se.URL, e.url) {
		return &AuthError{Index: e.name, URL: e.shown, Status: se.Status, Sent: !e.creds.IsZero(), From: e.creds.From}
	}
	return err
}

// sameHost reports whether two URLs (the first possibly redacted) name the
// same host.
func sameHost(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	return errA == nil && errB == nil && ua.Host == ub.Host
}
