package lockfile

import (
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/pylock/pylock/pep440"
)

// hashLengths are the hex digest lengths of the common algorithms.
var hashLengths = map[string]int{
	"md5": 32, "sha1": 40, "sha224": 56, "sha256": 64, "sha384": 96, "sha512": 128,
	"sha3_224": 56, "sha3_256": 64, "sha3_384": 96, "sha3_512": 128, "blake2b": 128, "blake2s": 64,
}

// decodeSources reads vcs, directory and archive, which exclude each other
// and the sdist and wheels.
func decodeSources(t *table, p *Package) *fieldError {
	var fe *fieldError
	if p.VCS, fe = decodeVCS(t); fe != nil {
		return fe
	}
	if p.Directory, fe = decodeDirectory(t); fe != nil {
		return fe
	}
	if p.Archive, fe = decodeArchive(t); fe != nil {
		return fe
	}
	var set []string
	for _, k := range []string{"vcs", "directory", "archive", "sdist", "wheels"} {
		if _, ok := t.m[k]; ok {
			set = append(set, k)
		}
	}
	if len(set) > 1 && (p.VCS != nil || p.Directory != nil || p.Archive != nil) {
		return t.fail(set[1], "", "%s and %s are mutually exclusive", set[0], set[1])
	}
	return nil
}

func decodeVCS(pt *table) (*VCS, *fieldError) {
	t, fe := pt.sub("vcs", "")
	if fe != nil || t == nil {
		return nil, fe
	}
	v := &VCS{}
	for _, f := range []struct {
		key      string
		dst      *string
		required bool
	}{
		{"type", &v.Type, true}, {"url", &v.URL, false}, {"path", &v.Path, false},
		{"requested-revision", &v.RequestedRevision, false}, {"commit-id", &v.CommitID, true},
		{"subdirectory", &v.Subdirectory, false},
	} {
		if *f.dst, fe = t.str(f.key, f.required); fe != nil {
			return nil, fe
		}
	}
	if v.URL == "" && v.Path == "" {
		return nil, t.fail("url", "", "one of url and path is required")
	}
	return v, t.checkUnknown()
}

func decodeDirectory(pt *table) (*Directory, *fieldError) {
	t, fe := pt.sub("directory", "")
	if fe != nil || t == nil {
		return nil, fe
	}
	d := &Directory{}
	if d.Path, fe = t.str("path", true); fe != nil {
		return nil, fe
	}
	if d.Editable, fe = t.boolean("editable"); fe != nil {
		return nil, fe
	}
	if d.Subdirectory, fe = t.str("subdirectory", false); fe != nil {
		return nil, fe
	}
	return d, t.checkUnknown()
}

// fileInfo is what archives, sdists and wheels share.
type fileInfo struct {
	name, url, path string
	size            int64
	uploadTime      time.Time
	hashes          map[string]string
}

// decodeFileInfo reads url, path, size, upload-time, hashes and (when
// withName) name, filling the name from url or path when absent.
func decodeFileInfo(t *table, withName bool) (fileInfo, *fieldError) {
	var fi fileInfo
	var fe *fieldError
	if withName {
		if fi.name, fe = t.str("name", false); fe != nil {
			return fi, fe
		}
	}
	if fi.url, fe = t.str("url", false); fe != nil {
		return fi, fe
	}
	if fi.path, fe = t.str("path", false); fe != nil {
		return fi, fe
	}
	if fi.url == "" && fi.path == "" {
		return fi, t.fail("url", "", "one of url and path is required")
	}
	size, _, fe := t.integer("size")
	if fe != nil {
		return fi, fe
	}
	if size < 0 {
		return fi, t.fail("size", "", "negative size %d", size)
	}
	fi.size = size
	if fi.uploadTime, fe = t.datetime("upload-time"); fe != nil {
		return fi, fe
	}
	if fi.hashes, fe = decodeHashes(t); fe != nil {
		return fi, fe
	}
	if withName && fi.name == "" {
		fi.name = baseName(fi.url, fi.path)
	}
	if withName && fi.name == "" {
		return fi, t.fail("name", "", "missing file name")
	}
	return fi, nil
}

