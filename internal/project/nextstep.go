package project

import (
	"errors"
	"io/fs"
	"path/filepath"

	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/pyproject"
)

// NextStep says what to do about an error a workflow returned, for the
// errors whose message does not say it already; "" for the others.
func NextStep(err error) string {
	var (
		offline     *pypi.OfflineError
		unreachable *pypi.UnreachableError
		status      *pypi.StatusError
		mismatch    *pypi.HashMismatchError
		selection   *UnknownSelectionError
		noWheel     *NoWheelError
		path        *fs.PathError
	)
	switch {
	case errors.As(err, &offline):
		return "run it once without --offline to fill the cache"
	case errors.As(err, &unreachable):
		return "check the index URL and the network, or add --offline to answer from the cache"
	case errors.As(err, &status):
		return statusStep(status.Status)
	case errors.As(err, &mismatch):
		return "the index now serves another file than the one locked: if that is expected, run `pylock --refresh lock --upgrade`"
	case errors.As(err, &selection):
		return "name one the lock has, or declare it in pyproject.toml and run `pylock lock`"
	case errors.As(err, &noWheel) && noWheel.NoBuild:
		return "drop --no-build to build it from its source distribution"
	case errors.As(err, &noWheel):
		return "install with another interpreter (--python X.Y), or lock for this one with `pylock lock --python PATH`"
	case isPyprojectError(err):
		return "fix pyproject.toml where the message points, then run the command again"
	case errors.As(err, &path) && errors.Is(err, fs.ErrNotExist) && filepath.Base(path.Path) == PyprojectName:
		return "run pylock in the project's folder, or name it with --project DIR"
	}
	return ""
}

// statusStep says what to do about an HTTP status from an index.
func statusStep(status int) string {
	switch {
	case status == 401 || status == 403: // unauthorized, forbidden
		return "check the index's credentials (in its URL, PYLOCK_INDEX_<NAME>_USERNAME / _PASSWORD, or ~/.netrc)"
	case status >= 500:
		return "the index failed: try again later, or add --offline to answer from the cache"
	}
	return "check the index URL"
}

// isPyprojectError reports whether err is pyproject.toml's content being
// wrong, at a position its message gives.
func isPyprojectError(err error) bool {
	var (
		syntax     *pyproject.SyntaxError
		constraint *pyproject.ConstraintError
		req        *pyproject.RequirementError
		field      *pyproject.FieldError
		dynamic    *pyproject.DynamicError
		group      *pyproject.GroupError
	)
	return errors.As(err, &syntax) || errors.As(err, &constraint) || errors.As(err, &req) ||
		errors.As(err, &field) || errors.As(err, &dynamic) || errors.As(err, &group)
}
