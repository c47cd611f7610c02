package pyproject

import (
	"bytes"
	"errors"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/pylock/pylock/pep508"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/edit/*.txtar")

// editCase is one golden file of testdata/edit: an operation, the file
// before, and the file after (or the error) with the dependency set the
// result reads as.
//
//	-- op --         "add|remove [--group G] [--optional E] [--bound V]", then one requirement or name a line
//	-- pyproject.toml --
//	-- want.toml --  the edited file
//	-- deps --       every dependency of the result, "<list> <canonical>"
//	-- error --      instead of want.toml and deps: the error's text
type editCase struct {
	verb   string
	target DependencyTarget
	bound  string
	args   []string
}

func parseEditOp(t *testing.T, op string) editCase {
	lines := strings.Split(strings.TrimSpace(op), "\n")
	fields := strings.Fields(lines[0])
	c := editCase{verb: fields[0], args: lines[1:]}
	for i := 1; i+1 < len(fields); i += 2 {
		switch fields[i] {
		case "--group":
			c.target.Group = fields[i+1]
		case "--optional":
			c.target.Extra = fields[i+1]
		case "--bound":
			c.bound = fields[i+1]
		default:
			t.Fatalf("unknown option %q in op", fields[i])
		}
	}
	return c
}

func (c editCase) run(t *testing.T, data []byte) ([]byte, []EditChange, error) {
	if c.verb == "remove" {
		return RemoveDependencies("pyproject.toml", data, c.args, c.target)
	}
	adds := make([]Addition, len(c.args))
	for i, a := range c.args {
		r, err := pep508.ParseRequirement(a)
		if err != nil {
			t.Fatalf("requirement %q: %v", a, err)
		}
		adds[i] = Addition{Requirement: r, LowerBound: c.bound}
	}
	return AddDependencies("pyproject.toml", data, adds, c.target)
}

func TestEditGolden(t *testing.T) { forEachEditCase(t, runEditGolden) }

// forEachEditCase runs test, as a subtest, on every golden file of
// testdata/edit, with its archive and its sections by name.
func forEachEditCase(t *testing.T, test func(t *testing.T, file string, ar *txtar.Archive, sections map[string][]byte)) {
	files, err := filepath.Glob("testdata/edit/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sections := map[string][]byte{}
			for _, f := range ar.Files {
				sections[f.Name] = f.Data
			}
			test(t, file, ar, sections)
		})
	}
}

func runEditGolden(t *testing.T, file string, ar *txtar.Archive, sections map[string][]byte) {
	c := parseEditOp(t, string(sections["op"]))
	input := sections["pyproject.toml"]
	out, changes, err := c.run(t, input)
	got := map[string][]byte{}
	if err != nil {
		got["error"] = []byte(err.Error() + "\n")
	} else {
		got["want.toml"] = out
		got["deps"] = []byte(dependencySet(t, out))
		checkChanges(t, c, changes, out)
	}
	if *update {
		writeGolden(t, file, ar, got)
		return
	}
	for _, name := range []string{"want.toml", "deps", "error"} {
		if !bytes.Equal(got[name], sections[name]) {
			t.Errorf("%s:\n--- got ---\n%s--- want ---\n%s", name, got[name], sections[name])
		}
	}
}

// TestEditGoldenCRLF runs every golden case on its file with "\r\n" line
// breaks: the edit must give the same result with "\r\n" line breaks, or
// the same error.
func TestEditGoldenCRLF(t *testing.T) {
	crlf := func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }
	forEachEditCase(t, func(t *testing.T, _ string, _ *txtar.Archive, sections map[string][]byte) {
		out, _, err := parseEditOp(t, string(sections["op"])).run(t, crlf(sections["pyproject.toml"]))
		switch {
		case sections["error"] != nil:
			if err == nil || err.Error()+"\n" != string(sections["error"]) {
				t.Errorf("got error %v, want %s", err, sections["error"])
			}
		case err != nil:
			t.Fatal(err)
		case !bytes.Equal(out, crlf(sections["want.toml"])):
			t.Errorf("got\n%q\nwant\n%q", out, crlf(sections["want.toml"]))
		}
	})
}

