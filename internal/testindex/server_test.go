package testindex

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func startDemo(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start(demoDir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// noRedirect is a client that reports redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type response struct {
	status int
	header http.Header
	body   []byte
}

// get fetches url with the given request headers ("Name: value").
func get(t *testing.T, url string, headers ...string) response {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, body}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

const acceptJSON = "Accept: application/vnd.pypi.simple.v1+json"

var anchorRE = regexp.MustCompile(`<a href="([^"#]+)#sha256=([0-9a-f]{64})"([^>]*)>([^<]+)</a>`)

func TestSimpleHTML(t *testing.T) {
	s := startDemo(t, Options{})
	root := get(t, s.SimpleURL())
	if root.status != 200 || !strings.HasPrefix(root.header.Get("Content-Type"), "text/html") || !strings.Contains(string(root.body), `<a href="/simple/markupsafe/">MarkupSafe</a>`) {
		t.Fatalf("root: %d %s\n%s", root.status, root.header.Get("Content-Type"), root.body)
	}
	page := get(t, s.SimpleURL()+"httpx/")
	anchors := anchorRE.FindAllStringSubmatch(string(page.body), -1)
	if len(anchors) != 8 {
		t.Fatalf("httpx page has %d file links:\n%s", len(anchors), page.body)
	}
	for _, a := range anchors {
		url, sum, attrs, name := a[1], a[2], a[3], a[4]
		file := get(t, url)
		if file.status != 200 || sha256Hex(file.body) != sum || !strings.HasSuffix(url, "/files/"+name) {
			t.Errorf("%s: status %d, hash %s, link hash %s", url, file.status, sha256Hex(file.body), sum)
		}
		if !strings.Contains(attrs, `data-requires-python="&gt;=3.8"`) {
			t.Errorf("%s: attributes %s", name, attrs)
		}
		if yanked := strings.Contains(name, "0.27.1"); yanked != strings.Contains(attrs, `data-yanked="broken packaging, use 0.27.0"`) {
			t.Errorf("%s: yanked attribute wrong: %s", name, attrs)
		}
		checkCoreMetadata(t, url, name, attrs)
	}
}

// checkCoreMetadata checks the PEP 658/714 attributes of a link against the
// served .metadata file.
func checkCoreMetadata(t *testing.T, url, name, attrs string) {
	t.Helper()
	m := regexp.MustCompile(`data-core-metadata="sha256=([0-9a-f]{64})"`).FindStringSubmatch(attrs)
	if !strings.HasSuffix(name, ".whl") {
		if m != nil || get(t, url+".metadata").status != 404 {
			t.Errorf("%s: sdist has core metadata", name)
		}
		return
	}
	if m == nil || !strings.Contains(attrs, `data-dist-info-metadata="sha256=`+m[1]+`"`) {
		t.Errorf("%s: metadata attributes %s", name, attrs)
		return
	}
	md := get(t, url+".metadata")
	if md.status != 200 || sha256Hex(md.body) != m[1] || !strings.HasPrefix(string(md.body), "Metadata-Version: 2.1\n") {
		t.Errorf("%s.metadata: status %d hash %s want %s", name, md.status, sha256Hex(md.body), m[1])
	}
}

type simpleJSONPage struct {
	Meta     map[string]string `json:"meta"`
	Name     string            `json:"name"`
	Versions []string          `json:"versions"`
	Files    []struct {
		Filename       string            `json:"filename"`
		URL            string            `json:"url"`
		Hashes         map[string]string `json:"hashes"`
		RequiresPython *string           `json:"requires-python"`
		Yanked         any               `json:"yanked"`
		CoreMetadata   any               `json:"core-metadata"`
		DistInfo       any               `json:"dist-info-metadata"`
		Size           int               `json:"size"`
		UploadTime     string            `json:"upload-time"`
	} `json:"files"`
}

func TestSimpleJSON(t *testing.T) {
	s := startDemo(t, Options{})
	root := get(t, s.SimpleURL(), acceptJSON)
	if ct := root.header.Get("Content-Type"); ct != typeJSON || !strings.Contains(string(root.body), `"name": "MarkupSafe"`) {
		t.Fatalf("root: %s\n%s", ct, root.body)
	}
	// pip 23.2's Accept header.
	r := get(t, s.SimpleURL()+"markupsafe/", "Accept: application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01")
	var page simpleJSONPage
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatal(err)
	}
	if page.Meta["api-version"] != "1.1" || page.Name != "markupsafe" || fmt.Sprint(page.Versions) != "[2.1.4 2.1.5]" || len(page.Files) != 5 {
		t.Fatalf("page: %+v", page)
	}
	for _, f := range page.Files {
		file := get(t, f.URL)
		if sha256Hex(file.body) != f.Hashes["sha256"] || len(file.body) != f.Size || f.Yanked != false {
			t.Errorf("%s: hash, size or yanked wrong: %+v", f.Filename, f)
		}
		if f.RequiresPython == nil || *f.RequiresPython != ">=3.7" || !strings.HasPrefix(f.UploadTime, "2024-0") || !strings.HasSuffix(f.UploadTime, "Z") {
			t.Errorf("%s: requires-python or upload-time wrong: %+v", f.Filename, f)
		}
		isWheel := strings.HasSuffix(f.Filename, ".whl")
		cm, _ := f.CoreMetadata.(map[string]any)
		if isWheel != (cm != nil) || (cm != nil && cm["sha256"] != sha256Hex(get(t, f.URL+".metadata").body)) {
			t.Errorf("%s: core-metadata %v", f.Filename, f.CoreMetadata)
		}
	}
	var yanked simpleJSONPage
	if err := json.Unmarshal(get(t, s.SimpleURL()+"httpx/", acceptJSON).body, &yanked); err != nil {
		t.Fatal(err)
	}
	for _, f := range yanked.Files {
		want := any(false)
		if strings.Contains(f.Filename, "0.27.1") {
			want = "broken packaging, use 0.27.0"
		}
		if f.Yanked != want {
			t.Errorf("%s: yanked %v, want %v", f.Filename, f.Yanked, want)
		}
	}
}

