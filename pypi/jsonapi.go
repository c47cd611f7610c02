package pypi

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// jsonProjectDoc is PyPI's /pypi/<name>/json document, the parts pylock reads.
type jsonProjectDoc struct {
	Info     *jsonInfo             `json:"info"`
	Releases map[string][]jsonFile `json:"releases"`
}

// jsonInfo is the "info" object. In the project document it describes only
// the newest release; per-version data comes from /pypi/<name>/<version>/json.
type jsonInfo struct {
	Name           string   `json:"name"`
	Version        string   `json:"version"`
	Summary        *string  `json:"summary"`
	RequiresPython *string  `json:"requires_python"`
	RequiresDist   []string `json:"requires_dist"`
	ProvidesExtra  []string `json:"provides_extra"`
}

type jsonFile struct {
	Filename       string      `json:"filename"`
	URL            string      `json:"url"`
	Digests        jsonDigests `json:"digests"`
	Size           *int64      `json:"size"`
	RequiresPython *string     `json:"requires_python"`
	Yanked         bool        `json:"yanked"`
	YankedReason   *string     `json:"yanked_reason"`
	UploadTime     string      `json:"upload_time_iso_8601"`
}

// jsonDigests is a file's "digests" object, the one digest pylock uses (a
// struct, not a map: a large page has thousands of files).
type jsonDigests struct {
	SHA256 string `json:"sha256"`
}

// parseJSONProject reads a JSON API project document into its files, each
// tagged with its release key.
func parseJSONProject(data []byte, page *url.URL) ([]rawFile, error) {
	const format = "JSON API document"
	var doc jsonProjectDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(page, format, err)
	}
	if doc.Info == nil || doc.Releases == nil {
		return nil, parseError(page, format, -1, `missing "info" or "releases"`)
	}
	var files []rawFile
	for version, list := range doc.Releases {
		for i, jf := range list {
			f, err := jf.raw(page, version)
			if err != nil {
				return nil, parseError(page, format, -1, fmt.Sprintf("releases[%q][%d]: %v", version, i, err))
			}
			files = append(files, f)
		}
	}
	return files, nil
}

// raw converts one JSON API file entry.
func (jf jsonFile) raw(page *url.URL, version string) (rawFile, error) {
	if jf.Filename == "" || jf.URL == "" {
		return rawFile{}, fmt.Errorf("missing filename or url")
	}
	u, sha, err := resolveFileURL(page, jf.URL)
	if err != nil {
		return rawFile{}, fmt.Errorf("invalid url %q", jf.URL)
	}
	f := rawFile{Filename: jf.Filename, URL: u.String(), Version: version, SHA256: sha, Size: -1, Yanked: jf.Yanked}
	if jf.Digests.SHA256 != "" {
		f.SHA256 = strings.ToLower(jf.Digests.SHA256)
	}
	if jf.Size != nil {
		f.Size = *jf.Size
	}
	if jf.RequiresPython != nil {
		f.RequiresPython = strings.TrimSpace(*jf.RequiresPython)
	}
	if jf.YankedReason != nil {
		f.YankedReason = *jf.YankedReason
	}
	if jf.UploadTime != "" {
		if f.UploadTime, err = time.Parse(time.RFC3339Nano, jf.UploadTime); err != nil {
			return rawFile{}, fmt.Errorf("invalid upload_time_iso_8601 %q", jf.UploadTime)
		}
	}
	return f, nil
}

// jsonVersionDoc is /pypi/<name>/<version>/json.
type jsonVersionDoc struct {
	Info *jsonInfo `json:"info"`
}

// parseJSONVersion reads a per-version JSON API document's info object.
func parseJSONVersion(data []byte, page *url.URL) (*jsonInfo, error) {
	const format = "JSON API document"
	var doc jsonVersionDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(page, format, err)
	}
	if doc.Info == nil {
		return nil, parseError(page, format, -1, `missing "info"`)
	}
	return doc.Info, nil
}
