package pypi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/pylock/pylock/internal/cache"
	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// metadataRecord is core metadata in a form that is remembered and cached on
// disk; requirements are kept as strings and parsed on the way out.
type metadataRecord struct {
	MetadataVersion string   `json:"metadata_version,omitempty"`
	Name            string   `json:"name"`
	Version         string   `json:"version"`
	RequiresPython  string   `json:"requires_python,omitempty"`
	Summary         string   `json:"summary,omitempty"`
	RequiresDist    []string `json:"requires_dist,omitempty"`
	ProvidesExtra   []string `json:"provides_extra,omitempty"`
	Dynamic         []string `json:"dynamic,omitempty"`
}

// recordOf converts parsed metadata into a record.
func recordOf(m dist.Metadata) metadataRecord {
	r := metadataRecord{MetadataVersion: m.MetadataVersion, Name: m.Name, Version: m.Version, RequiresPython: m.RequiresPython,
		Summary: m.Summary, ProvidesExtra: m.ProvidesExtra, Dynamic: m.Dynamic}
	for _, req := range m.RequiresDist {
		r.RequiresDist = append(r.RequiresDist, req.String())
	}
	return r
}

// metadata parses the record's requirements.
func (r metadataRecord) metadata() (dist.Metadata, error) {
	m := dist.Metadata{MetadataVersion: r.MetadataVersion, Name: r.Name, Version: r.Version, RequiresPython: r.RequiresPython,
		Summary: r.Summary, ProvidesExtra: r.ProvidesExtra, Dynamic: r.Dynamic}
	for _, s := range r.RequiresDist {
		req, err := pep508.ParseRequirement(s)
		if err != nil {
			return dist.Metadata{}, err
		}
		m.RequiresDist = append(m.RequiresDist, req)
	}
	return m, nil
}

// Metadata returns the core metadata of version v of the named project: from
// the JSON API's per-version document, else the PEP 658 metadata file
// (checked against its hash when the index gave one), else the METADATA file
// of a wheel read by range requests, else by downloading the wheel. A
// release with only source distributions is read from the sdist's PKG-INFO
// when PEP 643 says it can be trusted (Metadata 2.2+, dependencies not
// dynamic); otherwise it gives a *MetadataError.
func (c *Client) Metadata(ctx context.Context, name string, v pep440.Version) (dist.Metadata, error) {
	norm := pep508.NormalizeName(name)
	rec, err := c.metas.do(ctx, norm+"=="+v.String(), func() (metadataRecord, error) {
		return c.fetchMetadata(ctx, norm, v)
	})
	if err != nil {
		return dist.Metadata{}, forPackage(ctx, err, name, v.String())
	}
	return rec.metadata()
}

// fetchMetadata finds metadata on disk or on the index, and caches it.
func (c *Client) fetchMetadata(ctx context.Context, norm string, v pep440.Version) (metadataRecord, error) {
	key := stripUser(c.index).String() + " " + norm + " " + v.String()
	if !c.refresh {
		if rec, ok := c.cachedMetadata(key); ok {
			return rec, nil
		}
	}
	p, err := c.Project(ctx, norm)
	if err != nil {
		return metadataRecord{}, err
	}
	files := p.FilesOf(v)
	if len(files) == 0 {
		return metadataRecord{}, &MetadataError{Name: norm, Version: v.String(), Msg: "the index lists no files for this version"}
	}
	// Versions that are equal but spelled differently (2.0, 2.0.0) share one fetch.
	canonical := files[0].Version
	rec, err := c.fetched.do(ctx, norm+"=="+canonical.String(), func() (metadataRecord, error) {
		return c.indexMetadata(ctx, p, canonical, files)
	})
	if err != nil {
		return metadataRecord{}, err
	}
	if c.cache != nil {
		if data, err := json.Marshal(rec); err == nil {
			if err := c.cache.Put(cache.Metadata, key, data); err != nil {
				return metadataRecord{}, err
			}
		}
	}
	return rec, nil
}

// cachedMetadata reads a record from the disk cache; unreadable entries are
// treated as missing and will be overwritten.
func (c *Client) cachedMetadata(key string) (metadataRecord, bool) {
	if c.cache == nil {
		return metadataRecord{}, false
	}
	data, ok, err := c.cache.Get(cache.Metadata, key)
	if err != nil || !ok {
		return metadataRecord{}, false
	}
	var rec metadataRecord
	if json.Unmarshal(data, &rec) != nil {
		return metadataRecord{}, false
	}
	if _, err := rec.metadata(); err != nil {
		return metadataRecord{}, false
	}
	return rec, true
}