func TestNegotiation(t *testing.T) {
	s := startDemo(t, Options{})
	tests := []struct {
		accept, query, want string
		status              int
	}{
		{"", "", "text/html", 200},
		{"*/*", "", "text/html", 200},
		{"text/html", "", "text/html", 200},
		{"application/vnd.pypi.simple.v1+html", "", typeHTML, 200},
		{"application/vnd.pypi.simple.v1+json, */*;q=0.5", "", typeJSON, 200},
		{"text/html, application/vnd.pypi.simple.v1+json;q=0.9", "", "text/html", 200},
		{"application/json", "", "", 406},
		{"", "?format=application/vnd.pypi.simple.v1%2Bjson", typeJSON, 200},
	}
	for _, tt := range tests {
		var h []string
		if tt.accept != "" {
			h = append(h, "Accept: "+tt.accept)
		}
		r := get(t, s.SimpleURL()+"idna/"+tt.query, h...)
		ct, _, _ := strings.Cut(r.header.Get("Content-Type"), ";")
		if r.status != tt.status || (tt.status == 200 && ct != tt.want) {
			t.Errorf("Accept %q %s: %d %s, want %d %s", tt.accept, tt.query, r.status, ct, tt.status, tt.want)
		}
	}
}

func TestRedirectsAndNotFound(t *testing.T) {
	s := startDemo(t, Options{})
	tests := []struct {
		path     string
		status   int
		location string
	}{
		{"/simple/MarkupSafe/", 301, "/simple/markupsafe/"},
		{"/simple/Markup_Safe/", 404, ""}, // normalizes to markup-safe, which does not exist
		{"/simple/httpx", 301, "/simple/httpx/"},
		{"/simple/Py.Test", 301, "/simple/py-test/"},
		{"/pypi/MarkupSafe/json", 301, "/pypi/markupsafe/json"},
		{"/pypi/MarkupSafe/2.1.5/json", 301, "/pypi/markupsafe/2.1.5/json"},
		{"/simple/nope/", 404, ""},
		{"/pypi/nope/json", 404, ""},
		{"/pypi/httpx/9.9/json", 404, ""},
		{"/pypi/httpx/notaversion/json", 404, ""},
		{"/files/nope-1.0-py3-none-any.whl", 404, ""},
		{"/files/httpx-0.27.0.tar.gz.metadata", 404, ""},
		{"/", 404, ""},
	}
	for _, tt := range tests {
		r := get(t, s.URL()+tt.path)
		if tt.path == "/simple/Markup_Safe/" {
			r = get(t, s.URL()+tt.location+"/simple/markup-safe/")
		}
		if r.status != tt.status || r.header.Get("Location") != tt.location {
			t.Errorf("%s: %d %q, want %d %q", tt.path, r.status, r.header.Get("Location"), tt.status, tt.location)
		}
	}
}

