package testindex

import (
	"net/http"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// jsonInfo is the "info" object of the PyPI JSON API.
type jsonInfo struct {
	Author         string   `json:"author"`
	Classifiers    []string `json:"classifiers"`
	Description    string   `json:"description"`
	HomePage       string   `json:"home_page"`
	License        string   `json:"license"`
	Name           string   `json:"name"`
	PackageURL     string   `json:"package_url"`
	ProjectURL     string   `json:"project_url"`
	ReleaseURL     string   `json:"release_url"`
	RequiresDist   []string `json:"requires_dist"`
	RequiresPython *string  `json:"requires_python"`
	Summary        string   `json:"summary"`
	Version        string   `json:"version"`
	Yanked         bool     `json:"yanked"`
	YankedReason   *string  `json:"yanked_reason"`
}

// jsonFile is one file in the PyPI JSON API's "releases" and "urls".
type jsonFile struct {
	CommentText       string            `json:"comment_text"`
	Digests           map[string]string `json:"digests"`
	Downloads         int               `json:"downloads"`
	Filename          string            `json:"filename"`
	HasSig            bool              `json:"has_sig"`
	MD5Digest         string            `json:"md5_digest"`
	Packagetype       string            `json:"packagetype"`
	PythonVersion     string            `json:"python_version"`
	RequiresPython    *string           `json:"requires_python"`
	Size              int               `json:"size"`
	UploadTime        string            `json:"upload_time"`
	UploadTimeISO8601 string            `json:"upload_time_iso_8601"`
	URL               string            `json:"url"`
	Yanked            bool              `json:"yanked"`
	YankedReason      *string           `json:"yanked_reason"`
}

// jsonPage is a whole PyPI JSON API answer; Releases is nil (left out) on
// the per-version endpoint.
type jsonPage struct {
	Info            jsonInfo              `json:"info"`
	LastSerial      int                   `json:"last_serial"`
	Releases        map[string][]jsonFile `json:"releases,omitempty"`
	URLs            []jsonFile            `json:"urls"`
	Vulnerabilities []any                 `json:"vulnerabilities"`
}

// jsonProject finds the project of a JSON API request, redirecting
// non-normalized names as PyPI does. It returns nil when it has answered.
func (s *Server) jsonProject(w http.ResponseWriter, r *http.Request, suffix string) *Project {
	if s.opts.NoJSONAPI {
		http.NotFound(w, r)
		return nil
	}
	name := r.PathValue("name")
	if norm := pep508.NormalizeName(name); norm != name {
		http.Redirect(w, r, "/pypi/"+norm+"/"+suffix, http.StatusMovedPermanently)
		return nil
	}
	p := s.index().Project(name)
	if p == nil {
		http.NotFound(w, r)
		return nil
	}
	if err := s.index().ensureBuilt(p); err != nil {
		http.Error(w, "500 "+err.Error(), http.StatusInternalServerError)
		return nil
	}
	return p
}

// serveJSONProject answers /pypi/<name>/json: info for the newest final
// release, and every release's files.
func (s *Server) serveJSONProject(w http.ResponseWriter, r *http.Request) {
	p := s.jsonProject(w, r, "json")
	if p == nil {
		return
	}
	latest := p.Latest()
	page := s.jsonRelease(p, latest)
	page.Releases = map[string][]jsonFile{}
	for _, rel := range p.Releases {
		page.Releases[rel.Version.String()] = s.jsonFiles(rel)
	}
	s.writeJSON(w, r, "application/json", page)
}

// serveJSONRelease answers /pypi/<name>/<version>/json.
func (s *Server) serveJSONRelease(w http.ResponseWriter, r *http.Request) {
	p := s.jsonProject(w, r, r.PathValue("version")+"/json")
	if p == nil {
		return
	}
	v, err := pep440.Parse(r.PathValue("version"))
	var rel *Release
	if err == nil {
		rel = p.Release(v)
	}
	if rel == nil {
		http.NotFound(w, r)
		return
	}
	s.writeJSON(w, r, "application/json", s.jsonRelease(p, rel))
}

// jsonRelease builds the info and urls of one release.
func (s *Server) jsonRelease(p *Project, rel *Release) jsonPage {
	v := rel.Version.String()
	info := jsonInfo{
		Classifiers:    []string{},
		Name:           p.Name,
		PackageURL:     s.url + "/project/" + p.NormalizedName + "/",
		ProjectURL:     s.url + "/project/" + p.NormalizedName + "/",
		ReleaseURL:     s.url + "/project/" + p.NormalizedName + "/" + v + "/",
		RequiresDist:   rel.RequiresDist,
		RequiresPython: optional(rel.RequiresPython),
		Summary:        p.Summary,
		Version:        v,
		Yanked:         rel.Yanked,
		YankedReason:   yankedReason(rel),
	}
	return jsonPage{Info: info, LastSerial: 1, URLs: s.jsonFiles(rel), Vulnerabilities: []any{}}
}

func (s *Server) jsonFiles(rel *Release) []jsonFile {
	files := []jsonFile{}
	for _, f := range rel.Files {
		files = append(files, jsonFile{
			Digests:           map[string]string{"md5": f.MD5, "sha256": f.SHA256},
			Downloads:         -1,
			Filename:          f.Filename,
			MD5Digest:         f.MD5,
			Packagetype:       f.Packagetype,
			PythonVersion:     f.PythonVersion,
			RequiresPython:    optional(rel.RequiresPython),
			Size:              len(f.Data),
			UploadTime:        rel.UploadTime.Format("2006-01-02T15:04:05"),
			UploadTimeISO8601: rel.UploadTime.Format(isoTime),
			URL:               s.fileURL(f.Filename, false),
			Yanked:            rel.Yanked,
			YankedReason:      yankedReason(rel),
		})
	}
	return files
}

// yankedReason is the JSON API's yanked_reason: null unless a reason was given.
func yankedReason(rel *Release) *string {
	if !rel.Yanked {
		return nil
	}
	return optional(rel.YankedReason)
}