// indexMetadata asks the index, trying each source in turn.
func (c *Client) indexMetadata(ctx context.Context, p *Project, v pep440.Version, files []File) (metadataRecord, error) {
	if p.FromJSONAPI {
		if rec, ok := c.newestMetadata(ctx, p.Name, v); ok {
			return rec, nil
		}
		rec, ok, err := c.jsonMetadata(ctx, p.Name, releaseKeyOf(files, v))
		if err != nil || ok {
			return rec, err
		}
	}
	wheel, ok := pickWheel(files)
	if !ok {
		return c.sdistMetadata(ctx, p.Name, files[0])
	}
	if wheel.CoreMetadata {
		rec, ok, err := c.pep658Metadata(ctx, p.Name, wheel)
		if err != nil || ok {
			return rec, err
		}
	}
	return c.wheelMetadata(ctx, p.Name, wheel)
}

// pickWheel chooses the wheel to read metadata from: one offering PEP 658
// metadata if any, else the first.
func pickWheel(files []File) (File, bool) {
	var first *File
	for i, f := range files {
		if !f.Wheel {
			continue
		}
		if f.CoreMetadata {
			return f, true
		}
		if first == nil {
			first = &files[i]
		}
	}
	if first == nil {
		return File{}, false
	}
	return *first, true
}

// jsonMetadata reads /pypi/<name>/<version>/json. ok is false on a 404.
func (c *Client) jsonMetadata(ctx context.Context, norm, version string) (metadataRecord, bool, error) {
	u := c.jsonRoot.JoinPath(norm, version, "json")
	r, found, err := c.getFound(ctx, u, "application/json")
	if !found || err != nil {
		return metadataRecord{}, false, err
	}
	info, err := parseJSONVersion(r.body, r.url)
	if err != nil {
		return metadataRecord{}, false, err
	}
	rec := infoRecord(info)
	if _, err := rec.metadata(); err != nil {
		return metadataRecord{}, false, &MetadataError{Name: norm, Version: version, URL: redact(r.url),
			Msg: "invalid requires_dist", Err: err}
	}
	return rec, true, c.keep(r)
}

// infoRecord is the metadata a JSON API info object gives.
func infoRecord(info *jsonInfo) metadataRecord {
	rec := metadataRecord{Name: info.Name, Version: info.Version, RequiresDist: info.RequiresDist,
		ProvidesExtra: info.ProvidesExtra}
	if info.RequiresPython != nil {
		rec.RequiresPython = strings.TrimSpace(*info.RequiresPython)
	}
	if info.Summary != nil {
		rec.Summary = *info.Summary
	}
	return rec
}

// newestMetadata is the metadata of version v when the project's JSON API
// page gave it (PyPI's describes the newest release, the one a lock most
// often picks): it spares a request that would have to wait for the page.
// The project has been fetched, so its post is there: this does not wait.
func (c *Client) newestMetadata(ctx context.Context, norm string, v pep440.Version) (metadataRecord, bool) {
	rec := c.newest.record(ctx, norm)
	if rec == nil {
		return metadataRecord{}, false
	}
	nv, err := pep440.Parse(rec.Version)
	if err != nil || !nv.Equal(v) {
		return metadataRecord{}, false
	}
	if _, err := rec.metadata(); err != nil {
		return metadataRecord{}, false // the version's own document says what is wrong
	}
	return *rec, true
}

// pep658Metadata reads <wheel URL>.metadata. ok is false on a 404.
func (c *Client) pep658Metadata(ctx context.Context, norm string, f File) (metadataRecord, bool, error) {
	u, err := url.Parse(f.URL + ".metadata")
	if err != nil {
		return metadataRecord{}, false, &MetadataError{Name: norm, Version: f.Version.String(), Msg: "invalid file URL"}
	}
	r, found, err := c.getFound(ctx, u, "*/*")
	if !found || err != nil {
		return metadataRecord{}, false, err
	}
	if f.CoreMetadataSHA256 != "" {
		sum := sha256.Sum256(r.body)
		if got := hex.EncodeToString(sum[:]); got != f.CoreMetadataSHA256 {
			return metadataRecord{}, false, &HashMismatchError{URL: redact(u), Want: f.CoreMetadataSHA256, Got: got}
		}
	}
	rec, err := parseRecord(norm, f.Version.String(), redact(u), r.body)
	if err != nil {
		return metadataRecord{}, false, err
	}
	return rec, true, c.keep(r)
}

// parseRecord parses METADATA text into a record.
func parseRecord(norm, version, source string, data []byte) (metadataRecord, error) {
	m, err := dist.ParseMetadata(data)
	if err != nil {
		return metadataRecord{}, &MetadataError{Name: norm, Version: version, URL: source, Msg: "invalid METADATA", Err: err}
	}
	return recordOf(m), nil
}
