package pyproject

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pylock/pylock/pep508"
)

func mustParse(t *testing.T, src string) *Project {
	t.Helper()
	p, err := Parse("pyproject.toml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}

// depSummary is what the tests compare for each dependency.
type depSummary struct {
	Canonical, Section string
	Line               int
}

func summarize(deps []Dependency) []depSummary {
	out := make([]depSummary, len(deps))
	for i, d := range deps {
		out[i] = depSummary{d.Canonical(), d.Section, d.Line}
	}
	return out
}

func checkDeps(t *testing.T, what string, got []Dependency, want []depSummary) {
	t.Helper()
	if g := summarize(got); !reflect.DeepEqual(g, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, want)
	}
}

const pep621Project = `[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = [
  "httpx>=0.27",
  "Requests[socks] (>=2.0) ; python_version < '3.12'",
]

[project.optional-dependencies]
Socks = ["PySocks>=1.7"]
`

func TestPEP621(t *testing.T) {
	p := mustParse(t, pep621Project)
	if p.Name != "demo" || p.Version != "0.1.0" {
		t.Errorf("name, version = %q, %q", p.Name, p.Version)
	}
	if got := p.RequiresPython.String(); got != ">=3.9" || p.RequiresPythonLine != 4 {
		t.Errorf("requires-python = %q at line %d", got, p.RequiresPythonLine)
	}
	checkDeps(t, "dependencies", p.Dependencies, []depSummary{
		{"httpx>=0.27", "[project.dependencies]", 6},
		{`requests[socks]>=2; python_version < "3.12"`, "[project.dependencies]", 7},
	})
	if p.Dependencies[1].Text != "Requests[socks] (>=2.0) ; python_version < '3.12'" {
		t.Errorf("text = %q", p.Dependencies[1].Text)
	}
	if len(p.Extras) != 1 || p.Extras[0].Name != "socks" {
		t.Fatalf("extras = %+v", p.Extras)
	}
	checkDeps(t, "extra socks", p.Extras[0].Dependencies, []depSummary{
		{"pysocks>=1.7", "[project.optional-dependencies.Socks]", 11},
	})
}

func TestPEP735(t *testing.T) {
	p := mustParse(t, `[dependency-groups]
Test = [
  "pytest>=8",
  {include-group = "lint"},
]
lint = ["ruff"]
all = [{include-group = "test"}, {include-group = "LINT"}]
`)
	var names []string
	for _, g := range p.Groups {
		names = append(names, g.Name)
	}
	if want := []string{"all", "lint", "test"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("groups = %v, want %v", names, want)
	}
	checkDeps(t, "group test", p.Groups[2].Dependencies, []depSummary{
		{"pytest>=8", "[dependency-groups.Test]", 3},
		{"ruff", "[dependency-groups.lint]", 6},
	})
	checkDeps(t, "group all", p.Groups[0].Dependencies, []depSummary{
		{"pytest>=8", "[dependency-groups.Test]", 3},
		{"ruff", "[dependency-groups.lint]", 6},
	})
	if !reflect.DeepEqual(p.Groups[0].Includes, []string{"test", "lint"}) {
		t.Errorf("includes = %v", p.Groups[0].Includes)
	}
}

func TestGroupErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		unknown   string
		cycle     []string
	}{
		{"unknown", "[dependency-groups]\na = [\"x\", {include-group = \"nope\"}]\n", 2, "nope", nil},
		{"cycle", "[dependency-groups]\na = [{include-group = \"b\"}]\nb = [\n  {include-group = \"A\"},\n]\n", 4, "", []string{"a", "b", "a"}},
		{"self", "[dependency-groups]\na = [{include-group = \"a\"}]\n", 2, "", []string{"a", "a"}},
	}
	for _, tt := range tests {
		_, err := Parse("pyproject.toml", []byte(tt.src))
		var ge *GroupError
		if !errors.As(err, &ge) {
			t.Errorf("%s: error = %v, want a *GroupError", tt.name, err)
			continue
		}
		if ge.Line != tt.line || ge.Unknown != tt.unknown || !reflect.DeepEqual(ge.Cycle, tt.cycle) {
			t.Errorf("%s: got %+v", tt.name, ge)
		}
	}
}

const poetryProject = `[tool.poetry]
name = "poet"
version = "1.0"

[tool.poetry.dependencies]
python = "^3.8"
requests = "^2.31"
pendulum = { version = "~2.1", python = ">=3.9", platform = "linux" }
foo = [
  { version = "<=1.9", python = ">=3.6,<3.8" },
  { version = "^2.0", python = ">=3.8" },
]
pysocks = { version = "^1.7", optional = true }
bar = "~2.7 || ^3.6"
baz = { git = "https://github.com/x/baz.git", rev = "abc123", extras = ["b", "a"] }

[tool.poetry.dependencies.qux]
version = "1.2.*"
markers = "os_name == 'posix'"

[tool.poetry.extras]
Socks = ["PySocks"]

[tool.poetry.group.dev]
optional = true

[tool.poetry.group.dev.dependencies]
pytest = "^8.0"

[tool.poetry.dev-dependencies]
black = "*"
`

