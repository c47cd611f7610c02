package pypi

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/pylock/pylock/internal/cache"
	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// Project is everything an index lists for one project.
type Project struct {
	Name  string // PEP 503 normalized
	Files []File // sorted by version, then file name
	// FromJSONAPI is true when the files came from the PyPI JSON API rather
	// than the Simple API.
	FromJSONAPI bool
}

// File is one distribution file of a project.
type File struct {
	Filename           string
	URL                string // absolute, without fragment or credentials
	Version            pep440.Version
	Wheel              bool       // a .whl; otherwise a source distribution
	Tags               []dist.Tag // a wheel's compressed tags, expanded
	SHA256             string     // lowercase hex; "" when the index gave none
	Size               int64      // -1 when the index did not say
	RequiresPython     string     // as the index wrote it, unescaped; "" for any
	Yanked             bool
	YankedReason       string
	UploadTime         time.Time // zero when the index did not say
	CoreMetadata       bool      // PEP 658 metadata is offered at URL + ".metadata"
	CoreMetadataSHA256 string    // its sha256 when the index gave one

	releaseKey string // the JSON API release it is listed under, as spelled there; "" from the Simple API
}

// Release is one version of a project with its files.
type Release struct {
	Version pep440.Version
	// RequiresPython is the first parseable requires-python among the files
	// (wheels first); unparseable values are ignored, as pip ignores them.
	RequiresPython pep440.SpecifierSet
	Yanked         bool // every file of the release is yanked
	Files          []File
}

// Releases groups the files by version, in ascending version order. A
// release's Files share p.Files' memory (capped, so appending copies).
func (p *Project) Releases() []Release {
	count := 0
	for i := range p.Files {
		if i == 0 || !p.Files[i].Version.Equal(p.Files[i-1].Version) {
			count++
		}
	}
	out := make([]Release, 0, count)
	parsed := map[string]requiresPython{} // a page repeats a few strings over its files
	start := 0
	for i := 1; i <= len(p.Files); i++ {
		if i < len(p.Files) && p.Files[i].Version.Equal(p.Files[start].Version) {
			continue
		}
		out = append(out, newRelease(p.Files[start:i:i], parsed))
		start = i
	}
	return out
}

// Release returns the release of version v; ok is false when no file has
// that version.
func (p *Project) Release(v pep440.Version) (rel Release, ok bool) {
	files := p.FilesOf(v)
	if len(files) == 0 {
		return Release{}, false
	}
	return newRelease(files, map[string]requiresPython{}), true
}

// newRelease describes files of one version; parsed remembers the
// requires-python strings seen.
func newRelease(files []File, parsed map[string]requiresPython) Release {
	r := Release{Version: files[0].Version, Yanked: true, Files: files}
	for _, f := range files {
		r.Yanked = r.Yanked && f.Yanked
	}
	r.RequiresPython = releaseRequiresPython(files, parsed)
	return r
}

// requiresPython is a requires-python string as parsed, and whether it
// parsed.
type requiresPython struct {
	set pep440.SpecifierSet
	ok  bool
}

// releaseRequiresPython picks the first parseable requires-python, wheels
// first; parsed remembers the strings seen.
func releaseRequiresPython(files []File, parsed map[string]requiresPython) pep440.SpecifierSet {
	for _, wheels := range []bool{true, false} {
		for _, f := range files {
			if f.Wheel != wheels || f.RequiresPython == "" {
				continue
			}
			rp, seen := parsed[f.RequiresPython]
			if !seen {
				set, err := pep440.ParseSpecifierSet(f.RequiresPython)
				rp = requiresPython{set, err == nil}
				parsed[f.RequiresPython] = rp
			}
			if rp.ok {
				return rp.set
			}
		}
	}
	return nil
}

// FilesOf returns the files of version v, sharing p.Files' memory (capped,
// so appending copies).
func (p *Project) FilesOf(v pep440.Version) []File {
	start, _ := slices.BinarySearchFunc(p.Files, v, func(f File, v pep440.Version) int { return f.Version.Compare(v) })
	end := start
	for end < len(p.Files) && p.Files[end].Version.Equal(v) {
		end++
	}
	return p.Files[start:end:end]
}

// Versions returns the releases of a project (see Project and Releases).
func (c *Client) Versions(ctx context.Context, name string) ([]Release, error) {
	p, err := c.Project(ctx, name)
	if err != nil {
		return nil, err
	}
	return p.Releases(), nil
}

