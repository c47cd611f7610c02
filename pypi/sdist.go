package pypi

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pylock/pylock/internal/dist"
)

// errNotStatic says an sdist's PKG-INFO may not be trusted for resolving.
var errNotStatic = errors.New("its PKG-INFO is older than Metadata 2.2 or marks dependencies as dynamic, so it would have to be built")

// sdistMetadata reads PKG-INFO out of a source distribution and accepts it
// when PEP 643 allows: Metadata-Version 2.2 or later, with neither
// Requires-Dist nor Requires-Python listed as Dynamic.
func (c *Client) sdistMetadata(ctx context.Context, norm string, f File) (metadataRecord, error) {
	u, err := url.Parse(f.URL)
	if err != nil {
		return metadataRecord{}, &MetadataError{Name: norm, Version: f.Version.String(), Msg: "invalid file URL"}
	}
	dctx, cancel := c.withDeadline(ctx)
	defer cancel()
	resp, err := c.send(dctx, u, http.Header{"Accept": {"*/*"}})
	if err != nil {
		return metadataRecord{}, c.failed(ctx, dctx, u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return metadataRecord{}, &StatusError{URL: redact(u), Status: resp.StatusCode}
	}
	body, err := c.readWhole(ctx, dctx, u, resp, f.SHA256)
	if err != nil {
		return metadataRecord{}, err
	}
	data, err := pkgInfo(f.Filename, body)
	if err != nil {
		return metadataRecord{}, parseError(u, "source distribution", -1, err.Error())
	}
	rec, err := parseRecord(norm, f.Version.String(), redact(u), data)
	if err != nil {
		return metadataRecord{}, err
	}
	if !staticMetadata(rec) {
		return metadataRecord{}, &MetadataError{Name: norm, Version: f.Version.String(), URL: redact(u), Msg: errNotStatic.Error()}
	}
	return rec, nil
}

// staticMetadata reports whether PEP 643 lets the dependencies be trusted.
func staticMetadata(rec metadataRecord) bool {
	major, minor, _ := strings.Cut(rec.MetadataVersion, ".")
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	if err1 != nil || err2 != nil || ma < 2 || (ma == 2 && mi < 2) {
		return false
	}
	for _, d := range rec.Dynamic {
		if strings.EqualFold(d, "Requires-Dist") || strings.EqualFold(d, "Requires-Python") {
			return false
		}
	}
	return true
}

// pkgInfo returns <top>/PKG-INFO of a .tar.gz or .zip sdist.
func pkgInfo(filename string, data []byte) ([]byte, error) {
	if strings.HasSuffix(filename, ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, err
		}
		for _, zf := range zr.File {
			if isTopPKGInfo(zf.Name) {
				rc, err := zf.Open()
				if err != nil {
					return nil, err
				}
				defer rc.Close()
				return readMember(rc, zf.Name)
			}
		}
		return nil, errors.New("no PKG-INFO file")
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(io.LimitReader(gz, maxSdistUnpacked))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, errors.New("no PKG-INFO file in its first " + dist.FormatSize(maxSdistUnpacked))
		}
		if err != nil {
			return nil, err
		}
		if isTopPKGInfo(h.Name) {
			return readMember(tr, h.Name)
		}
	}
}

// isTopPKGInfo reports whether an archive member is <top>/PKG-INFO.
func isTopPKGInfo(name string) bool {
	dir, file, ok := strings.Cut(strings.TrimPrefix(name, "./"), "/")
	return ok && dir != "" && file == "PKG-INFO"
}
