package project

import (
	"reflect"
	"testing"

	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/pyproject"
)

func TestIndexList(t *testing.T) {
	const (
		a    = "https://a.example/simple"
		b    = "https://b.example/simple"
		corp = "https://corp.example/simple"
	)
	declared := `
[[tool.pylock.index]]
name = "corp"
url = "` + corp + `"
default = true

[[tool.pylock.index]]
name = "torch"
url = "https://torch.example/whl"
explicit = true

[[tool.pylock.index]]
name = "first"
url = "https://first.example/simple"
`
	poetry := `
[[tool.poetry.source]]
name = "supp"
url = "https://supp.example/simple"
priority = "supplemental"

[[tool.poetry.source]]
name = "main"
url = "https://main.example/simple"
`
	tests := []struct {
		name   string
		index  string
		extra  []string
		pyproj string // "" for no pyproject.toml
		want   []pypi.Index
	}{
		{"nothing configured", "", nil, "", []pypi.Index{{URL: DefaultIndexURL}}},
		{"flags only", a, []string{b}, "", []pypi.Index{{URL: b}, {URL: a}}},
		{"declared", "", []string{b}, declared, []pypi.Index{
			{URL: b}, {Name: "first", URL: "https://first.example/simple"}, {Name: "corp", URL: corp},
			{Name: "torch", URL: "https://torch.example/whl", Explicit: true}}},
		{"--index-url replaces the declared default", a, nil, declared, []pypi.Index{
			{Name: "first", URL: "https://first.example/simple"}, {URL: a},
			{Name: "torch", URL: "https://torch.example/whl", Explicit: true}, {Name: "corp", URL: corp, Explicit: true}}},
		{"poetry primary turns PyPI off", "", nil, poetry, []pypi.Index{
			{Name: "main", URL: "https://main.example/simple"}, {Name: "supp", URL: "https://supp.example/simple"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(Settings{Dir: t.TempDir(), IndexURL: tt.index, ExtraIndexURLs: tt.extra})
			if err != nil {
				t.Fatal(err)
			}
			var proj *pyproject.Project
			if tt.pyproj != "" {
				if proj, err = pyproject.Parse("pyproject.toml", []byte(tt.pyproj)); err != nil {
					t.Fatal(err)
				}
			}
			if got := p.indexList(proj); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("indexList =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}
