package pyproject

import (
	"errors"
	"reflect"
	"testing"
)

func TestEnvironments(t *testing.T) {
	src := `[project]
name = "demo"
dependencies = []

[tool.pylock]
environments = [
    "sys_platform == 'linux'",
    "sys_platform=='darwin' and python_version>='3.10'",
]
`
	p, err := Parse("pyproject.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Environments) != 2 || p.Environments[0].Line != 7 || p.Environments[1].Line != 8 {
		t.Fatalf("environments = %+v, want two, on lines 7 and 8", p.Environments)
	}
	want := []string{`sys_platform == "darwin" and python_version >= "3.10"`, `sys_platform == "linux"`}
	if got := p.Inputs().Environments; !reflect.DeepEqual(got, want) {
		t.Errorf("Inputs().Environments = %q, want %q", got, want)
	}
	changes := Diff(Inputs{Environments: want[1:]}, p.Inputs())
	wantChanges := []Change{{Scope: ScopeEnvironments, New: want[0]}}
	if !reflect.DeepEqual(changes, wantChanges) {
		t.Errorf("Diff = %+v, want %+v", changes, wantChanges)
	}
}

func TestEnvironmentsErrors(t *testing.T) {
	src := "[tool.pylock]\nenvironments = [\n  \"sys_platform = 'linux'\",\n]\n"
	_, err := Parse("pyproject.toml", []byte(src))
	var re *RequirementError
	if !errors.As(err, &re) || re.Line != 3 || re.Text != "sys_platform = 'linux'" {
		t.Fatalf("Parse error = %v, want a *RequirementError on line 3 naming the marker", err)
	}
	_, err = Parse("pyproject.toml", []byte("[tool.pylock]\nenvironments = \"linux\"\n"))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Line != 2 {
		t.Fatalf("Parse error = %v, want a *FieldError on line 2", err)
	}
}