// Project returns every file of every version of the named project. Files
// that are neither wheels nor source distributions, or whose version does not
// parse, are left out. An unknown project gives a *NotFoundError.
func (c *Client) Project(ctx context.Context, name string) (*Project, error) {
	norm := pep508.NormalizeName(name)
	p, err := c.projects.do(ctx, norm, func() (*Project, error) {
		return c.fetchProject(ctx, norm)
	})
	var nf *NotFoundError
	if errors.As(err, &nf) && nf.Name != name {
		return nil, &NotFoundError{Name: name, Index: nf.Index}
	}
	return p, forPackage(ctx, err, name, "")
}

// fetchProject tries the JSON API, then the Simple API.
func (c *Client) fetchProject(ctx context.Context, norm string) (*Project, error) {
	defer c.newest.post(norm, nil) // no page said: NewestMetadata waits no longer
	if c.useJSONAPI() {
		pg, ok, err := c.jsonProject(ctx, norm)
		if err != nil {
			return nil, err
		}
		if ok {
			return c.project(norm, pg, true), nil
		}
	}
	pg, err := c.simpleProject(ctx, norm)
	if err != nil {
		return nil, err
	}
	if !c.offline {
		c.setJSONAPI(apiAbsent)
	}
	return c.project(norm, pg, false), nil
}

// project builds the project a page lists, and leaves its files, sorted, in
// the parsed-page cache when the page is to be kept there.
func (c *Client) project(norm string, pg page, fromJSON bool) *Project {
	p, kept := newProject(norm, pg.files, fromJSON)
	if pg.parsedKey != "" {
		sorted := pg.files
		if kept != nil {
			sorted = inOrder(pg.files, kept)
		}
		c.keepParsed(pg.parsedKey, sorted)
	}
	return p
}

// useJSONAPI reports whether the JSON API may be tried.
func (c *Client) useJSONAPI() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.jsonRoot != nil && c.jsonAPI != apiAbsent
}

// setJSONAPI records the answer to "does the JSON API exist" the first time
// it is known; the JSON API counts as present once it served a project. That
// it is absent is also written to the disk cache, so that later runs do not
// probe for it again (until --refresh).
func (c *Client) setJSONAPI(s apiState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.jsonAPI != apiUnknown {
		return
	}
	c.jsonAPI = s
	if s == apiAbsent && c.cache != nil {
		// A hint only: when it cannot be written, the next run probes again.
		_ = c.cache.Put(cache.Simple, c.noJSONAPIKey(), []byte("absent"))
	}
}

// noJSONAPIKey is the disk cache key of the note that the index has no JSON
// API.
func (c *Client) noJSONAPIKey() string {
	return "no-json-api " + stripUser(c.jsonRoot).String()
}

// loadJSONAPI reads the note setJSONAPI leaves on disk.
func (c *Client) loadJSONAPI() {
	if c.jsonRoot == nil || c.cache == nil || c.refresh {
		return
	}
	if _, ok, err := c.cache.Get(cache.Simple, c.noJSONAPIKey()); err == nil && ok {
		c.jsonAPI = apiAbsent
	}
}

// jsonProject fetches a project from the JSON API. ok is false when the
// caller should ask the Simple API instead (404, or no JSON API here).
func (c *Client) jsonProject(ctx context.Context, norm string) (page, bool, error) {
	u := c.jsonRoot.JoinPath(norm, "json")
	r, err := c.getPage(ctx, u, "application/json", true)
	if off := new(OfflineError); errors.As(err, &off) {
		return page{}, false, nil // offline: the Simple API page may be cached
	}
	if err != nil {
		return page{}, false, err
	}
	present := c.jsonAPIKnown()
	switch {
	case r.status == http.StatusNotFound || r.status == http.StatusGone:
		return page{}, false, nil
	case r.status != http.StatusOK:
		if present {
			return page{}, false, statusError(r)
		}
		return page{}, false, nil
	}
	// A page from the disk cache is not peeked at: its parse is the one
	// the parsed-page cache spares.
	if r.received && c.newest.post(norm, peekNewest(r.body)) {
		// Let those waiting for it send their requests before this
		// goroutine parses the page, which can take longer than a round
		// trip: a goroutine readied here would wait for this one to block
		// or be preempted.
		runtime.Gosched()
	}
	pg, err := c.parsePage(r, parseJSONProject)
	if err != nil {
		if present {
			return page{}, false, err
		}
		c.setJSONAPI(apiAbsent)
		return page{}, false, nil
	}
	c.setJSONAPI(apiPresent)
	return pg, true, c.keep(r)
}