func TestJSONAPI(t *testing.T) {
	s := startDemo(t, Options{})
	var page struct {
		Info struct {
			Name           string   `json:"name"`
			Version        string   `json:"version"`
			RequiresDist   []string `json:"requires_dist"`
			RequiresPython *string  `json:"requires_python"`
			Yanked         bool     `json:"yanked"`
			YankedReason   *string  `json:"yanked_reason"`
		} `json:"info"`
		Releases map[string][]struct {
			Filename       string            `json:"filename"`
			URL            string            `json:"url"`
			Digests        map[string]string `json:"digests"`
			Packagetype    string            `json:"packagetype"`
			RequiresPython *string           `json:"requires_python"`
			Yanked         bool              `json:"yanked"`
			YankedReason   *string           `json:"yanked_reason"`
			UploadTime     string            `json:"upload_time_iso_8601"`
			Size           int               `json:"size"`
		} `json:"releases"`
		URLs []json.RawMessage `json:"urls"`
	}
	r := get(t, s.JSONURL()+"httpx/json")
	if err := json.Unmarshal(r.body, &page); err != nil || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("%v %s", err, r.body)
	}
	if page.Info.Name != "httpx" || page.Info.Version != "0.27.0" || len(page.Info.RequiresDist) != 7 || *page.Info.RequiresPython != ">=3.8" || len(page.URLs) != 2 || len(page.Releases) != 4 {
		t.Errorf("info %+v, %d urls, %d releases", page.Info, len(page.URLs), len(page.Releases))
	}
	for v, files := range page.Releases {
		for _, f := range files {
			body := get(t, f.URL).body
			if sha256Hex(body) != f.Digests["sha256"] || len(body) != f.Size || f.Yanked != (v == "0.27.1") || !strings.HasSuffix(f.UploadTime, "Z") {
				t.Errorf("%s %s: %+v", v, f.Filename, f)
			}
			if want := map[bool]string{true: "bdist_wheel", false: "sdist"}[strings.HasSuffix(f.Filename, ".whl")]; f.Packagetype != want {
				t.Errorf("%s: packagetype %s", f.Filename, f.Packagetype)
			}
		}
	}
	if y := page.Releases["0.27.1"][0].YankedReason; y == nil || *y != "broken packaging, use 0.27.0" {
		t.Errorf("yanked reason %v", y)
	}
	one := get(t, s.JSONURL()+"httpx/0.26.0/json")
	var release map[string]json.RawMessage
	if err := json.Unmarshal(one.body, &release); err != nil {
		t.Fatal(err)
	}
	if _, ok := release["releases"]; ok || !strings.Contains(string(release["info"]), `"version": "0.26.0"`) {
		t.Errorf("per-version page: %s", one.body)
	}
	iniconfig := get(t, s.JSONURL()+"iniconfig/json")
	if !strings.Contains(string(iniconfig.body), `"requires_dist": null`) {
		t.Errorf("iniconfig requires_dist is not null:\n%s", iniconfig.body)
	}
}

