package project

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/pyproject"
)

func TestNextStep(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // a part of the step; "" for none
	}{
		{"offline", &pypi.PackageError{Name: "idna", Err: &pypi.OfflineError{What: "page", Name: "idna"}}, "without --offline"},
		{"unreachable", fmt.Errorf("listing: %w", &pypi.UnreachableError{URL: "http://x", Err: errors.New("refused")}), "check the index URL and the network"},
		{"unauthorized", &pypi.StatusError{URL: "http://x", Status: 401}, "credentials"},
		{"server error", &pypi.StatusError{URL: "http://x", Status: 503}, "try again later"},
		{"not found status", &pypi.StatusError{URL: "http://x", Status: 404}, "check the index URL"},
		{"hash mismatch", &pypi.HashMismatchError{URL: "http://x", Want: "a", Got: "b"}, "--refresh lock --upgrade"},
		{"unknown group", &UnknownSelectionError{Kind: "dependency group", Name: "docs"}, "declare it in pyproject.toml"},
		{"no wheel", &NoWheelError{Name: "a", Version: "1", Tag: "cp312-cp312-linux_x86_64"}, "--python"},
		{"no wheel, no build", &NoWheelError{Name: "a", Version: "1", NoBuild: true}, "drop --no-build"},
		{"pyproject field", &pyproject.FieldError{File: "pyproject.toml", Line: 3, Field: "project.name", Message: "must be a string"}, "fix pyproject.toml"},
		{"no pyproject", &fs.PathError{Op: "open", Path: "/a/pyproject.toml", Err: fs.ErrNotExist}, "--project DIR"},
		{"another missing file", &fs.PathError{Op: "open", Path: "/a/other.toml", Err: fs.ErrNotExist}, ""},
		{"no lock: its message says it", &NoLockError{Path: "/a/pylock.toml"}, ""},
		{"plain", errors.New("boom"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextStep(tt.err)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("NextStep(%v) = %q, want one holding %q", tt.err, got, tt.want)
			}
		})
	}
}
