package pep508

import (
	"errors"
	"slices"
	"testing"
)

func TestParseRequirement(t *testing.T) {
	for _, tt := range []struct {
		in                           string
		name, spec, url, marker, str string
		extras                       []string
	}{
		{in: "requests", name: "requests", str: "requests"},
		{in: "  requests  ", name: "requests", str: "requests"},
		{in: "name_", name: "name_", str: "name_"},
		{in: "Foo.Bar[b, a,b] >= 1.0 , <2", name: "Foo.Bar", extras: []string{"a", "b"}, spec: "<2,>=1.0",
			str: "Foo.Bar[a,b]<2,>=1.0"},
		{in: "name[]", name: "name", str: "name"},
		{in: "setuptools (>=18.5)", name: "setuptools", spec: ">=18.5", str: "setuptools>=18.5"},
		{in: "name ( >= 1.0 , < 2 )", name: "name", spec: "<2,>=1.0", str: "name<2,>=1.0"},
		{in: "name ()", name: "name", str: "name"},
		{in: "name==1.0, ", name: "name", spec: "==1.0", str: "name==1.0"},
		{in: "name== 1.0", name: "name", spec: "==1.0", str: "name==1.0"},
		{in: "name==1.0.*", name: "name", spec: "==1.0.*", str: "name==1.0.*"},
		{in: "name==1.0+Local.1", name: "name", spec: "==1.0+Local.1", str: "name==1.0+Local.1"},
		{in: "name===foo(bar", name: "name", spec: "===foo(bar", str: "name===foo(bar"},
		{in: "name ~= 1.0; python_version>'3'", name: "name", spec: "~=1.0", marker: `python_version > "3"`,
			str: `name~=1.0; python_version > "3"`},
		{in: "name;os_name=='nt'", name: "name", marker: `os_name == "nt"`, str: `name; os_name == "nt"`},
		{in: "name @ https://x.org/a.whl", name: "name", url: "https://x.org/a.whl", str: "name@ https://x.org/a.whl"},
		{in: "name@file:///a;b", name: "name", url: "file:///a;b", str: "name@ file:///a;b"},
		{in: "name [x] @ git+https://g/r.git@v1 ; extra == 'A_B' ", name: "name", extras: []string{"x"},
			url: "git+https://g/r.git@v1", marker: `extra == "a-b"`, str: `name[x]@ git+https://g/r.git@v1 ; extra == "a-b"`},
		{in: "name @ https://x.org/a.whl \t", name: "name", url: "https://x.org/a.whl", str: "name@ https://x.org/a.whl"},
	} {
		r, err := ParseRequirement(tt.in)
		if err != nil {
			t.Errorf("ParseRequirement(%q): %v", tt.in, err)
			continue
		}
		if r.Name != tt.name || r.Specifier.String() != tt.spec || r.URL != tt.url ||
			r.Marker.String() != tt.marker || !slices.Equal(r.Extras, tt.extras) {
			t.Errorf("ParseRequirement(%q) = %q %q %q %q %q", tt.in, r.Name, r.Extras, r.Specifier.String(), r.URL, r.Marker.String())
		}
		if got := r.String(); got != tt.str {
			t.Errorf("ParseRequirement(%q).String() = %q, want %q", tt.in, got, tt.str)
		}
		if again, err := ParseRequirement(r.String()); err != nil || again.String() != r.String() {
			t.Errorf("ParseRequirement(%q) = %q, %v; want the same string back", r.String(), again.String(), err)
		}
	}
}

func TestRequirementErrors(t *testing.T) {
	for _, tt := range []struct {
		in     string
		offset int
	}{
		{"", 0},
		{"  ", 2},
		{"-name", 0},
		{"name-", 4},
		{"name[bar baz]", 9},
		{"name[bar, baz,]", 14},
		{"name[bar, baz >= 1.0", 4},
		{"name >= 1.0 <= 2.0", 5},
		{"name 1.0", 5},
		{"name==", 4},
		{"name>=1.0.*", 4},
		{"name>=1.0+local", 4},
		{"name (>=1.0", 5},
		{"name===x,y", 4},
		{"name @ ", 7},
		{"name @ https://x/ extra", 7},
		{"name; ", 6},
		{"name>=1\r", 4},
		{"setuptools (>=18.5decorator)", 11},
		{"naïve", 0},
		{"name\xff", 4},
	} {
		_, err := ParseRequirement(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseRequirement(%q) error = %v, want a *SyntaxError", tt.in, err)
			continue
		}
		if se.Input != tt.in || se.Offset != tt.offset || se.Kind != "requirement" {
			t.Errorf("ParseRequirement(%q): error %q at offset %d, want offset %d", tt.in, se, se.Offset, tt.offset)
		}
	}
}

func TestRequirementStringSortsExtras(t *testing.T) {
	r := Requirement{Name: "x", Extras: []string{"b", "a"}}
	if got := r.String(); got != "x[a,b]" {
		t.Errorf("String() = %q, want x[a,b]", got)
	}
	if r.Extras[0] != "b" {
		t.Error("String changed Extras")
	}
}
