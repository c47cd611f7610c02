package pyproject

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestIndexes(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		indexes     []string // Inputs().Indexes
		lines       []int    // of Project.Indexes
		sources     []string // Inputs().Sources
		defaultsOff bool
	}{
		{"pylock tables", `[[tool.pylock.index]]
name = "pytorch"
url = "https://download.pytorch.org/whl/cpu/"
explicit = true

[[tool.pylock.index]]
name = "Corp"
url = "https://alice:s3cret@corp.example/simple"
default = true

[[tool.pylock.index]]
name = "extra"
url = "https://extra.example/simple"

[tool.pylock.sources]
Torch = { index = "pytorch" }
`, []string{"extra=https://extra.example/simple", "corp=https://corp.example/simple (default)", "pytorch=https://download.pytorch.org/whl/cpu (explicit)"},
			[]int{11, 6, 1}, []string{"torch=pytorch"}, false},
		{"poetry sources", `[tool.poetry.dependencies]
python = "^3.10"
private-pkg = { version = "^1", source = "private" }

[[tool.poetry.source]]
name = "supp"
url = "https://supp.example/simple"
priority = "supplemental"

[[tool.poetry.source]]
name = "private"
url = "https://private.example/simple"
priority = "explicit"

[[tool.poetry.source]]
name = "first"
url = "https://first.example/simple"

[[tool.poetry.source]]
name = "legacy"
url = "https://legacy.example/simple"
default = true

[[tool.poetry.source]]
name = "PyPI"
priority = "primary"
`, []string{"legacy=https://legacy.example/simple", "first=https://first.example/simple", "pypi=https://pypi.org/simple",
			"supp=https://supp.example/simple (supplemental)", "private=https://private.example/simple (explicit)", "(no default index)"},
			[]int{19, 15, 24, 5, 10}, []string{"private-pkg=private"}, true},
		{"poetry secondary", `[[tool.poetry.source]]
name = "old"
url = "https://old.example/simple"
secondary = true
`, []string{"old=https://old.example/simple (supplemental)"}, []int{1}, []string{}, false},
		{"none", "[project]\nname = \"x\"\n", nil, nil, []string{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("pyproject.toml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			in := p.Inputs()
			if !reflect.DeepEqual(in.Indexes, tt.indexes) {
				t.Errorf("Inputs().Indexes = %q, want %q", in.Indexes, tt.indexes)
			}
			var lines []int
			for _, ix := range p.Indexes {
				lines = append(lines, ix.Line)
			}
			if !reflect.DeepEqual(lines, tt.lines) {
				t.Errorf("index lines = %v, want %v", lines, tt.lines)
			}
			if !reflect.DeepEqual(in.Sources, tt.sources) {
				t.Errorf("Inputs().Sources = %q, want %q", in.Sources, tt.sources)
			}
			if p.DefaultIndexOff != tt.defaultsOff {
				t.Errorf("DefaultIndexOff = %v, want %v", p.DefaultIndexOff, tt.defaultsOff)
			}
			if strings.Contains(strings.Join(in.Indexes, " "), "s3cret") {
				t.Error("Inputs hold a password")
			}
		})
	}
}

