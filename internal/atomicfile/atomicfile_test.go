package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name     string
		existing existingFile
		opts     Options
		wantPerm os.FileMode
	}{
		{"new file", existingFile{}, Options{}, 0o644},
		{"new file, synced", existingFile{}, Options{Sync: true}, 0o644},
		{"replace keeps permissions", existingFile{exists: true, perm: 0o600}, Options{}, 0o600},
		{"explicit permissions", existingFile{exists: true, perm: 0o600}, Options{Perm: 0o640}, 0o640},
		{"missing folders made", existingFile{}, Options{MkdirAll: true}, 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f.txt")
			if tt.opts.MkdirAll {
				path = filepath.Join(dir, "a", "b", "f.txt")
			}
			if tt.existing.exists {
				if err := os.WriteFile(path, []byte("old"), tt.existing.perm); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.existing.perm); err != nil {
					t.Fatal(err)
				}
			}
			if err := Write(path, []byte("new"), tt.opts); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil || string(data) != "new" {
				t.Fatalf("content %q, %v; want %q", data, err, "new")
			}
			info, _ := os.Stat(path)
			if info.Mode().Perm() != tt.wantPerm {
				t.Errorf("permissions %v, want %v", info.Mode().Perm(), tt.wantPerm)
			}
			assertOnly(t, filepath.Dir(path), "f.txt")
		})
	}
}

// existingFile describes the file a write replaces.
type existingFile struct {
	exists bool
	perm   os.FileMode
}

func TestWriteWithFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteWith(path, func(w io.Writer) error {
		if _, err := w.Write([]byte("half")); err != nil {
			return err
		}
		return boom
	}, Options{Sync: true, TempPattern: ".x-*.tmp"})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the fill's error", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Errorf("content %q after a failed write, want %q", data, "old")
	}
	assertOnly(t, dir, "f.txt")
}

func TestWriteIntoMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "f.txt")
	err := Write(path, []byte("x"), Options{})
	var e *Error
	if !errors.As(err, &e) || e.Path != path {
		t.Errorf("err = %v, want *Error for %s", err, path)
	}
}

// assertOnly fails unless dir holds exactly the named entry: no temporary
// file is left behind.
func assertOnly(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("%s holds %q, want only %q", dir, names, name)
	}
}
