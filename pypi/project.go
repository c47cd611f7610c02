package pypi

import (
	"context"
	"errors"
	"net/http"
	"sort"
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

	spelled map[string]string // normal version -> the index's release key
}

// File is one distribution file of a project.
type File struct {
	Filename           string
	URL                string // absolute, without fragment or credentials
	Version            pep440.Version
	Wheel              bool   // a .whl; otherwise a source distribution
	SHA256             string // lowercase hex; "" when the index gave none
	Size               int64  // -1 when the index did not say
	RequiresPython     string // as the index wrote it, unescaped; "" for any
	Yanked             bool
	YankedReason       string
	UploadTime         time.Time // zero when the index did not say
	CoreMetadata       bool      // PEP 658 metadata is offered at URL + ".metadata"
	CoreMetadataSHA256 string    // its sha256 when the index gave one
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
	var out []Release
	parsed := map[string]requiresPython{} // a page repeats a few strings over its files
	start := 0
	for i := 1; i <= len(p.Files); i++ {
		if i < len(p.Files) && p.Files[i].Version.Equal(p.Files[start].Version) {
			continue
		}
		r := Release{Version: p.Files[start].Version, Yanked: true, Files: p.Files[start:i:i]}
		for _, f := range r.Files {
			r.Yanked = r.Yanked && f.Yanked
		}
		r.RequiresPython = releaseRequiresPython(r.Files, parsed)
		out = append(out, r)
		start = i
	}
	return out
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

// FilesOf returns the files of version v.
func (p *Project) FilesOf(v pep440.Version) []File {
	var out []File
	for _, f := range p.Files {
		if f.Version.Equal(v) {
			out = append(out, f)
		}
	}
	return out
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
	if c.useJSONAPI() {
		files, ok, err := c.jsonProject(ctx, norm)
		if err != nil {
			return nil, err
		}
		if ok {
			return newProject(norm, files, true), nil
		}
	}
	files, err := c.simpleProject(ctx, norm)
	if err != nil {
		return nil, err
	}
	if !c.offline {
		c.setJSONAPI(apiAbsent)
	}
	return newProject(norm, files, false), nil
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
func (c *Client) jsonProject(ctx context.Context, norm string) ([]rawFile, bool, error) {
	u := c.jsonRoot.JoinPath(norm, "json")
	r, err := c.get(ctx, u, "application/json")
	if off := new(OfflineError); errors.As(err, &off) {
		return nil, false, nil // offline: the Simple API page may be cached
	}
	if err != nil {
		return nil, false, err
	}
	present := c.jsonAPIKnown()
	switch {
	case r.status == http.StatusNotFound || r.status == http.StatusGone:
		return nil, false, nil
	case r.status != http.StatusOK:
		if present {
			return nil, false, statusError(r)
		}
		return nil, false, nil
	}
	files, err := c.parseFiles(r, parseJSONProject)
	if err != nil {
		if present {
			return nil, false, err
		}
		c.setJSONAPI(apiAbsent)
		return nil, false, nil
	}
	c.setJSONAPI(apiPresent)
	return files, true, c.keep(r)
}

// jsonAPIKnown reports whether the JSON API is known to exist.
func (c *Client) jsonAPIKnown() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.jsonAPI == apiPresent
}

// simpleProject fetches a project page from the Simple API.
func (c *Client) simpleProject(ctx context.Context, norm string) ([]rawFile, error) {
	u := c.index.JoinPath(norm)
	u.Path += "/"
	r, found, err := c.getFound(ctx, u, simpleAccept)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, &NotFoundError{Name: norm, Index: redact(c.index)}
	}
	parse := parseSimpleHTML
	if isJSON(r.header.Get("Content-Type")) {
		parse = parseSimpleJSON
	}
	files, err := c.parseFiles(r, parse)
	if err != nil {
		return nil, err
	}
	return files, c.keep(r)
}

// newProject parses the versions of raw files and sorts them. A file's
// JSON API release key, when it has one, is its version; each key is parsed
// once (a release's files share it).
func newProject(norm string, raws []rawFile, fromJSON bool) *Project {
	p := &Project{Name: norm, FromJSONAPI: fromJSON, spelled: map[string]string{}, Files: make([]File, 0, len(raws))}
	keys := map[string]*pep440.Version{} // nil: the key does not parse
	for _, rf := range raws {
		f, ok := fileOf(norm, rf)
		if !ok {
			continue
		}
		if rf.Version != "" {
			v, seen := keys[rf.Version]
			if !seen {
				v = p.releaseKey(rf.Version)
				keys[rf.Version] = v
			}
			if v == nil {
				continue
			}
			f.Version = *v
		}
		p.Files = append(p.Files, f)
	}
	sort.SliceStable(p.Files, func(i, j int) bool {
		if c := p.Files[i].Version.Compare(p.Files[j].Version); c != 0 {
			return c < 0
		}
		return p.Files[i].Filename < p.Files[j].Filename
	})
	return p
}

// releaseKey parses a JSON API release key and records its spelling; nil
// when it does not parse.
func (p *Project) releaseKey(key string) *pep440.Version {
	v, err := pep440.Parse(key)
	if err != nil {
		return nil
	}
	p.spelled[v.String()] = key
	return &v
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
		f.Wheel, f.Version = true, w.Version
	} else {
		s, err := dist.ParseSdistNameFor(rf.Filename, norm)
		if err != nil {
			return File{}, false
		}
		f.Version = s.Version
	}
	return f, true
}

// spelling returns the index's spelling of version v (for JSON API URLs).
func (p *Project) spelling(v pep440.Version) string {
	if s, ok := p.spelled[v.String()]; ok {
		return s
	}
	return v.String()
}
