package memadvise

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsStayFew checks that the package imports nothing but syscall and
// unsafe, so that it is initialised before most of the standard library (see
// the package doc).
func TestImportsStayFew(t *testing.T) {
	allowed := map[string]bool{"syscall": true, "unsafe": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range parsed.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			if !allowed[path] {
				t.Errorf("%s imports %q; memadvise may import only syscall and unsafe", file, path)
			}
		}
	}
	if len(files) == 0 {
		wd, _ := os.Getwd()
		t.Fatalf("no Go files in %s", wd)
	}
}
