package pyproject

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/pylock/pylock/pep508"
)

// FuzzEdit adds a requirement to a file, then removes it: an edit that
// succeeds must leave a file that parses, whose target list holds the
// package after the add and not after the remove; one that fails must fail
// with a typed error.
func FuzzEdit(f *testing.F) {
	files, _ := filepath.Glob("testdata/edit/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			if af.Name == "pyproject.toml" {
				f.Add(af.Data, `requests[socks]>=2; python_version >= "3.9"`, "test", false)
				f.Add(af.Data, "idna", "cli", true)
				f.Add([]byte(strings.ReplaceAll(string(af.Data), "\n", "\r\n")), "idna>=3", "", false)
			}
		}
	}
	f.Add([]byte("[project]\nname = 'x'\ndependencies = [\n  'a', # c\n  'b' ,\n]"), "b==1", "", false)
	f.Fuzz(func(t *testing.T, data []byte, req, list string, extra bool) {
		r, err := pep508.ParseRequirement(req)
		if err != nil || len(data) > 1<<14 {
			return
		}
		if _, err := Parse("pyproject.toml", data); err != nil {
			return
		}
		target := DependencyTarget{}
		if pep508.ValidName(list) && extra {
			target.Extra = list
		} else if pep508.ValidName(list) {
			target.Group = list
		}
		out, _, err := AddDependencies("pyproject.toml", data, []Addition{{Requirement: r}}, target)
		if err != nil {
			checkEditError(t, err, data)
			return
		}
		if !declares(t, out, target, r.NormalizedName()) {
			t.Fatalf("add %q to %+v: not in the result:\n%s", req, target, out)
		}
		if crlfOnly(data) && !crlfOnly(out) {
			t.Fatalf("add %q to a file of \"\\r\\n\" lines wrote a bare \"\\n\":\n%q", req, out)
		}
		out, _, err = RemoveDependencies("pyproject.toml", out, []string{r.Name}, target)
		if err != nil {
			checkEditError(t, err, out)
			return
		}
		if declares(t, out, target, r.NormalizedName()) {
			t.Fatalf("remove %q from %+v: still in the result:\n%s", r.Name, target, out)
		}
	})
}

// crlfOnly reports whether every line break of data is "\r\n" and there
// is one.
func crlfOnly(data []byte) bool {
	text := string(data)
	return strings.Contains(text, "\r\n") && strings.Count(text, "\n") == strings.Count(text, "\r\n")
}

// declares parses data, which must succeed, and reports whether the
// target's list holds the package.
func declares(t *testing.T, data []byte, target DependencyTarget, name string) bool {
	p, err := Parse("pyproject.toml", data)
	if err != nil {
		t.Fatalf("the edited file does not parse: %v\n%s", err, data)
	}
	for _, d := range targetDeps(p, target) {
		if d.Requirement.NormalizedName() == name {
			return true
		}
	}
	return false
}

// checkEditError fails unless err is an *EditError refusing an entry it
// cannot write, rather than one reporting an edit that broke the file.
func checkEditError(t *testing.T, err error, data []byte) {
	var ee *EditError
	if !errors.As(err, &ee) || strings.HasPrefix(ee.Reason, "the edit") {
		t.Fatalf("%v\n%s", err, data)
	}
}
