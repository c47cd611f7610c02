package pypi

import (
	"net/url"
	"path"
	"strings"
	"time"
)

// rawFile is one file as an index page lists it, before its version is parsed.
type rawFile struct {
	Filename           string
	URL                string // absolute, no fragment, no credentials
	Version            string // the JSON API's release key; "" from the Simple API
	SHA256             string
	Size               int64 // -1 when unknown
	RequiresPython     string
	Yanked             bool
	YankedReason       string
	UploadTime         time.Time
	CoreMetadata       bool
	CoreMetadataSHA256 string
}

// resolveFileURL resolves href against base and splits off a "#sha256="
// fragment. The result carries no credentials and parses back.
func resolveFileURL(base *url.URL, href string) (abs *url.URL, sha string, err error) {
	ref, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return nil, "", err
	}
	u := base.ResolveReference(ref)
	if name, value, ok := strings.Cut(u.Fragment, "="); ok && name == "sha256" {
		sha = strings.ToLower(value)
	}
	u.Fragment, u.RawFragment = "", ""
	u = stripUser(u)
	// A reference can resolve to a URL that does not parse back (an empty
	// port after a host such as "//::"); it could never be fetched.
	if _, err := url.Parse(u.String()); err != nil {
		return nil, "", err
	}
	return u, sha, nil
}

// urlFilename is the last path segment of u.
func urlFilename(u *url.URL) string {
	return path.Base(u.Path)
}

// parseMetadataHash reads a PEP 658/714 attribute value: "true" or
// "<hashname>=<hex>" offers metadata; "" (absent) or "false" does not.
func parseMetadataHash(v string, present bool) (offered bool, sha string) {
	v = strings.TrimSpace(v)
	if !present || strings.EqualFold(v, "false") {
		return false, ""
	}
	if name, value, ok := strings.Cut(v, "="); ok && strings.EqualFold(name, "sha256") {
		return true, strings.ToLower(value)
	}
	return true, ""
}