func writeGolden(t *testing.T, file string, ar *txtar.Archive, got map[string][]byte) {
	var files []txtar.File
	for _, f := range ar.Files {
		if f.Name == "op" || f.Name == "pyproject.toml" {
			files = append(files, f)
		}
	}
	for _, name := range []string{"want.toml", "deps", "error"} {
		if got[name] != nil {
			files = append(files, txtar.File{Name: name, Data: got[name]})
		}
	}
	ar.Files = files
	if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

// dependencySet lists every dependency data declares, one a line, as
// "<list> <canonical>", where list is main, extra:NAME or group:NAME.
func dependencySet(t *testing.T, data []byte) string {
	p, err := Parse("pyproject.toml", data)
	if err != nil {
		t.Fatalf("the result does not parse: %v", err)
	}
	var b strings.Builder
	write := func(list string, deps []Dependency) {
		for _, d := range deps {
			b.WriteString(list + " " + d.Canonical() + "\n")
		}
	}
	write("main", p.Dependencies)
	for _, x := range p.Extras {
		write("extra:"+x.Name, x.Dependencies)
	}
	for _, g := range p.Groups {
		write("group:"+g.Name, g.Dependencies)
	}
	return b.String()
}

// checkChanges checks that the result's target list holds every added
// package and none of the removed ones, as the changes say.
func checkChanges(t *testing.T, c editCase, changes []EditChange, out []byte) {
	p, err := Parse("pyproject.toml", out)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, d := range targetDeps(p, c.target) {
		names[d.Requirement.NormalizedName()] = true
	}
	for _, a := range c.args {
		name := pep508.NormalizeName(a)
		if r, err := pep508.ParseRequirement(a); err == nil {
			name = r.NormalizedName()
		}
		if names[name] != (c.verb == "add") {
			t.Errorf("%s %s: the target list holds %v", c.verb, name, slices.Sorted(maps.Keys(names)))
		}
		if !slices.ContainsFunc(changes, func(ch EditChange) bool { return ch.Name == name }) {
			t.Errorf("%s %s: no change reported in %+v", c.verb, name, changes)
		}
	}
}

func targetDeps(p *Project, target DependencyTarget) []Dependency {
	switch {
	case target.Group != "":
		for _, g := range p.Groups {
			if g.Name == pep508.NormalizeName(target.Group) {
				return g.Dependencies
			}
		}
	case target.Extra != "":
		for _, x := range p.Extras {
			if x.Name == pep508.NormalizeName(target.Extra) {
				return x.Dependencies
			}
		}
	default:
		return p.Dependencies
	}
	return nil
}

// TestRemoveNotDeclared checks the typed error of a remove that finds
// nothing: it names the package, the tables searched and where the package
// is declared instead.
func TestRemoveNotDeclared(t *testing.T) {
	data := []byte("[project]\nname = \"x\"\ndependencies = [\"idna\"]\n\n[dependency-groups]\ntest = [\"pytest\"]\n")
	_, _, err := RemoveDependencies("pyproject.toml", data, []string{"PyTest"}, DependencyTarget{})
	var nd *NotDeclaredError
	if !errors.As(err, &nd) {
		t.Fatalf("got %v, want a *NotDeclaredError", err)
	}
	want := NotDeclaredError{File: "pyproject.toml", Name: "PyTest", Searched: []string{"[project.dependencies]"},
		DeclaredIn: []string{"[dependency-groups.test]"}}
	if nd.Name != want.Name || !slices.Equal(nd.Searched, want.Searched) || !slices.Equal(nd.DeclaredIn, want.DeclaredIn) {
		t.Errorf("got %+v, want %+v", *nd, want)
	}
}

// TestEditNoFinalNewline checks edits at the end of a file that does not
// end with a newline.
func TestEditNoFinalNewline(t *testing.T) {
	idna := Addition{Requirement: pep508.Requirement{Name: "idna"}, LowerBound: "3.7"}
	tests := []struct {
		name   string
		data   string
		target DependencyTarget
		want   string
	}{
		{"new table", "[project]\nname = \"x\"", DependencyTarget{Group: "test"},
			"[project]\nname = \"x\"\n\n[dependency-groups]\ntest = [\n    \"idna>=3.7\",\n]\n"},
		{"new key", "[project]\nname = \"x\"", DependencyTarget{},
			"[project]\nname = \"x\"\ndependencies = [\n    \"idna>=3.7\",\n]\n"},
		{"multi-line array", "[project]\nname = \"x\"\ndependencies = [\n  \"a\",\n]", DependencyTarget{},
			"[project]\nname = \"x\"\ndependencies = [\n  \"a\",\n  \"idna>=3.7\",\n]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := AddDependencies("pyproject.toml", []byte(tt.data), []Addition{idna}, tt.target)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("got\n%q\nwant\n%q", out, tt.want)
			}
		})
	}
}

// TestEditKeyDefinedTable checks that a table written with dotted keys or
// as an inline table is refused with a reason, not given a second
// definition by a new [header], while a sub-table of a dotted-key table,
// which TOML allows, is still added.
func TestEditKeyDefinedTable(t *testing.T) {
	idna := Addition{Requirement: pep508.Requirement{Name: "idna"}, LowerBound: "3.7"}
	tests := []struct {
		name   string
		data   string
		target DependencyTarget
		refuse bool
	}{
		{"dotted project", "project.name = \"x\"\n", DependencyTarget{}, true},
		{"inline project", "project = { name = \"x\" }\n", DependencyTarget{}, true},
		{"inline extras", "[project]\nname = \"x\"\noptional-dependencies = { }\n", DependencyTarget{Extra: "cli"}, true},
		{"dotted groups", "dependency-groups.lint = [\"ruff\"]\n", DependencyTarget{Group: "test"}, true},
		{"sub-table of dotted", "project.name = \"x\"\nproject.dependencies = []\n", DependencyTarget{Extra: "cli"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := AddDependencies("pyproject.toml", []byte(tt.data), []Addition{idna}, tt.target)
			var ee *EditError
			switch {
			case tt.refuse && (!errors.As(err, &ee) || !strings.Contains(ee.Reason, "dotted keys or as an inline table")):
				t.Fatalf("got %v, want a refusal naming dotted keys", err)
			case !tt.refuse && err != nil:
				t.Fatal(err)
			case !tt.refuse && !strings.Contains(string(out), "[project.optional-dependencies]\ncli = ["):
				t.Errorf("no [project.optional-dependencies] table:\n%s", out)
			}
		})
	}
}