// jsonAPIKnown reports whether the JSON API is known to exist.
func (c *Client) jsonAPIKnown() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.jsonAPI == apiPresent
}

// simpleProject fetches a project page from the Simple API.
func (c *Client) simpleProject(ctx context.Context, norm string) (page, error) {
	u := c.index.JoinPath(norm)
	u.Path += "/"
	r, found, err := foundOf(c.getPage(ctx, u, simpleAccept, true))
	if err != nil {
		return page{}, err
	}
	if !found {
		return page{}, &NotFoundError{Name: norm, Index: redact(c.index)}
	}
	parse := parseSimpleHTML
	if isJSON(r.header.Get("Content-Type")) {
		parse = parseSimpleJSON
	}
	pg, err := c.parsePage(r, parse)
	if err != nil {
		return page{}, err
	}
	return pg, c.keep(r)
}

// newProject parses the versions of raw files and sorts them. A file's
// JSON API release key, when it has one, is its version; each key is parsed
// once (a release's files share it). It also returns, for each of p.Files,
// the index of its raw file; nil when p.Files lists every raw file in order.
func newProject(norm string, raws []rawFile, fromJSON bool) (p *Project, kept []int32) {
	p = &Project{Name: norm, FromJSONAPI: fromJSON, Files: make([]File, 0, len(raws))}
	keys := map[string]*pep440.Version{} // nil: the key does not parse
	kept = make([]int32, 0, len(raws))
	for i, rf := range raws {
		f, ok := fileOf(norm, rf)
		if !ok {
			continue
		}
		if rf.Version != "" {
			v, seen := keys[rf.Version]
			if !seen {
				if parsed, err := pep440.Parse(rf.Version); err == nil {
					v = &parsed
				}
				keys[rf.Version] = v
			}
			if v == nil {
				continue
			}
			f.Version, f.releaseKey = *v, rf.Version
		}
		p.Files = append(p.Files, f)
		kept = append(kept, int32(i))
	}
	order := fileOrder(p.Files)
	if order == nil && len(kept) == len(raws) {
		return p, nil
	}
	if order != nil {
		p.Files, kept = inOrder(p.Files, order), inOrder(kept, order)
	}
	return p, kept
}

// fileOrder returns the indexes of files sorted by version, then file name,
// equal ones in their order; nil when files are sorted already, as the
// parsed-page cache keeps them. Indexes are sorted, not files: a File is
// large, and moving one costs more than comparing two.
func fileOrder(files []File) []int32 {
	compare := func(i, j int32) int {
		if c := files[i].Version.Compare(files[j].Version); c != 0 {
			return c
		}
		return strings.Compare(files[i].Filename, files[j].Filename)
	}
	sorted := true
	for i := int32(1); i < int32(len(files)) && sorted; i++ {
		sorted = compare(i-1, i) <= 0
	}
	if sorted {
		return nil
	}
	order := make([]int32, len(files))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, compare)
	return order
}

// inOrder returns xs[order[0]], xs[order[1]], ...
func inOrder[T any](xs []T, order []int32) []T {
	out := make([]T, len(order))
	for k, i := range order {
		out[k] = xs[i]
	}
	return out
}

// fileOf parses the version of one file from its name; ok is false for
// files pylock cannot use: unknown kinds, other projects' files,
// unparseable versions.
func fileOf(norm string, rf rawFile) (File, bool) {
	f := File{
		Filename: rf.Filename, URL: rf.URL, SHA256: rf.SHA256, Size: rf.Size,
		RequiresPython: rf.RequiresPython, Yanked: rf.Yanked, YankedReason: rf.YankedReason,
		UploadTime: rf.UploadTime, CoreMetadata: rf.CoreMetadata, CoreMetadataSHA256: rf.CoreMetadataSHA256,
	}
	if strings.HasSuffix(rf.Filename, ".whl") {
		w, err := dist.ParseWheelName(rf.Filename)
		if err != nil || w.NormalizedName() != norm {
			return File{}, false
		}
		f.Wheel, f.Version, f.Tags = true, w.Version, w.Tags
	} else {
		s, err := dist.ParseSdistNameFor(rf.Filename, norm)
		if err != nil {
			return File{}, false
		}
		f.Version = s.Version
	}
	return f, true
}

// releaseKeyOf is the JSON API release key that files of version v are
// listed under, as the index spells it (2.0.0 for a version pylock writes
// 2.0); the normal form when they came from elsewhere.
func releaseKeyOf(files []File, v pep440.Version) string {
	for _, f := range files {
		if f.releaseKey != "" {
			return f.releaseKey
		}
	}
	return v.String()
}
