package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestEditUsageErrors checks that add and remove reject bad command lines
// with exit status 2, before touching the project.
func TestEditUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"add"}, "needs a requirement"},
		{[]string{"remove"}, "needs a package name"},
		{[]string{"add", "--group", "test", "--optional", "cli", "idna"}, "cannot be used together"},
		{[]string{"remove", "--group", "test", "--optional", "cli", "idna"}, "cannot be used together"},
		{[]string{"add", "idna>>3"}, `invalid requirement "idna>>3"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"--project", t.TempDir()}, tt.args...)
			code := Main(args, Streams{In: strings.NewReader(""), Out: &out, Err: &errOut})
			if code != exitUsage || !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut.String(), exitUsage, tt.want)
			}
		})
	}
}
