package venv

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzUnpackWheel feeds arbitrary bytes, as a wheel, to the validation
// every install goes through (zip central directory, paths, RECORD, WHEEL,
// size limits), in under 10 s. A refused wheel is a *WheelError; an
// accepted one unpacks below its folder only, every file hashed in RECORD.
func FuzzUnpackWheel(f *testing.F) {
	dir := f.TempDir()
	good := append(meta("demo", "1.0", true), wheelFile{name: "demo/__init__.py", data: "X = 1\n"})
	for _, files := range [][]wheelFile{
		good,
		append(meta("demo", "1.0", false), wheelFile{name: "demo-1.0.data/scripts/tool", data: "#!python\n", mode: 0o755}),
		append(meta("demo", "1.0", true), wheelFile{name: "../evil", data: "x"}),
		append(good, wheelFile{name: "demo/__init__.py", data: "X = 2\n"}),
	} {
		data, err := os.ReadFile(buildWheel(f, dir, "demo-1.0-py3-none-any.whl", files, nil))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer panicAfter(10 * time.Second).Stop()
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
			return
		}
		var we *WheelError
		a, err := validate("demo-1.0-py3-none-any.whl", zipMembers(zr), true)
		if err != nil {
			if !errors.As(err, &we) {
				t.Fatalf("validate = %T %v, want a *WheelError", err, err)
			}
			return
		}
		root := t.TempDir()
		whl := filepath.Join(root, "demo-1.0-py3-none-any.whl")
		if err := os.WriteFile(whl, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(root, "cache", "demo")
		if err := UnpackWheel(whl, filepath.Base(whl), out); err != nil {
			t.Fatalf("validated wheel not unpacked: %v", err)
		}
		for _, p := range walkFiles(t, root) {
			rel, _ := filepath.Rel(out, p)
			if p != whl && (!within(out, p) || a.record[filepath.ToSlash(rel)].Hash == "" && !unhashed(a.distInfo, filepath.ToSlash(rel))) {
				t.Fatalf("UnpackWheel wrote %s, which is outside its folder or not in RECORD", p)
			}
		}
	})
}

// panicAfter crashes the fuzz worker when one input takes longer than d, so
// that the fuzzer keeps the input as a hang.
func panicAfter(d time.Duration) *time.Timer {
	return time.AfterFunc(d, func() { panic(fmt.Sprintf("one input took more than %v", d)) })
}

// walkFiles lists every file and link below root, folders left out.
func walkFiles(t testing.TB, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
