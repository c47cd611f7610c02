package project

import (
	"errors"
	"strings"
	"testing"

	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep508"
)

// TestExportMarker checks the marker an export writes: the selection
// evaluated (pep508's TestResolveSelection has the cases), the rest kept,
// and a marker that does not parse written whole.
func TestExportMarker(t *testing.T) {
	env := pep508.Environment{Extras: []string{"cli"}, DependencyGroups: []string{"dev"}}
	tests := []struct {
		marker string
		want   string
		ok     bool
	}{
		{``, ``, true},
		{`"cli" in extras`, ``, true},
		{`"test" in dependency_groups`, ``, false},
		{`python_version < "3.10" and ("dev" in dependency_groups or os_name == "nt")`, `python_version < "3.10"`, true},
		{`python_version < "3.10" and (`, `python_version < "3.10" and (`, true},
	}
	for _, tt := range tests {
		got, ok := exportMarker(tt.marker, env)
		if got != tt.want || ok != tt.ok {
			t.Errorf("exportMarker(%q) = %q, %v; want %q, %v", tt.marker, got, ok, tt.want, tt.ok)
		}
	}
}

func exportLock() *lockfile.File {
	sha := func(c string) map[string]string { return map[string]string{"sha256": strings.Repeat(c, 64)} }
	return &lockfile.File{
		Extras:           []string{"cli"},
		DependencyGroups: []string{"test"},
		Packages: []lockfile.Package{
			{Name: "click", Version: "8.1.7", Marker: `"cli" in extras`,
				Wheels: []lockfile.Wheel{{Name: "click-8.1.7-py3-none-any.whl", Hashes: sha("b")}},
				Sdist:  &lockfile.Sdist{Name: "click-8.1.7.tar.gz", Hashes: sha("a")}},
			{Name: "exceptiongroup", Version: "1.2.1", Marker: `python_version < "3.11"`,
				Wheels: []lockfile.Wheel{{Name: "exceptiongroup-1.2.1-py3-none-any.whl", Hashes: sha("c")}}},
			{Name: "pytest", Version: "8.2.0", Marker: `"test" in dependency_groups`,
				Wheels: []lockfile.Wheel{{Name: "pytest-8.2.0-py3-none-any.whl", Hashes: sha("d")}}},
		},
	}
}

func TestRequirementsTxt(t *testing.T) {
	click := "click==8.1.7 \\\n    --hash=sha256:" + strings.Repeat("a", 64) + " \\\n    --hash=sha256:" + strings.Repeat("b", 64) + "\n"
	eg := "exceptiongroup==1.2.1 ; python_version < \"3.11\" \\\n    --hash=sha256:" + strings.Repeat("c", 64) + "\n"
	pytest := "pytest==8.2.0 \\\n    --hash=sha256:" + strings.Repeat("d", 64) + "\n"
	tests := []struct {
		name    string
		opts    ExportOptions
		want    string
		unknown bool
	}{
		{name: "default", want: eg},
		{name: "extra and group", opts: ExportOptions{Extras: []string{"CLI"}, Groups: []string{"test"}}, want: click + eg + pytest},
		{name: "all extras", opts: ExportOptions{AllExtras: true}, want: click + eg},
		{name: "unknown group", opts: ExportOptions{Groups: []string{"docs"}}, unknown: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := RequirementsTxt(exportLock(), tt.opts)
			var unknown *UnknownSelectionError
			if tt.unknown != errors.As(err, &unknown) {
				t.Fatalf("error = %v, want unknown selection %v", err, tt.unknown)
			}
			if err != nil {
				return
			}
			body := strings.SplitN(string(out), "\n", 2)[1]
			if body != tt.want {
				t.Errorf("got\n%s\nwant\n%s", body, tt.want)
			}
		})
	}
}

func TestRequirementsTxtUnexportable(t *testing.T) {
	lock := &lockfile.File{Packages: []lockfile.Package{{Name: "mine", Directory: &lockfile.Directory{Path: "."}}}}
	var unexportable *UnexportableError
	if _, err := RequirementsTxt(lock, ExportOptions{}); !errors.As(err, &unexportable) {
		t.Errorf("error = %v, want *UnexportableError", err)
	}
}