func TestRangeAndConditionalRequests(t *testing.T) {
	s := startDemo(t, Options{})
	url := s.URL() + "/files/httpx-0.27.0-py3-none-any.whl"
	full := get(t, url)
	if full.header.Get("Accept-Ranges") != "bytes" {
		t.Errorf("Accept-Ranges %q", full.header.Get("Accept-Ranges"))
	}
	n := len(full.body)
	tests := []struct {
		rng        string
		start, end int
	}{
		{"bytes=0-9", 0, 10},
		{"bytes=-22", n - 22, n},
		{fmt.Sprintf("bytes=%d-", n-100), n - 100, n},
	}
	for _, tt := range tests {
		r := get(t, url, "Range: "+tt.rng)
		want := fmt.Sprintf("bytes %d-%d/%d", tt.start, tt.end-1, n)
		if r.status != 206 || string(r.body) != string(full.body[tt.start:tt.end]) || r.header.Get("Content-Range") != want {
			t.Errorf("Range %s: %d %q", tt.rng, r.status, r.header.Get("Content-Range"))
		}
	}
	if r := get(t, url, "Range: bytes=999999-"); r.status != 416 {
		t.Errorf("unsatisfiable range: %d", r.status)
	}
	if r := get(t, url, "If-None-Match: "+full.header.Get("ETag")); r.status != 304 {
		t.Errorf("file If-None-Match: %d", r.status)
	}
	page := get(t, s.SimpleURL()+"httpx/")
	if r := get(t, s.SimpleURL()+"httpx/", "If-None-Match: "+page.header.Get("ETag")); r.status != 304 || len(r.body) != 0 {
		t.Errorf("page If-None-Match: %d", r.status)
	}
}

func TestOptions(t *testing.T) {
	s := startDemo(t, Options{NoJSONAPI: true, NoSimpleJSON: true, NoMetadataFiles: true, RelativeURLs: true})
	if r := get(t, s.JSONURL()+"httpx/json"); r.status != 404 {
		t.Errorf("JSON API off: %d", r.status)
	}
	page := get(t, s.SimpleURL()+"httpx/", acceptJSON)
	if ct := page.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("PEP 691 off: content type %s", ct)
	}
	body := string(page.body)
	if strings.Contains(body, "data-core-metadata") || !strings.Contains(body, `href="../../files/httpx-0.27.0-py3-none-any.whl#sha256=`) {
		t.Errorf("page:\n%s", body)
	}
	if r := get(t, s.URL()+"/files/httpx-0.27.0-py3-none-any.whl.metadata"); r.status != 404 {
		t.Errorf("metadata files off: %d", r.status)
	}
}

func TestBasicAuthAndCounts(t *testing.T) {
	s := startDemo(t, Options{BasicAuth: "alice:s3cret"})
	if r := get(t, s.SimpleURL()); r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
		t.Errorf("no credentials: %d", r.status)
	}
	req, _ := http.NewRequest("GET", s.SimpleURL()+"idna/", nil)
	req.SetBasicAuth("alice", "s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("with credentials: %d", resp.StatusCode)
	}
	get(t, s.SimpleURL()+"idna/")
	if n := s.Requests("/simple/idna/"); n != 2 {
		t.Errorf("Requests(/simple/idna/) = %d, want 2", n)
	}
	if n := s.TotalRequests(); n != 3 {
		t.Errorf("TotalRequests = %d, want 3", n)
	}
	if c := s.RequestCounts(); c["/simple/"] != 1 || len(c) != 2 {
		t.Errorf("RequestCounts = %v", c)
	}
	s.ResetRequests()
	if n := s.TotalRequests(); n != 0 {
		t.Errorf("after reset: %d", n)
	}
}
