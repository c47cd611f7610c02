package pypi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/pylock/pylock/internal/dist"
)

// IndexURLError reports an index URL that is not an http or https URL.
type IndexURLError struct {
	URL string // credentials redacted
}

// Error implements error.
func (e *IndexURLError) Error() string {
	return fmt.Sprintf("invalid index URL %q: want an http or https URL", e.URL)
}

// NotFoundError reports a project the index does not have.
type NotFoundError struct {
	Name  string // the name as asked for
	Index string // the index URL, credentials redacted
}

// Error implements error.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no package named '%s' on %s", e.Name, e.Index)
}

// UnreachableError reports a request that got no HTTP response at all
// (refused connection, DNS failure, timeout), after retries.
type UnreachableError struct {
	URL string // credentials redacted
	Err error
}

// Error implements error.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach %s: %v", e.URL, e.Err)
}

// Unwrap returns the transport error.
func (e *UnreachableError) Unwrap() error { return e.Err }

// StatusError reports an HTTP response with an unexpected status, after retries.
type StatusError struct {
	URL    string // credentials redacted
	Status int
}

// Error implements error.
func (e *StatusError) Error() string {
	return fmt.Sprintf("unexpected status %d from %s", e.Status, e.URL)
}

// ResponseError reports a response body that could not be understood.
type ResponseError struct {
	URL    string // credentials redacted
	Format string // what the body should have been, e.g. "simple API HTML"
	Offset int    // byte offset of the problem, -1 when unknown
	Msg    string
}

// Error implements error.
func (e *ResponseError) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("malformed %s from %s: %s at offset %d", e.Format, e.URL, e.Msg, e.Offset)
	}
	return fmt.Sprintf("malformed %s from %s: %s", e.Format, e.URL, e.Msg)
}

// HashMismatchError reports downloaded content whose sha256 digest is not
// the one the index (or the caller) promised.
type HashMismatchError struct {
	URL       string // credentials redacted
	Want, Got string // lowercase hex sha256 digests
}

// Error implements error.
func (e *HashMismatchError) Error() string {
	return fmt.Sprintf("sha256 mismatch for %s: expected %s, got %s", e.URL, e.Want, e.Got)
}

// MetadataError reports a release whose core metadata cannot be obtained
// without building it, or whose metadata is invalid.
type MetadataError struct {
	Name, Version string
	URL           string // where the metadata came from, credentials redacted; "" if nowhere
	Msg           string
	Err           error // the parse error, if any
}

// Error implements error.
func (e *MetadataError) Error() string {
	s := fmt.Sprintf("metadata of %s %s", e.Name, e.Version)
	if e.URL != "" {
		s += " from " + e.URL
	}
	s += ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the parse error, if any.
func (e *MetadataError) Unwrap() error { return e.Err }

// parseError builds a *ResponseError for the page at u.
func parseError(u *url.URL, format string, offset int, msg string) *ResponseError {
	return &ResponseError{URL: redact(u), Format: format, Offset: offset, Msg: msg}
}

// redact returns u as a string with credentials replaced by "****": a
// password becomes user:****, a lone user name (a token) becomes ****.
func redact(u *url.URL) string {
	if u == nil {
		return ""
	}
	if u.User == nil {
		return u.String()
	}
	c := *u
	c.User = nil
	cred := "****"
	if _, ok := u.User.Password(); ok {
		cred = url.User(u.User.Username()).String() + ":****"
	}
	return strings.Replace(c.String(), "://", "://"+cred+"@", 1)
}

// redactString is redact for a URL held as a string.
func redactString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(invalid URL)"
	}
	return redact(u)
}

// OfflineError reports something an offline Client would have had to ask
// the index for, because the cache does not hold it.
type OfflineError struct {
	What    string // "page", "metadata" or "file"
	Name    string // the package, "" when not known
	Version string // the version, for metadata; "" otherwise
	URL     string // what would have been requested, credentials redacted
}

// Error implements error.
func (e *OfflineError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("pylock is offline and the cache has no copy of %s", e.URL)
	}
	name := "'" + e.Name + "'"
	if e.Version != "" {
		name += " " + e.Version
	}
	return fmt.Sprintf("pylock is offline and the cache has no %s for %s from %s", e.What, name, e.URL)
}

// PackageError names the package (and version) whose index data could not be
// had: the response was refused (a bad status, a malformed or truncated body,
// a hash mismatch) or never came. Err names the URL.
type PackageError struct {
	Name    string
	Version string // "" for the project page
	Err     error
}

// Error implements error.
func (e *PackageError) Error() string {
	if e.Version != "" {
		return fmt.Sprintf("package '%s' %s: %v", e.Name, e.Version, e.Err)
	}
	return fmt.Sprintf("package '%s': %v", e.Name, e.Err)
}

// Unwrap returns the underlying error.
func (e *PackageError) Unwrap() error { return e.Err }

// forPackage names the package (and version) in err, once: errors that
// already name it pass unchanged, an *OfflineError gets the name filled in,
// and any other failure is wrapped in a *PackageError.
func forPackage(ctx context.Context, err error, name, version string) error {
	var (
		nf  *NotFoundError
		me  *MetadataError
		pe  *PackageError
		off *OfflineError
	)
	switch {
	case err == nil, ctx.Err() != nil && errors.Is(err, ctx.Err()),
		errors.As(err, &nf), errors.As(err, &me), errors.As(err, &pe):
		return err
	case errors.As(err, &off):
		if off.Name != "" {
			return err
		}
		named := *off
		named.Name, named.Version = name, version
		if version != "" {
			named.What = "metadata"
		}
		return &named
	}
	return &PackageError{Name: name, Version: version, Err: err}
}

// TooLargeError reports a response larger than pylock accepts: an index
// page or metadata file, a wheel or sdist read whole for its metadata, the
// data read by range requests into a wheel, or a download. (A METADATA or
// PKG-INFO file too large inside its archive is a *ResponseError.)
type TooLargeError struct {
	URL   string // credentials redacted
	What  string // "response", "download" or "data read by range requests"
	Limit int64  // the most bytes accepted
}

// Error implements error.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s from %s is larger than %s: refused", e.What, e.URL, dist.FormatSize(e.Limit))
}
