package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestUpdateExitCodeFailure checks that a failed update exits 2 under
// --exit-code, where 1 would mean that the lock changed.
func TestUpdateExitCodeFailure(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want int
	}{
		{[]string{"update"}, exitFailure},
		{[]string{"update", "--exit-code"}, exitUsage},
	} {
		var out, errOut bytes.Buffer
		args := append([]string{"--project", t.TempDir()}, tt.args...)
		if code := Main(args, Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}); code != tt.want {
			t.Errorf("%q: exit %d (stderr %q), want %d", tt.args, code, errOut.String(), tt.want)
		}
	}
}
