package dist

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pylock/pylock/pep508"
)

const httpxMetadata = `Metadata-Version: 2.3
Name: httpx
Version: 0.27.0
Summary: The next generation HTTP client.
Project-URL: Homepage, https://github.com/encode/httpx
Author-email: Tom Christie <tom@tomchristie.com>
License-Expression: BSD-3-Clause
Classifier: Development Status :: 4 - Beta
Requires-Python: >=3.8
Requires-Dist: anyio
Requires-Dist: certifi
Requires-Dist: httpcore==1.*
Provides-Extra: brotli
Requires-Dist: brotli; (platform_python_implementation == 'CPython') and extra == 'brotli'
Requires-Dist: brotlicffi; (platform_python_implementation != 'CPython') and extra == 'brotli'
Provides-Extra: cli
Requires-Dist: click==8.*; extra == 'cli'
Description-Content-Type: text/markdown

# HTTPX

A next generation HTTP client.
`

func TestParseMetadata(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     Metadata
		reqNames []string
	}{
		{
			name: "httpx",
			in:   httpxMetadata,
			want: Metadata{MetadataVersion: "2.3", Name: "httpx", Version: "0.27.0", RequiresPython: ">=3.8",
				Summary: "The next generation HTTP client.", ProvidesExtra: []string{"brotli", "cli"},
				Description: "# HTTPX\n\nA next generation HTTP client."},
			reqNames: []string{"anyio", "certifi", "httpcore", "brotli", "brotlicffi", "click"},
		},
		{
			name: "crlf, folded fields, case-insensitive names, dynamic",
			in: "Metadata-Version: 2.2\r\nname: Foo.Bar\r\nVERSION: 1.0\r\nSummary: a long\r\n  summary\r\n" +
				"Requires-Dist: idna\r\n  >=2.8\r\nDynamic: Requires-Dist\r\nDynamic: Provides-Extra\r\n",
			want: Metadata{MetadataVersion: "2.2", Name: "Foo.Bar", Version: "1.0", Summary: "a long summary",
				Dynamic: []string{"Requires-Dist", "Provides-Extra"}},
			reqNames: []string{"idna"},
		},
		{
			name: "description field with setuptools margin",
			in:   "Metadata-Version: 1.1\nName: old\nVersion: 0.1\nDescription: line one\n        |line two\n        |\n",
			want: Metadata{MetadataVersion: "1.1", Name: "old", Version: "0.1", Description: "line one\nline two\n"},
		},
		{
			name: "no trailing newline",
			in:   "Name: a\nVersion: 1",
			want: Metadata{Name: "a", Version: "1"},
		},
	}
	for _, tt := range tests {
		m, err := ParseMetadata([]byte(tt.in))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var names []string
		for _, r := range m.RequiresDist {
			names = append(names, r.Name)
		}
		got := m
		got.RequiresDist = nil
		if !equalMetadata(got, tt.want) || !slices.Equal(names, tt.reqNames) {
			t.Errorf("%s: got %+v requirements %v\nwant %+v requirements %v", tt.name, got, names, tt.want, tt.reqNames)
		}
	}
}

func equalMetadata(a, b Metadata) bool {
	return a.MetadataVersion == b.MetadataVersion && a.Name == b.Name && a.Version == b.Version &&
		a.RequiresPython == b.RequiresPython && a.Summary == b.Summary && a.Description == b.Description &&
		slices.Equal(a.ProvidesExtra, b.ProvidesExtra) && slices.Equal(a.Dynamic, b.Dynamic)
}

func TestParseMetadataErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		line  int
		field string
	}{
		{"bad requirement", "Name: a\nVersion: 1\nRequires-Dist: ok\nRequires-Dist: name==\n", 4, "Requires-Dist"},
		{"no colon", "Name: a\nthis is not a field\nVersion: 1\n", 2, ""},
		{"space in field name", "Name: a\nBad Field: x\n", 2, ""},
		{"continuation first", "  folded\nName: a\n", 1, ""},
		{"missing name", "Version: 1\n", 0, "Name"},
		{"missing version", "Name: a\n\nVersion: 1\n", 0, "Version"},
		{"empty", "", 0, "Name"},
	}
	for _, tt := range tests {
		_, err := ParseMetadata([]byte(tt.in))
		var me *MetadataError
		if !errors.As(err, &me) {
			t.Errorf("%s: error %v, want *MetadataError", tt.name, err)
			continue
		}
		if me.Line != tt.line || me.Field != tt.field {
			t.Errorf("%s: line %d field %q, want line %d field %q (%v)", tt.name, me.Line, me.Field, tt.line, tt.field, err)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "dist: invalid metadata") {
			t.Errorf("%s: message %q", tt.name, msg)
		}
	}
}

func FuzzParseMetadata(f *testing.F) {
	f.Add([]byte(httpxMetadata))
	f.Add([]byte("Name: a\r\nVersion: 1\r\n folded\r\n\r\nbody"))
	f.Add([]byte("Requires-Dist: x; extra == 'y'\nName: n\nVersion: 0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMetadata(data)
		if err != nil {
			return
		}
		if m.Name == "" || m.Version == "" {
			t.Errorf("ParseMetadata(%q) accepted metadata without name or version", data)
		}
		if n := len(m.RequiresDist) + len(m.ProvidesExtra) + len(m.Dynamic); n > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("%d fields from %d lines", n, bytes.Count(data, []byte("\n"))+1)
		}
		for _, r := range m.RequiresDist {
			if again, err := pep508.ParseRequirement(r.String()); err != nil || again.String() != r.String() {
				t.Fatalf("Requires-Dist %q does not re-parse: %v", r.String(), err)
			}
		}
	})
}