// baseName is the last component of the URL's path, or else of path.
func baseName(rawURL, p string) string {
	if rawURL != "" {
		u, err := url.Parse(rawURL)
		if err != nil {
			return ""
		}
		b := path.Base(u.Path)
		if b == "/" || b == "." {
			return ""
		}
		return b
	}
	p = strings.ReplaceAll(p, `\`, "/")
	b := path.Base(p)
	if b == "/" || b == "." || b == ".." {
		return ""
	}
	return b
}

func decodeHashes(t *table) (map[string]string, *fieldError) {
	ht, fe := t.sub("hashes", t.line)
	if fe != nil {
		return nil, fe
	}
	if ht == nil || len(ht.m) == 0 {
		return nil, nil // reported by Validate, so that --allow-unhashed can install it
	}
	out := make(map[string]string, len(ht.m))
	for _, alg := range ht.rest() {
		h, fe := ht.str(alg, true)
		if fe != nil {
			return nil, fe
		}
		if fe := checkHash(ht, alg, h); fe != nil {
			return nil, fe
		}
		out[alg] = h
	}
	return out, nil
}

func checkHash(t *table, alg, h string) *fieldError {
	if alg == "" || h == "" {
		return t.fail(alg, h, "empty hash")
	}
	for _, r := range h {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return t.fail(alg, h, "hash %q is not hexadecimal", h)
		}
	}
	if n, ok := hashLengths[strings.ToLower(alg)]; ok && len(h) != n {
		return t.fail(alg, h, "%s hash has %d digits, want %d", alg, len(h), n)
	}
	return nil
}

func decodeArchive(pt *table) (*Archive, *fieldError) {
	t, fe := pt.sub("archive", "")
	if fe != nil || t == nil {
		return nil, fe
	}
	fi, fe := decodeFileInfo(t, false)
	if fe != nil {
		return nil, fe
	}
	a := &Archive{URL: fi.url, Path: fi.path, Size: fi.size, UploadTime: fi.uploadTime, Hashes: fi.hashes}
	if a.Subdirectory, fe = t.str("subdirectory", false); fe != nil {
		return nil, fe
	}
	return a, t.checkUnknown()
}

// decodeFiles reads the sdist and the wheels.
func decodeFiles(t *table, p *Package) *fieldError {
	st, fe := t.sub("sdist", "")
	if fe != nil {
		return fe
	}
	if st != nil {
		fi, fe := decodeFileInfo(st, true)
		if fe != nil {
			return fe
		}
		p.Sdist = &Sdist{Name: fi.name, URL: fi.url, Path: fi.path, Size: fi.size, UploadTime: fi.uploadTime, Hashes: fi.hashes}
		if fe = st.checkUnknown(); fe != nil {
			return fe
		}
	}
	wts, fe := t.tables("wheels")
	if fe != nil {
		return fe
	}
	want := packageVersion(p)
	for _, wt := range wts {
		w, fe := decodeWheel(wt, p, want)
		if fe != nil {
			return fe
		}
		p.Wheels = append(p.Wheels, w)
	}
	return nil
}

func decodeWheel(t *table, p *Package, want *pep440.Version) (Wheel, *fieldError) {
	fi, fe := decodeFileInfo(t, true)
	if fe != nil {
		return Wheel{}, fe
	}
	w := Wheel{Name: fi.name, URL: fi.url, Path: fi.path, Size: fi.size, UploadTime: fi.uploadTime, Hashes: fi.hashes}
	if msg := wheelMismatch(p, want, w.Name); msg != "" {
		return w, t.fail("name", w.Name, "%s", msg)
	}
	return w, t.checkUnknown()
}