func TestPoetry(t *testing.T) {
	p := mustParse(t, poetryProject)
	if p.Name != "poet" || p.Version != "1.0" {
		t.Errorf("name, version = %q, %q", p.Name, p.Version)
	}
	if got := p.RequiresPython.String(); got != ">=3.8,<4.0" || p.RequiresPythonLine != 6 {
		t.Errorf("python = %q at line %d", got, p.RequiresPythonLine)
	}
	main := "[tool.poetry.dependencies]"
	checkDeps(t, "dependencies", p.Dependencies, []depSummary{
		{"requests<3,>=2.31", main, 7},
		{`pendulum<2.2,>=2.1; python_version >= "3.9" and sys_platform == "linux"`, main, 8},
		{`foo<=1.9; python_version >= "3.6" and python_version < "3.8"`, main, 10},
		{`foo<3,>=2; python_version >= "3.8"`, main, 11},
		{"bar (<2.8,>=2.7 || <4,>=3.6)", main, 14},
		{"baz[a,b] @ git+https://github.com/x/baz.git@abc123", main, 15},
		{`qux==1.2.*; os_name == "posix"`, main, 17},
	})
	bar := p.Dependencies[4]
	if !bar.Union.IsUnion() || len(bar.Requirement.Specifier) != 0 {
		t.Errorf("bar: union %v, specifier %v", bar.Union, bar.Requirement.Specifier)
	}
	if !bar.Range().Contains(mustVersion(t, "3.7")) || bar.Range().Contains(mustVersion(t, "3.0")) {
		t.Errorf("bar range = %v", bar.Range())
	}
	if bar.Text != `bar = "~2.7 || ^3.6"` {
		t.Errorf("bar text = %q", bar.Text)
	}
	if len(p.Extras) != 1 || p.Extras[0].Name != "socks" {
		t.Fatalf("extras = %+v", p.Extras)
	}
	checkDeps(t, "extra socks", p.Extras[0].Dependencies, []depSummary{{"pysocks<2,>=1.7", main, 13}})
	if len(p.Groups) != 1 || p.Groups[0].Name != "dev" || !p.Groups[0].Optional {
		t.Fatalf("groups = %+v", p.Groups)
	}
	checkDeps(t, "group dev", p.Groups[0].Dependencies, []depSummary{
		{"pytest<9,>=8", "[tool.poetry.group.dev.dependencies]", 28},
		{"black", "[tool.poetry.dev-dependencies]", 31},
	})
	if len(p.Warnings) != 0 {
		t.Errorf("warnings = %+v", p.Warnings)
	}
}

func TestPoetryOptionalWithoutExtra(t *testing.T) {
	p := mustParse(t, "[tool.poetry.dependencies]\nfoo = { version = \"^1\", optional = true }\n")
	if len(p.Dependencies) != 0 || len(p.Extras) != 0 {
		t.Errorf("optional dependency installed: %+v %+v", p.Dependencies, p.Extras)
	}
	if len(p.Warnings) != 1 || p.Warnings[0].Line != 2 {
		t.Errorf("warnings = %+v", p.Warnings)
	}
}

func TestPEP621WinsOverPoetry(t *testing.T) {
	p := mustParse(t, `[project]
name = "both"
requires-python = ">=3.10"
dependencies = ["httpx"]

[tool.poetry.dependencies]
python = "^3.8"
requests = "*"
`)
	checkDeps(t, "dependencies", p.Dependencies, []depSummary{{"httpx", "[project.dependencies]", 4}})
	if p.RequiresPython.String() != ">=3.10" {
		t.Errorf("requires-python = %q", p.RequiresPython)
	}
	if len(p.Warnings) != 2 {
		t.Errorf("warnings = %+v", p.Warnings)
	}
}

func TestDynamic(t *testing.T) {
	_, err := Parse("pyproject.toml", []byte("[project]\nname = \"d\"\ndynamic = [\"version\", \"dependencies\"]\n"))
	var de *DynamicError
	if !errors.As(err, &de) || de.Field != "dependencies" || de.Line != 3 {
		t.Fatalf("error = %v, want a *DynamicError for dependencies at line 3", err)
	}
	p := mustParse(t, "[project]\nname = \"d\"\ndynamic = [\"dependencies\"]\n\n[tool.poetry.dependencies]\nrequests = \"^2\"\n")
	checkDeps(t, "dependencies", p.Dependencies, []depSummary{{"requests<3,>=2", "[tool.poetry.dependencies]", 6}})
	_, err = Parse("pyproject.toml", []byte("[project]\nname = \"d\"\ndynamic = [\"dependencies\"]\ndependencies = []\n"))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Line != 3 {
		t.Errorf("error = %v, want a *FieldError at line 3", err)
	}
}

