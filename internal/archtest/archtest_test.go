// Package archtest enforces the import rule of docs/architecture.md: every
// package may import only the packages listed above it in the table.
package archtest

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
)

const module = "github.com/pylock/pylock"

// allowed maps each package (relative to the module) to the module packages
// it may import. Packages not listed here may not exist: the test fails for
// any package it does not know, so the table stays complete.
var allowed = map[string][]string{
	"internal/atomicfile":  {},
	"internal/memadvise":   {},
	"pep440":               {},
	"pep508":               {"pep440"},
	"internal/dist":        {"pep440", "pep508"},
	"pyproject":            {"pep440", "pep508"},
	"internal/cache":       {"internal/atomicfile"},
	"pypi":                 {"pep440", "pep508", "internal/dist", "internal/cache"},
	"resolver":             {"pep440", "pep508", "internal/dist"},
	"lockfile":             {"pep440", "pep508", "internal/dist", "internal/atomicfile"},
	"venv":                 {"pep440", "pep508", "internal/dist", "internal/atomicfile"},
	"internal/project":     {"pep440", "pep508", "internal/dist", "pyproject", "internal/cache", "pypi", "resolver", "lockfile", "venv", "internal/atomicfile"},
	"internal/testindex":   {"pep440", "pep508", "internal/dist"},
	"internal/conformance": {},
	"internal/archtest":    {"internal/conformance"},
	"cmd/pylock":           {"internal/project", "internal/memadvise"},
	"cmd/testindex":        {"internal/testindex"},
	"bench":                {"pep508", "internal/testindex", "internal/conformance", "internal/atomicfile"},
}

// exclusive names imports that only some packages may make: only cmd/pylock
// talks to the user, and only pypi (and the test index) speak HTTP.
var exclusive = map[string][]string{
	"github.com/spf13/cobra":                {"cmd/pylock"},
	"github.com/hashicorp/go-retryablehttp": {"pypi"},
	"net/http":                              {"pypi", "internal/testindex"},
}

type listedPackage struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

func TestImportRule(t *testing.T) {
	root, err := conformance.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p listedPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		checkPackage(t, p)
	}
}

func checkPackage(t *testing.T, p listedPackage) {
	rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
	may, known := allowed[rel]
	if !known {
		t.Errorf("package %s is not in the architecture table; add it to docs/architecture.md and this test", rel)
		return
	}
	for _, imp := range p.Imports {
		if owner, reserved := exclusive[imp]; reserved && !contains(owner, rel) {
			t.Errorf("%s imports %s, which only %s may import", rel, imp, strings.Join(owner, " and "))
		}
		if !strings.HasPrefix(imp, module+"/") {
			continue
		}
		target := strings.TrimPrefix(imp, module+"/")
		if !contains(may, target) {
			t.Errorf("%s imports %s, which the architecture does not allow", rel, target)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