func TestIndexErrors(t *testing.T) {
	const two = "[[tool.pylock.index]]\nname = \"a\"\nurl = \"https://a.example/simple\"\n"
	tests := []struct {
		name  string
		src   string
		line  int
		check func(error) bool
	}{
		{"unknown index in sources", two + "[tool.pylock.sources]\nx = { index = \"b\" }\n", 5, func(err error) bool {
			var e *UnknownIndexError
			return errors.As(err, &e) && e.Package == "x" && e.Index == "b" && reflect.DeepEqual(e.Known, []string{"a"})
		}},
		{"unknown poetry source", "[tool.poetry.dependencies]\ny = { version = \"*\", source = \"nope\" }\n", 2, func(err error) bool {
			var e *UnknownIndexError
			return errors.As(err, &e) && e.Index == "nope"
		}},
		{"duplicate names", two + "[[tool.pylock.index]]\nname = \"A\"\nurl = \"https://b.example/simple\"\n", 4, func(err error) bool {
			var e *DuplicateIndexError
			return errors.As(err, &e) && e.FirstLine == 1 && !e.Default
		}},
		{"duplicate across dialects", two + "[[tool.poetry.source]]\nname = \"a\"\nurl = \"https://b.example/simple\"\n", 4, func(err error) bool {
			var e *DuplicateIndexError
			return errors.As(err, &e)
		}},
		{"two defaults", "[[tool.pylock.index]]\nname = \"a\"\nurl = \"https://a.example/\"\ndefault = true\n[[tool.pylock.index]]\nname = \"b\"\nurl = \"https://b.example/\"\ndefault = true\n", 5, func(err error) bool {
			var e *DuplicateIndexError
			return errors.As(err, &e) && e.Default && e.FirstLine == 1
		}},
		{"bad url", "[[tool.pylock.index]]\nname = \"a\"\nurl = \"ftp://u:s3cret@a.example/\"\n", 1, func(err error) bool {
			var e *IndexURLError
			return errors.As(err, &e) && !strings.Contains(err.Error(), "s3cret") && strings.Contains(err.Error(), "****")
		}},
		{"missing url", "[[tool.pylock.index]]\nname = \"a\"\n", 1, func(err error) bool {
			var e *IndexURLError
			return errors.As(err, &e) && e.URL == ""
		}},
		{"bad name", "[[tool.pylock.index]]\nname = \"a b\"\nurl = \"https://a.example/\"\n", 2, func(err error) bool {
			var e *FieldError
			return errors.As(err, &e)
		}},
		{"default and explicit", two + "default = true\nexplicit = true\n", 5, func(err error) bool {
			var e *FieldError
			return errors.As(err, &e)
		}},
		{"unknown key", two + "priority = \"primary\"\n", 4, func(err error) bool {
			var e *FieldError
			return errors.As(err, &e)
		}},
		{"bad poetry priority", "[[tool.poetry.source]]\nname = \"a\"\nurl = \"https://a.example/\"\npriority = \"first\"\n", 4, func(err error) bool {
			var e *FieldError
			return errors.As(err, &e)
		}},
		{"pinned twice", two + "[[tool.pylock.index]]\nname = \"b\"\nurl = \"https://b.example/simple\"\n[tool.pylock.sources]\nx = { index = \"a\" }\n" +
			"[tool.poetry.dependencies]\nx = { version = \"*\", source = \"b\" }\n", 10, func(err error) bool {
			var e *FieldError
			return errors.As(err, &e)
		}},
		{"source not a table", two + "[tool.pylock.sources]\nx = \"a\"\n", 5, func(err error) bool {
			var e *FieldError
			return errors.As(err, &e)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("pyproject.toml", []byte(tt.src))
			if err == nil || !tt.check(err) {
				t.Fatalf("Parse error = %v (%T), not the one wanted", err, err)
			}
			if !strings.Contains(err.Error(), "pyproject.toml:") {
				t.Errorf("error %q names no file", err)
			}
			if got := errorLine(err); got != tt.line {
				t.Errorf("error %q is on line %d, want %d", err, got, tt.line)
			}
		})
	}
}

// errorLine is the line an index-related error points at.
func errorLine(err error) int {
	var (
		u *UnknownIndexError
		d *DuplicateIndexError
		x *IndexURLError
		f *FieldError
	)
	switch {
	case errors.As(err, &u):
		return u.Line
	case errors.As(err, &d):
		return d.Line
	case errors.As(err, &x):
		return x.Line
	case errors.As(err, &f):
		return f.Line
	}
	return 0
}

func TestIndexDiff(t *testing.T) {
	a, b := "a=https://a.example/simple", "b=https://b.example/simple"
	tests := []struct {
		name     string
		old, now Inputs
		want     []Change
	}{
		{"added", Inputs{Indexes: []string{a}}, Inputs{Indexes: []string{a, b}}, []Change{{Scope: ScopeIndexes, Name: "b", New: b}}},
		{"reordered", Inputs{Indexes: []string{a, b}}, Inputs{Indexes: []string{b, a}},
			[]Change{{Scope: ScopeIndexes, Old: a + ", " + b, New: b + ", " + a}}},
		{"source changed", Inputs{Sources: []string{"x=a"}}, Inputs{Sources: []string{"x=b"}},
			[]Change{{Scope: ScopeSources, Name: "x", Old: "x=a", New: "x=b"}}},
		{"same", Inputs{Indexes: []string{a}, Sources: []string{"x=a"}}, Inputs{Indexes: []string{a}, Sources: []string{"x=a"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Diff(tt.old, tt.now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Diff = %+v, want %+v", got, tt.want)
			}
		})
	}
}