func TestErrorPositions(t *testing.T) {
	tests := []struct {
		name, src string
		check     func(error) string
	}{
		{"toml", "[project]\nname = \"x\"\ndependencies = [\"a\",, ]\n", func(err error) string {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line != 3 || se.Column == 0 || !strings.Contains(se.Text, "dependencies") {
				return "want a *SyntaxError at line 3 with its text"
			}
			return ""
		}},
		{"requirement", "[project]\nname = \"x\"\ndependencies = [\n  \"ok\",\n  \"bad >>> 1\",\n]\n", func(err error) string {
			var re *RequirementError
			if !errors.As(err, &re) || re.Line != 5 || re.Text != "bad >>> 1" || re.Section != "[project.dependencies]" || re.Err == nil {
				return "want a *RequirementError at line 5"
			}
			return ""
		}},
		{"group requirement", "[dependency-groups]\ndev = [\"ok\",\n\"!bad\"]\n", func(err error) string {
			var re *RequirementError
			if !errors.As(err, &re) || re.Line != 3 || re.Section != "[dependency-groups.dev]" {
				return "want a *RequirementError at line 3"
			}
			return ""
		}},
		{"poetry constraint", "[tool.poetry.dependencies]\nok = \"1\"\nbad = \"^^1\"\n", func(err error) string {
			var re *RequirementError
			var ce *ConstraintError
			if !errors.As(err, &re) || re.Line != 3 || re.Text != `bad = "^^1"` || !errors.As(err, &ce) {
				return "want a *RequirementError wrapping a *ConstraintError at line 3"
			}
			return ""
		}},
		{"requires-python", "[project]\nname = \"x\"\n\nrequires-python = \">=3.x\"\n", func(err error) string {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Line != 4 || fe.Field != "project.requires-python" {
				return "want a *FieldError at line 4"
			}
			return ""
		}},
		{"type", "[project]\nname = \"x\"\ndependencies = \"requests\"\n", func(err error) string {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Line != 3 {
				return "want a *FieldError at line 3"
			}
			return ""
		}},
		{"poetry key", "[tool.poetry.dependencies]\nx = { versoin = \"1\" }\n", func(err error) string {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Line != 2 {
				return "want a *FieldError at line 2"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		_, err := Parse("pyproject.toml", []byte(tt.src))
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if msg := tt.check(err); msg != "" {
			t.Errorf("%s: %v: %s", tt.name, err, msg)
		}
		if !strings.HasPrefix(err.Error(), "pyproject.toml:") {
			t.Errorf("%s: message %q does not start with the file", tt.name, err)
		}
	}
}

func TestInputsIgnoreSpelling(t *testing.T) {
	a := mustParse(t, pep621Project).Inputs()
	b := mustParse(t, `[project]
name = "demo"
requires-python = ">= 3.9.0"
dependencies = ["requests[SOCKS]>=2.0.0; python_version<'3.12'", "HTTPX >= 0.27.0"]
optional-dependencies = { socks = ["pysocks >=1.7.0"] }
`).Inputs()
	if !reflect.DeepEqual(a, b) {
		t.Errorf("equivalent projects differ:\n%+v\n%+v", a, b)
	}
	if d := Diff(a, b); len(d) != 0 {
		t.Errorf("Diff = %+v", d)
	}
}

func TestDiff(t *testing.T) {
	old := mustParse(t, pep621Project)
	now := mustParse(t, strings.Replace(pep621Project, `"httpx>=0.27",`, `"httpx>=0.28", "anyio",`, 1))
	got := Diff(old.Inputs(), now.Inputs())
	want := []Change{
		{Scope: ScopeMain, Name: "anyio", New: "anyio"},
		{Scope: ScopeMain, Name: "httpx", Old: "httpx>=0.27", New: "httpx>=0.28"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Diff =\n%+v\nwant\n%+v", got, want)
	}
	d, ok := now.Declaration(ScopeMain, "anyio")
	if !ok || d.Line != 6 || d.Text != "anyio" || d.Section != "[project.dependencies]" {
		t.Errorf("Declaration = %+v, %v", d, ok)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{pep621Project, poetryProject, "[dependency-groups]\na = [{include-group = \"a\"}]\n", "x = [", "",
		"[[tool.pylock.index]]\nname = \"a\"\nurl = \"https://a/simple\"\n[tool.pylock.sources]\nx = { index = \"a\" }\n" +
			"[[tool.poetry.source]]\nname = \"b\"\nurl = \"https://b/\"\ndefault = true\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("pyproject.toml", data)
		if err != nil {
			return
		}
		in := p.Inputs()
		if d := Diff(in, in); len(d) != 0 {
			t.Errorf("Diff of equal inputs = %+v", d)
		}
		if again, err := Parse("pyproject.toml", data); err != nil || !reflect.DeepEqual(p, again) {
			t.Fatalf("a second Parse differs (%v)", err)
		}
		lines := strings.Count(string(data), "\n") + 1
		deps := p.Dependencies
		for _, e := range p.Extras {
			deps = append(deps, e.Dependencies...)
		}
		for _, g := range p.Groups {
			deps = append(deps, g.Dependencies...)
		}
		for _, d := range deps {
			if d.Line < 1 || d.Line > lines {
				t.Fatalf("dependency %q at line %d of %d", d.Text, d.Line, lines)
			}
			s := d.Requirement.String()
			if r, err := pep508.ParseRequirement(s); err != nil || r.String() != s {
				t.Fatalf("requirement %q does not re-parse: %v", s, err)
			}
		}
	})
}

// privateSource declares the Poetry source the table-form tests pin to.
const privateSource = "[[tool.poetry.source]]\nname = \"private\"\nurl = \"https://private.example/simple\"\n"

func TestPoetryTableForms(t *testing.T) {
	tests := []struct{ entry, want string }{
		{`a = { version = "^1", python = "~2.7 || ^3.6", platform = "linux || darwin" }`,
			`a<2,>=1; ((python_version >= "2.7" and python_version < "2.8") or (python_version >= "3.6" and python_version < "4.0")) and (sys_platform == "linux" or sys_platform == "darwin")`},
		{`b = { version = "1.*", python = "3.8.*" }`, `b==1.*; python_version == "3.8.*"`},
		{`c = { version = ">=1", python = ">3.8,<=3.11" }`, `c>=1; python_full_version > "3.8" and python_full_version <= "3.11"`},
		{`d = { path = "../d", develop = true }`, `d @ file:../d`},
		{`e = { url = "https://x/e.whl", markers = "os_name == 'nt'" }`, `e @ https://x/e.whl ; os_name == "nt"`},
		{`f = { version = "!=1.5", python = "!=3.8.*,>=3.6.1", platform = "!=win32" }`,
			`f!=1.5; python_version != "3.8.*" and python_full_version >= "3.6.1" and sys_platform != "win32"`},
		{`g = { git = "https://g/g.git", branch = "main", subdirectory = "sub" }`, `g @ git+https://g/g.git@main#subdirectory=sub`},
		{`h = { extras = ["Y", "x", "y"] }`, `h[x,y]`},
		{`i = { version = "^1", allow-prereleases = true, source = "private" }`, `i<2,>=1`},
	}
	for _, tt := range tests {
		p, err := Parse("pyproject.toml", []byte("[tool.poetry.dependencies]\n"+tt.entry+"\n"+privateSource))
		if err != nil {
			t.Errorf("%s: %v", tt.entry, err)
			continue
		}
		if len(p.Dependencies) != 1 {
			t.Errorf("%s: %d dependencies", tt.entry, len(p.Dependencies))
			continue
		}
		d := p.Dependencies[0]
		if got := d.Canonical(); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.entry, got, tt.want)
		}
		if d.Line != 2 || d.Text != tt.entry {
			t.Errorf("%s: line %d, text %q", tt.entry, d.Line, d.Text)
		}
	}
	p := mustParse(t, "[tool.poetry.dependencies]\ni = { version = \"^1\", allow-prereleases = true, source = \"private\", develop = true }\n"+privateSource)
	d := p.Dependencies[0]
	if d.AllowPrereleases == nil || !*d.AllowPrereleases || d.Source != "private" || !d.Develop {
		t.Errorf("details = %+v", d)
	}
}

func TestPoetryDottedAndCRLF(t *testing.T) {
	p := mustParse(t, "[tool.poetry.dependencies]\r\n# comment\r\nc.version = \">=1\"\r\nc.python = \">=3.8\"\r\n[tool.poetry.group.main.dependencies]\r\ng = \"2\"\r\n")
	checkDeps(t, "dependencies", p.Dependencies, []depSummary{
		{`c>=1; python_version >= "3.8"`, "[tool.poetry.dependencies]", 3},
		{"g==2", "[tool.poetry.group.main.dependencies]", 6},
	})
	if want := `c = {python = ">=3.8", version = ">=1"}`; p.Dependencies[0].Text != want {
		t.Errorf("text = %q, want %q", p.Dependencies[0].Text, want)
	}
}
