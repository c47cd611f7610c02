package pyproject

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/pep440"
)

// TestPoetryConformance checks every row of poetry/constraints.json:
// ParsePoetryConstraint must print what poetry-core prints.
func TestPoetryConformance(t *testing.T) {
	dir := conformance.Dir(t, "poetry")
	data, err := os.ReadFile(filepath.Join(dir, "constraints.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Constraint string `json:"constraint"`
		PEP440     string `json:"pep440"`
	}
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("constraints.json has no rows")
	}
	known := conformance.KnownFailuresOf(t, "poetry")
	for _, row := range rows {
		failure := ""
		c, err := ParsePoetryConstraint(row.Constraint)
		switch {
		case err != nil:
			failure = "error: " + err.Error()
		case c.String() != row.PEP440:
			failure = "got " + c.String() + ", want " + row.PEP440
		}
		conformance.Check(t, known, row.Constraint, failure)
	}
}

func TestParsePoetryConstraint(t *testing.T) {
	tests := []struct{ in, want string }{
		// Outputs poetry-core 2.3.2 gives too.
		{">1.0.0", ">1.0.0"},
		{"1.2.3b5", "==1.2.3b5"},
		{"0.*.*", "==0.*"},
		{"~1.2.3", ">=1.2.3,<1.3.0"},
		{"^1", ">=1,<2"},
		{"^0.1-alpha.1", ">=0.1a1,<0.2"},
		{">2.0,<=3.0", ">2.0,<=3.0"},
		{">=2.7,!=3.0.*,!=3.1.*", ">=2.7,!=3.0.*,!=3.1.*"},
		{"<3.8,>3.7", ">3.7,<3.8"},
		{">=1.0,>=1.5", ">=1.5"},
		{"^1.0.dev0", "==1.*"},
		{">=1.0.dev0,<2.0", "==1.*"},
		{"~1.0.dev0", "==1.0.*"},
		{">= 1.2, < 2", ">=1.2,<2"},
		{">=1.2 <2", ">=1.2,<2"},
		{"== 3.8", "==3.8"},
		{"!= 3.8.*", "!=3.8.*"},
		{"~ 2.7 || ~ 3.8", ">=2.7,<2.8 || >=3.8,<3.9"},
		{"~2.7 || ~3.8 | >=3.10,<3.12", ">=2.7,<2.8 || >=3.8,<3.9 || >=3.10,<3.12"},
		{"^1.0 || ^1.5", ">=1.0,<2.0"},
		{"1.0-1", "==1.0.post1"},
		{"~=1", ">=1,<1.1"},
		{"~=1.2.3.4", ">=1.2.3.4,<1.3.0.0"},
		{"^1.2.3.4", ">=1.2.3.4,<2.0.0.0"},
		{"^0.0.0", ">=0.0.0,<0.0.1"},
		{"V1.2", "==1.2"},
		{"=v1.2", "==1.2"},
		{"1.0+local", "==1.0+local"},
		{"1.0+local.*", "==1.0.*"},
		{"!=2.0a1.*", "<2.0a1.dev0 || >=2.0a2.dev0"},
		{"<1.2.*", "<1.2"},
		{">=1.2.*", ">=1.2"},
		{"1.0RC1", "==1.0rc1"},
		{">=1.0,<=1.0", "==1.0"},
		{"x", ""},
		{"X.X", ""},
		{" * ", ""},
		{"* || ^1", ""},
		{"1.0.0a1.*", ">=1.0.0a1.dev0,<1.0.0a2.dev0"},
		{"1.0.dev3.*", ">=1.0.dev0,<1.0.dev4"},
		{">3.7,||<3.6,", ">3.7 || <3.6"},
		{"    ~    2.7    ||    ~    3.8    |    >=    3.10    ,    <    3.12    ", ">=2.7,<2.8 || >=3.8,<3.9 || >=3.10,<3.12"},
		{"    >    3.8    ,    <=    6.5    ", ">3.8,<=6.5"},
		// Where poetry-core prints something PEP 440 cannot parse or that
		// loses meaning, pylock keeps the meaning.
		{"2.0.post1.*", ">=2.0.post1.dev0,<2.0.post2.dev0"}, // poetry: ==2.0.post1.*
		{"1!2.*", "==1!2.*"},           // poetry: ==2.* (drops the epoch)
		{"==1.0,>=0.5", "==1.0,>=0.5"}, // poetry: ==1.0
		{">=1.0 !=1.5", ">=1.0,!=1.5"}, // poetry: >=1.0,<1.5 || >1.5
	}
	for _, tt := range tests {
		c, err := ParsePoetryConstraint(tt.in)
		if err != nil {
			t.Errorf("ParsePoetryConstraint(%q): %v", tt.in, err)
			continue
		}
		if got := c.String(); got != tt.want {
			t.Errorf("ParsePoetryConstraint(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParsePoetryConstraintErrors(t *testing.T) {
	for _, in := range []string{"", "foo", ">=1.0,<1.0", "<>1.0", "^", "~=", ">=1.0 || foo", "1.0,,2.0", "DEV"} {
		_, err := ParsePoetryConstraint(in)
		var ce *ConstraintError
		if !errors.As(err, &ce) {
			t.Errorf("ParsePoetryConstraint(%q) error = %v, want a *ConstraintError", in, err)
			continue
		}
		if ce.Constraint == "" && in != "" {
			t.Errorf("ParsePoetryConstraint(%q): error names no constraint", in)
		}
	}
}

func TestConstraintUnion(t *testing.T) {
	c, err := ParsePoetryConstraint("~2.7 || ^3.6")
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsUnion() || len(c) != 2 {
		t.Fatalf("got %d sets, want a union of 2", len(c))
	}
	r := c.Range()
	for v, want := range map[string]bool{"2.7.18": true, "2.8": false, "3.5": false, "3.6": true, "3.12.1": true, "4.0": false} {
		if got := r.Contains(mustVersion(t, v)); got != want {
			t.Errorf("range of %q contains %s = %v, want %v", c, v, got, want)
		}
	}
	if got, want := c.Canonical(), "<2.8,>=2.7 || <4,>=3.6"; got != want {
		t.Errorf("Canonical() = %q, want %q", got, want)
	}
}

func TestCanonicalEquivalence(t *testing.T) {
	pairs := [][2]string{
		{"^1.2", ">=1.2,<2"},
		{">=1.2.0, <2.0.0", "<2,>=1.2"},
		{"~1.4", ">=1.4.0,<1.5"},
		{"==1.0", "1"},
	}
	for _, p := range pairs {
		a, err1 := ParsePoetryConstraint(p[0])
		b, err2 := ParsePoetryConstraint(p[1])
		if err1 != nil || err2 != nil {
			t.Fatalf("%v %v", err1, err2)
		}
		if a.Canonical() != b.Canonical() {
			t.Errorf("Canonical(%q) = %q, Canonical(%q) = %q; want equal", p[0], a.Canonical(), p[1], b.Canonical())
		}
	}
}

func FuzzParsePoetryConstraint(f *testing.F) {
	for _, s := range []string{"^1.2.3", "~1.2-beta", ">=2.7,!=3.0.*", "~2.7 || ^3.6", "*", "v2.*.*", "!=2.0a1.*", ">dev", ">3.7 , "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParsePoetryConstraint(s)
		if err != nil {
			return
		}
		_ = c.String()
		_ = c.Canonical()
		if c.Range().IsEmpty() {
			t.Errorf("ParsePoetryConstraint(%q) = %q, which allows no version", s, c)
		}
	})
}

func mustVersion(t *testing.T, s string) pep440.Version {
	t.Helper()
	v, err := pep440.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
