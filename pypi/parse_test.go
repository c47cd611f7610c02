package pypi

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

var testPage = mustURL("https://user:pw@example.org/simple/demo/")

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestParseSimpleHTML(t *testing.T) {
	tests := []struct {
		name string
		html string
		want []rawFile
	}{
		{"empty page", `<!DOCTYPE html><html><body></body></html>`, nil},
		{
			"escaped attributes",
			`<a href="/files/demo-1.0.tar.gz#sha256=ABCD" data-requires-python="&gt;=3.8,&lt;4">demo-1.0.tar.gz</a>`,
			[]rawFile{{Filename: "demo-1.0.tar.gz", URL: "https://example.org/files/demo-1.0.tar.gz", SHA256: "abcd", Size: -1, RequiresPython: ">=3.8,<4"}},
		},
		{
			"relative, yanked without reason, metadata true",
			`<A HREF='../../f/demo-1.0-py3-none-any.whl' data-yanked data-dist-info-metadata="true">x</A>`,
			[]rawFile{{Filename: "demo-1.0-py3-none-any.whl", URL: "https://example.org/f/demo-1.0-py3-none-any.whl", Size: -1, Yanked: true, CoreMetadata: true}},
		},
		{
			"core-metadata wins over dist-info-metadata, yanked reason",
			`<a data-yanked="bad &amp; old" href=https://cdn.example/demo-1.0-py3-none-any.whl data-dist-info-metadata="true" data-core-metadata="sha256=FF">x</a>`,
			[]rawFile{{Filename: "demo-1.0-py3-none-any.whl", URL: "https://cdn.example/demo-1.0-py3-none-any.whl", Size: -1, Yanked: true, YankedReason: "bad & old", CoreMetadata: true, CoreMetadataSHA256: "ff"}},
		},
		{
			"base href, comments, script, anchors without href",
			`<base href="https://mirror.example/pkgs/"><!-- <a href="no.tar.gz"> --><script>"<a href=x>"</script><a name="top">t</a><a href="demo-2.0.zip#md5=00" data-core-metadata="false">z</a>`,
			[]rawFile{{Filename: "demo-2.0.zip", URL: "https://mirror.example/pkgs/demo-2.0.zip", Size: -1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSimpleHTML([]byte(tt.html), testPage)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d files %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("file %d:\n got %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseSimpleHTMLErrors(t *testing.T) {
	tests := []struct{ name, html, msg string }{
		{"unterminated value", `<a href="demo-1.0.tar.gz>`, "unterminated attribute value at offset 8"},
		{"unterminated tag", `<a href=x`, "unterminated tag at offset 0"},
		{"unterminated comment", `ok <!-- no end`, "unterminated comment at offset 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseSimpleHTML([]byte(tt.html), testPage)
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want *ResponseError", err)
			}
			want := "malformed simple API HTML from https://user:****@example.org/simple/demo/: " + tt.msg
			if err.Error() != want {
				t.Errorf("err = %q\nwant  %q", err, want)
			}
		})
	}
}

func TestParseSimpleJSON(t *testing.T) {
	doc := `{"meta":{"api-version":"1.1"},"name":"demo","files":[
	 {"filename":"demo-1.0.tar.gz","url":"../../files/demo-1.0.tar.gz","hashes":{"sha256":"AA"},"requires-python":">=3.8","yanked":"old","size":10,"upload-time":"2024-01-02T03:04:05.123456Z"},
	 {"filename":"demo-1.0-py3-none-any.whl","url":"https://cdn/demo-1.0-py3-none-any.whl#sha256=bb","hashes":{},"yanked":false,"core-metadata":{"sha256":"CC"}},
	 {"filename":"demo-1.1-py3-none-any.whl","url":"https://cdn/demo-1.1-py3-none-any.whl","hashes":{},"yanked":true,"dist-info-metadata":true}]}`
	got, err := parseSimpleJSON([]byte(doc), testPage)
	if err != nil {
		t.Fatal(err)
	}
	want := []rawFile{
		{Filename: "demo-1.0.tar.gz", URL: "https://example.org/files/demo-1.0.tar.gz", SHA256: "aa", Size: 10, RequiresPython: ">=3.8", Yanked: true, YankedReason: "old", UploadTime: time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC)},
		{Filename: "demo-1.0-py3-none-any.whl", URL: "https://cdn/demo-1.0-py3-none-any.whl", SHA256: "bb", Size: -1, CoreMetadata: true, CoreMetadataSHA256: "cc"},
		{Filename: "demo-1.1-py3-none-any.whl", URL: "https://cdn/demo-1.1-py3-none-any.whl", Size: -1, Yanked: true, CoreMetadata: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range got {
		if !got[i].UploadTime.Equal(want[i].UploadTime) {
			t.Errorf("file %d upload time %v, want %v", i, got[i].UploadTime, want[i].UploadTime)
		}
		got[i].UploadTime, want[i].UploadTime = time.Time{}, time.Time{}
		if got[i] != want[i] {
			t.Errorf("file %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestParseJSONErrors(t *testing.T) {
	tests := []struct {
		name, doc, msg string
		parse          func([]byte, *url.URL) ([]rawFile, error)
	}{
		{"pep691 syntax", `{"meta":`, "unexpected end of JSON input", parseSimpleJSON},
		{"pep691 version", `{"meta":{"api-version":"2.0"},"files":[]}`, `unsupported api-version "2.0"`, parseSimpleJSON},
		{"pep691 yanked type", `{"meta":{"api-version":"1.0"},"files":[{"filename":"a","url":"b","yanked":3}]}`, "files[0]: yanked: want a boolean or a string", parseSimpleJSON},
		{"pep691 bad time", `{"meta":{"api-version":"1.0"},"files":[{"filename":"a","url":"b","upload-time":"yesterday"}]}`, `files[0]: invalid upload-time "yesterday"`, parseSimpleJSON},
		{"json api missing releases", `{"info":{}}`, `missing "info" or "releases"`, parseJSONProject},
		{"json api wrong type", `{"info":{},"releases":[]}`, "releases: want object, got array at offset 23", parseJSONProject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.parse([]byte(tt.doc), testPage)
			var re *ResponseError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want a *ResponseError containing %q", err, tt.msg)
			}
			if strings.Contains(err.Error(), ":pw@") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestParseJSONProject(t *testing.T) {
	doc := `{"info":{"name":"demo","version":"2.0","requires_dist":null},"releases":{
	 "1.0":[{"filename":"demo-1.0.tar.gz","url":"https://files/demo-1.0.tar.gz","digests":{"sha256":"AB"},"size":5,"requires_python":null,"yanked":true,"yanked_reason":"why","upload_time_iso_8601":"2023-01-01T12:00:00.000000Z"}],
	 "2.0":[]}}`
	got, err := parseJSONProject([]byte(doc), testPage)
	if err != nil {
		t.Fatal(err)
	}
	want := rawFile{Filename: "demo-1.0.tar.gz", URL: "https://files/demo-1.0.tar.gz", Version: "1.0", SHA256: "ab", Size: 5,
		Yanked: true, YankedReason: "why", UploadTime: time.Date(2023, 1, 1, 12, 0, 0, 0, time.UTC)}
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	info, err := parseJSONVersion([]byte(`{"info":{"name":"demo","version":"1.0","requires_dist":["a>=1"],"requires_python":">=3"}}`), testPage)
	if err != nil || info.RequiresDist[0] != "a>=1" || *info.RequiresPython != ">=3" {
		t.Errorf("parseJSONVersion = %+v, %v", info, err)
	}
}

func TestParseContentRange(t *testing.T) {
	tests := []struct {
		in                string
		start, end, total int64
		ok                bool
	}{
		{"bytes 100-199/200", 100, 199, 200, true},
		{"bytes 0-0/1", 0, 0, 1, true},
		{"bytes */200", 0, 0, 0, false},
		{"bytes 300-399/200", 0, 0, 0, false},
		{"bytes 100-99/200", 0, 0, 0, false},
		{"bytes 100-200/200", 0, 0, 0, false},
		{"items 0-1/2", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	}
	for _, tt := range tests {
		start, end, total, ok := parseContentRange(tt.in)
		if start != tt.start || end != tt.end || total != tt.total || ok != tt.ok {
			t.Errorf("parseContentRange(%q) = %d %d %d %v, want %d %d %d %v", tt.in, start, end, total, ok, tt.start, tt.end, tt.total, tt.ok)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://pypi.org/simple", "https://pypi.org/simple"},
		{"https://user:secret@host/simple", "https://user:****@host/simple"},
		{"https://token@host/simple", "https://****@host/simple"},
	}
	for _, tt := range tests {
		if got := redactString(tt.in); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// checkFiles is the property every parser's output must have: bounded by
// its input, each URL absolute, without fragment or credentials.
func checkFiles(t *testing.T, input string, files []rawFile) {
	if len(files) > len(input) {
		t.Fatalf("%d files from %d bytes", len(files), len(input))
	}
	for _, f := range files {
		u, err := url.Parse(f.URL)
		if err != nil || !u.IsAbs() || u.Fragment != "" || u.User != nil {
			t.Fatalf("file URL %q is not absolute, fragment- and credential-free", f.URL)
		}
	}
}

func FuzzParseSimpleHTML(f *testing.F) {
	f.Add(`<a href="/files/demo-1.0.tar.gz#sha256=ab" data-requires-python="&gt;=3">demo</a>`)
	f.Add(`<base href="http://x/"><a href=y data-yanked data-core-metadata=sha256=00>y</a>`)
	f.Add(`<!-- <a href="z"> --><script>x</script><a href='q'`)
	f.Fuzz(func(t *testing.T, s string) {
		files, err := parseSimpleHTML([]byte(s), testPage)
		if err == nil {
			checkFiles(t, s, files)
		}
	})
}

func FuzzParseSimpleJSON(f *testing.F) {
	f.Add(`{"meta":{"api-version":"1.1"},"files":[{"filename":"a.whl","url":"a.whl","hashes":{"sha256":"00"},"yanked":"x","core-metadata":{"sha256":"11"}}]}`)
	f.Add(`{"meta":{"api-version":"1.0"},"files":[{"filename":"a","url":"b","yanked":true,"upload-time":"2020-01-01T00:00:00Z","size":1}]}`)
	f.Add(`{"meta":`)
	f.Fuzz(func(t *testing.T, s string) {
		files, err := parseSimpleJSON([]byte(s), testPage)
		if err == nil {
			checkFiles(t, s, files)
		}
	})
}

func FuzzParseJSONAPI(f *testing.F) {
	f.Add(`{"info":{"name":"a","version":"1"},"releases":{"1":[{"filename":"a-1.tar.gz","url":"https://h/a-1.tar.gz","digests":{"sha256":"00"},"upload_time_iso_8601":"2020-01-01T00:00:00.000000Z"}]}}`)
	f.Add(`{"info":{"requires_dist":["a>=1"],"requires_python":">=3"}}`)
	f.Add(`{"releases":null}`)
	f.Fuzz(func(t *testing.T, s string) {
		if files, err := parseJSONProject([]byte(s), testPage); err == nil {
			checkFiles(t, s, files)
		}
		if info, err := parseJSONVersion([]byte(s), testPage); err == nil && info == nil {
			t.Fatal("nil info without error")
		}
		if rec := peekNewest([]byte(s)); rec != nil && !strings.HasPrefix(strings.TrimSpace(s), "{") {
			t.Fatalf("peeked %+v in a page that is not an object", rec)
		}
	})
}
