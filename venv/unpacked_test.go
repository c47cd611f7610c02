package venv

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// unpackDemo builds and unpacks a wheel with a module, an executable file,
// a #!python script and a console script; it returns the unpacked tree.
func unpackDemo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := append(meta("linkdemo", "1.0", true),
		wheelFile{name: "linkdemo/__init__.py", data: "V = 'linked'\n"},
		wheelFile{name: "linkdemo/run.sh", data: "#!/bin/sh\necho run\n", mode: 0o755},
		wheelFile{name: "linkdemo-1.0.data/scripts/linkdemo-tool", data: "#!python\nimport linkdemo\nprint(linkdemo.V)\n"},
		wheelFile{name: "linkdemo-1.0.dist-info/entry_points.txt", data: "[console_scripts]\nlinkdemo-cli = linkdemo:main\n"},
	)
	whl := buildWheel(t, dir, "linkdemo-1.0-py3-none-any.whl", files, nil)
	blob := filepath.Join(dir, "blob") // cached downloads are named by digest
	if err := os.Rename(whl, blob); err != nil {
		t.Fatal(err)
	}
	tree := filepath.Join(dir, "unpacked", "abc")
	if err := UnpackWheel(blob, "linkdemo-1.0-py3-none-any.whl", tree); err != nil {
		t.Fatalf("UnpackWheel: %v", err)
	}
	return tree
}

// sameFile reports whether two paths name one file (a hard link shares it).
func sameFile(t *testing.T, a, b string) bool {
	t.Helper()
	infoA, err := os.Stat(a)
	if err != nil {
		t.Fatal(err)
	}
	infoB, err := os.Stat(b)
	if err != nil {
		t.Fatal(err)
	}
	return os.SameFile(infoA, infoB)
}

func TestInstallUnpackedLinkModes(t *testing.T) {
	tree := unpackDemo(t)
	tests := []struct {
		mode   LinkMode
		linked bool
	}{
		{LinkHardlink, true},
		{LinkCopy, false},
	}
	for _, tt := range tests {
		t.Run(tt.mode.String(), func(t *testing.T) {
			env := newEnv(t)
			if err := env.InstallUnpacked(tree, "linkdemo-1.0-py3-none-any.whl", WithLinkMode(tt.mode)); err != nil {
				t.Fatalf("InstallUnpacked: %v", err)
			}
			site := env.path(env.Python.Scheme.Purelib)
			for _, rel := range []string{"linkdemo/__init__.py", "linkdemo/run.sh", "linkdemo-1.0.dist-info/METADATA"} {
				same := sameFile(t, filepath.Join(tree, rel), filepath.Join(site, rel))
				if same != tt.linked {
					t.Errorf("%s: shares the cache's inode = %v, want %v", rel, same, tt.linked)
				}
			}
			// Files the installer rewrites are never links into the cache.
			for _, rel := range []string{"linkdemo-1.0.dist-info/RECORD", "linkdemo-1.0.dist-info/INSTALLER"} {
				if _, err := os.Stat(filepath.Join(tree, rel)); err == nil && sameFile(t, filepath.Join(tree, rel), filepath.Join(site, rel)) {
					t.Errorf("%s is linked to the cache", rel)
				}
			}
			if fi, err := os.Stat(filepath.Join(site, "linkdemo", "run.sh")); err != nil || fi.Mode()&0o111 == 0 {
				t.Errorf("run.sh lost its executable bit: %v %v", fi, err)
			}
			bin := filepath.Join(env.Dir, "bin")
			if got := run(t, filepath.Join(bin, "linkdemo-tool")); got != "linked" {
				t.Errorf("#!python script: %q", got)
			}
			if sameFile(t, filepath.Join(bin, "linkdemo-tool"), filepath.Join(tree, "linkdemo-1.0.data", "scripts", "linkdemo-tool")) {
				t.Error("the rewritten script is linked to the cache")
			}
			data, err := os.ReadFile(filepath.Join(tree, "linkdemo-1.0.data", "scripts", "linkdemo-tool"))
			if err != nil || !strings.HasPrefix(string(data), "#!python\n") {
				t.Errorf("the cached script was changed: %q %v", data, err)
			}
			if _, err := os.Stat(filepath.Join(bin, "linkdemo-cli")); err != nil {
				t.Errorf("console script: %v", err)
			}
			if err := env.Uninstall("linkdemo"); err != nil {
				t.Fatalf("Uninstall: %v", err)
			}
			if _, err := os.Stat(filepath.Join(tree, "linkdemo", "__init__.py")); err != nil {
				t.Errorf("uninstalling removed the cached file: %v", err)
			}
		})
	}
}

func TestUnpackWheelRefusesHostile(t *testing.T) {
	dir := t.TempDir()
	files := append(meta("bad", "1.0", true), wheelFile{name: "bad/__init__.py", data: "X = 1\n"})
	whl := buildWheel(t, dir, "bad-1.0-py3-none-any.whl", files,
		append(meta("bad", "1.0", true), wheelFile{name: "bad/__init__.py", data: "X = 2\n"}))
	tree := filepath.Join(dir, "unpacked", "bad")
	err := UnpackWheel(whl, "bad-1.0-py3-none-any.whl", tree)
	var we *WheelError
	if !errors.As(err, &we) || !strings.Contains(we.Reason, "RECORD hash mismatch") {
		t.Fatalf("UnpackWheel = %v, want a RECORD hash mismatch", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(tree)); len(entries) != 0 {
		t.Errorf("a refused wheel left %d entries in the cache", len(entries))
	}
}

func TestInstallUnpackedRefusesSymlink(t *testing.T) {
	tree := unpackDemo(t)
	if err := os.Symlink("/etc/passwd", filepath.Join(tree, "linkdemo", "evil")); err != nil {
		t.Fatal(err)
	}
	env := newEnv(t)
	err := env.InstallUnpacked(tree, "linkdemo-1.0-py3-none-any.whl")
	var we *WheelError
	if !errors.As(err, &we) || we.Reason != "symlink in archive" {
		t.Fatalf("InstallUnpacked = %v, want a refused symlink", err)
	}
}

func TestParseLinkMode(t *testing.T) {
	tests := []struct {
		in   string
		want LinkMode
		ok   bool
	}{
		{"hardlink", LinkHardlink, true},
		{"copy", LinkCopy, true},
		{"symlink", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseLinkMode(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseLinkMode(%q) = %v, %v", tt.in, got, err)
		}
	}
}
