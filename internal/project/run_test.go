//go:build unix

package project

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunEnviron(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		want    string
	}{
		{"prepends to PATH", []string{"HOME=/h", "PATH=/usr/bin:/bin"}, "HOME=/h PATH=/v/bin:/usr/bin:/bin VIRTUAL_ENV=/v"},
		{"no PATH", []string{"HOME=/h"}, "HOME=/h PATH=/v/bin VIRTUAL_ENV=/v"},
		{"empty PATH", []string{"PATH="}, "PATH=/v/bin VIRTUAL_ENV=/v"},
		{"replaces VIRTUAL_ENV, drops PYTHONHOME", []string{"VIRTUAL_ENV=/other", "PYTHONHOME=/py", "PYTHONPATH=/pp"}, "PYTHONPATH=/pp PATH=/v/bin VIRTUAL_ENV=/v"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(runEnviron(tt.environ, "/v", "/v/bin"), " ")
			if got != tt.want {
				t.Errorf("runEnviron(%q) = %q, want %q", tt.environ, got, tt.want)
			}
		})
	}
}

func TestCommandPath(t *testing.T) {
	bin := t.TempDir()
	script := filepath.Join(bin, "tool")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "data"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", "/usr/bin:/bin")
	tests := []struct{ name, want string }{
		{"tool", script},          // the virtualenv first
		{"./local", "./local"},    // a path as it is
		{"sh", "/usr/bin/sh"},     // else PATH
		{"data", ""},              // not executable, not on PATH
		{"no-such-command-x", ""}, // nowhere
	}
	for _, tt := range tests {
		got, err := commandPath(tt.name, bin)
		var notFound *CommandNotFoundError
		switch {
		case tt.want == "" && !errors.As(err, &notFound):
			t.Errorf("commandPath(%q) = %q, %v; want a *CommandNotFoundError", tt.name, got, err)
		case tt.want != "" && tt.name == "sh" && (err != nil || filepath.Base(got) != "sh"):
			t.Errorf("commandPath(%q) = %q, %v; want sh from PATH", tt.name, got, err)
		case tt.want != "" && tt.name != "sh" && got != tt.want:
			t.Errorf("commandPath(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}
