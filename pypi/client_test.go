package pypi

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/pep440"
)

// startIndex serves testdata/index with opts for the length of the test.
func startIndex(t *testing.T, opts testindex.Options) *testindex.Server {
	t.Helper()
	return startIndexDir(t, "testdata/index", opts)
}

// newClient returns a client for indexURL with fast retries.
func newClient(t *testing.T, indexURL string, cacheDir string) *Client {
	t.Helper()
	c, err := New(Options{IndexURL: indexURL, CacheDir: cacheDir, RetryWait: time.Millisecond, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// modes are the kinds of index the client must handle.
var modes = []struct {
	name     string
	opts     testindex.Options
	jsonAPI  bool
	metadata bool // PEP 658 files advertised by the Simple API
}{
	{"json api", testindex.Options{}, true, false},
	{"pep 691 json", testindex.Options{NoJSONAPI: true}, false, true},
	{"pep 503 html", testindex.Options{NoJSONAPI: true, NoSimpleJSON: true}, false, true},
	{"html relative urls", testindex.Options{NoJSONAPI: true, NoSimpleJSON: true, RelativeURLs: true}, false, true},
	{"html no metadata files", testindex.Options{NoJSONAPI: true, NoSimpleJSON: true, NoMetadataFiles: true}, false, false},
	{"pep 691 no metadata files", testindex.Options{NoJSONAPI: true, NoMetadataFiles: true}, false, false},
}

func TestProject(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := startIndex(t, m.opts)
			c := newClient(t, srv.SimpleURL(), "")
			p, err := c.Project(context.Background(), "Demo")
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != "demo" || p.FromJSONAPI != m.jsonAPI {
				t.Errorf("Name %q FromJSONAPI %v, want demo %v", p.Name, p.FromJSONAPI, m.jsonAPI)
			}
			checkDemoFiles(t, srv, p, m.metadata)
			var versions []string
			for _, r := range p.Releases() {
				versions = append(versions, r.Version.String())
			}
			if got := strings.Join(versions, " "); got != "0.9 1.0 2.0 2.1rc1" {
				t.Errorf("versions %q", got)
			}
		})
	}
}

// checkDemoFiles compares every file with what the index built.
func checkDemoFiles(t *testing.T, srv *testindex.Server, p *Project, metadata bool) {
	t.Helper()
	want := srv.Index().Project("demo")
	n := 0
	for _, rel := range want.Releases {
		n += len(rel.Files)
	}
	if len(p.Files) != n {
		t.Fatalf("%d files, want %d", len(p.Files), n)
	}
	for _, f := range p.Files {
		wf := srv.Index().File(f.Filename)
		if wf == nil {
			t.Fatalf("unknown file %q", f.Filename)
		}
		rel := wf.Release
		if !f.Version.Equal(rel.Version) || f.SHA256 != wf.SHA256 || f.RequiresPython != rel.RequiresPython ||
			f.Yanked != rel.Yanked || f.YankedReason != rel.YankedReason || f.Wheel != strings.HasSuffix(f.Filename, ".whl") {
			t.Errorf("file %+v does not match the index", f)
		}
		if f.Size != -1 && f.Size != int64(len(wf.Data)) {
			t.Errorf("%s: size %d, want %d", f.Filename, f.Size, len(wf.Data))
		}
		if !f.UploadTime.IsZero() && !f.UploadTime.Equal(rel.UploadTime) {
			t.Errorf("%s: upload time %v, want %v", f.Filename, f.UploadTime, rel.UploadTime)
		}
		if wantMeta := metadata && f.Wheel; f.CoreMetadata != wantMeta || (wantMeta && f.CoreMetadataSHA256 != wf.MetadataSHA256) {
			t.Errorf("%s: core metadata %v %q, want %v", f.Filename, f.CoreMetadata, f.CoreMetadataSHA256, wantMeta)
		}
		if u, err := url.Parse(f.URL); err != nil || !u.IsAbs() || !strings.HasSuffix(u.Path, "/files/"+f.Filename) {
			t.Errorf("%s: URL %q", f.Filename, f.URL)
		}
	}
}

func TestReleases(t *testing.T) {
	srv := startIndex(t, testindex.Options{})
	c := newClient(t, srv.SimpleURL(), "")
	rels, err := c.Versions(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		version, requiresPython string
		yanked                  bool
		files                   int
	}{
		{"0.9", "", true, 2},
		{"1.0", ">=3.8", false, 2},
		{"2.0", ">=3.9", false, 3},
		{"2.1rc1", "", false, 2},
	}
	if len(rels) != len(tests) {
		t.Fatalf("%d releases, want %d", len(rels), len(tests))
	}
	for i, tt := range tests {
		r := rels[i]
		if r.Version.String() != tt.version || r.RequiresPython.String() != tt.requiresPython || r.Yanked != tt.yanked || len(r.Files) != tt.files {
			t.Errorf("release %d = %s %q yanked %v %d files, want %+v", i, r.Version, r.RequiresPython, r.Yanked, len(r.Files), tt)
		}
	}
}

// requirementNames lists the names of the Requires-Dist entries.
func requirementNames(t *testing.T, c *Client, name, version string) string {
	t.Helper()
	md, err := c.Metadata(context.Background(), name, pep440.MustParse(version))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range md.RequiresDist {
		names = append(names, r.Name)
	}
	return md.Name + " " + md.Version + ": " + strings.Join(names, ",")
}

func TestMetadataSources(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := startIndex(t, m.opts)
			c := newClient(t, srv.SimpleURL(), "")
			if got := requirementNames(t, c, "demo", "1.0"); got != "demo 1.0: dep" {
				t.Errorf("metadata of 1.0: %q", got)
			}
			if got := requirementNames(t, c, "demo", "2.0"); got != "demo 2.0: dep,other,speedup" {
				t.Errorf("metadata of 2.0: %q", got)
			}
			counts := srv.RequestCounts()
			jsonCalls := counts["/pypi/demo/1.0/json"]
			metaCalls := counts["/files/demo-1.0-py3-none-any.whl.metadata"]
			wheelCalls := counts["/files/demo-1.0-py3-none-any.whl"]
			switch {
			case m.jsonAPI:
				// The project document's info is 2.0's metadata: no request for it.
				if jsonCalls != 1 || counts["/pypi/demo/2.0/json"] != 0 || metaCalls+wheelCalls != 0 {
					t.Errorf("json api mode made requests %v", counts)
				}
			case m.metadata:
				if metaCalls != 1 || wheelCalls != 0 {
					t.Errorf("pep 658 mode made requests %v", counts)
				}
			default:
				if wheelCalls == 0 || metaCalls != 0 {
					t.Errorf("range mode made requests %v", counts)
				}
			}
		})
	}
}

func TestMetadataOnlySdist(t *testing.T) {
	for _, m := range modes[:3] {
		t.Run(m.name, func(t *testing.T) {
			srv := startIndex(t, m.opts)
			c := newClient(t, srv.SimpleURL(), "")
			if got := requirementNames(t, c, "onlysdist", "1.0"); got != "onlysdist 1.0: dep" {
				t.Errorf("metadata from PKG-INFO: %q", got)
			}
		})
	}
}

func TestStaticMetadata(t *testing.T) {
	tests := []struct {
		version string
		dynamic []string
		want    bool
	}{
		{"2.2", nil, true},
		{"2.4", []string{"Summary"}, true},
		{"2.1", nil, false},
		{"1.2", nil, false},
		{"", nil, false},
		{"3.0", nil, true},
		{"2.2", []string{"requires-dist"}, false},
		{"2.3", []string{"Requires-Python"}, false},
	}
	for _, tt := range tests {
		if got := staticMetadata(metadataRecord{MetadataVersion: tt.version, Dynamic: tt.dynamic}); got != tt.want {
			t.Errorf("staticMetadata(%q, %q) = %v, want %v", tt.version, tt.dynamic, got, tt.want)
		}
	}
}

func TestPKGInfoMembers(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"demo-1.0/PKG-INFO", true},
		{"./demo-1.0/PKG-INFO", true},
		{"PKG-INFO", false},
		{"demo-1.0/src/demo.egg-info/PKG-INFO", false},
		{"/PKG-INFO", false},
	}
	for _, tt := range tests {
		if got := isTopPKGInfo(tt.name); got != tt.want {
			t.Errorf("isTopPKGInfo(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMetadataMemoized(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := startIndex(t, m.opts)
			c := newClient(t, srv.SimpleURL(), "")
			requirementNames(t, c, "demo", "2.0")
			before := srv.TotalRequests()
			requirementNames(t, c, "demo", "2.0")
			requirementNames(t, c, "DEMO", "2.0.0")
			if after := srv.TotalRequests(); after != before {
				t.Errorf("second Metadata made %d requests: %v", after-before, srv.RequestCounts())
			}
		})
	}
}

func TestMetadataDiskCache(t *testing.T) {
	srv := startIndex(t, testindex.Options{NoJSONAPI: true, NoMetadataFiles: true})
	dir := t.TempDir()
	requirementNames(t, newClient(t, srv.SimpleURL(), dir), "demo", "1.0")
	srv.ResetRequests()
	if got := requirementNames(t, newClient(t, srv.SimpleURL(), dir), "demo", "1.0"); got != "demo 1.0: dep" {
		t.Errorf("cached metadata %q", got)
	}
	if n := srv.TotalRequests(); n != 0 {
		t.Errorf("a new client with the same cache made %d requests: %v", n, srv.RequestCounts())
	}
}

func TestNotFound(t *testing.T) {
	for _, m := range modes[:3] {
		t.Run(m.name, func(t *testing.T) {
			srv := startIndex(t, m.opts)
			c := newClient(t, srv.SimpleURL(), "")
			_, err := c.Project(context.Background(), "reqeusts")
			var nf *NotFoundError
			if !errors.As(err, &nf) {
				t.Fatalf("err = %v, want *NotFoundError", err)
			}
			want := "no package named 'reqeusts' on " + srv.URL() + "/simple"
			if err.Error() != want {
				t.Errorf("err = %q, want %q", err, want)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := New(Options{IndexURL: "http://me:secret@" + addr + "/simple", RetryMax: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Project(context.Background(), "demo")
	var ue *UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want *UnreachableError", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "package 'demo': cannot reach http://me:****@"+addr+"/pypi/demo/json: ") || strings.Contains(msg, "secret") {
		t.Errorf("err = %q", msg)
	}
}

func TestDownload(t *testing.T) {
	srv := startIndex(t, testindex.Options{})
	c := newClient(t, srv.SimpleURL(), t.TempDir())
	f := srv.Index().File("demo-1.0-py3-none-any.whl")
	u := srv.URL() + "/files/" + f.Filename
	bad := strings.Repeat("0", 64)
	ctx := context.Background()

	var buf bytes.Buffer
	if err := c.Download(ctx, u, strings.ToUpper(f.SHA256), &buf); err != nil || !bytes.Equal(buf.Bytes(), f.Data) {
		t.Fatalf("Download = %v, %d bytes", err, buf.Len())
	}
	buf.Reset()
	err := c.Download(ctx, u, bad, &buf)
	var he *HashMismatchError
	if !errors.As(err, &he) || he.Got != f.SHA256 || buf.Len() != 0 {
		t.Fatalf("Download with a wrong hash = %v, wrote %d bytes", err, buf.Len())
	}
	want := "sha256 mismatch for " + u + ": expected " + bad + ", got " + f.SHA256
	if err.Error() != want {
		t.Errorf("err = %q\nwant %q", err, want)
	}

	// Without a digest nothing is staged in the temporary folder.
	tmpDir := t.TempDir()
	t.Setenv("TMPDIR", tmpDir)
	staged := stagedCounter{dir: tmpDir}
	if err := c.Download(ctx, u, "", &staged); err != nil || staged.written != len(f.Data) {
		t.Fatalf("Download without a digest = %v, %d bytes", err, staged.written)
	}
	if staged.staged {
		t.Error("Download without a digest staged the body in the temporary folder")
	}

	dst := filepath.Join(t.TempDir(), f.Filename)
	if err := c.DownloadFile(ctx, u, bad, dst); !errors.As(err, &he) {
		t.Errorf("DownloadFile with a wrong hash = %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dst)); len(entries) != 0 {
		t.Errorf("DownloadFile left %d files behind", len(entries))
	}
	if err := c.DownloadFile(ctx, u+"-missing", f.SHA256, dst); err == nil {
		t.Error("DownloadFile of a missing file succeeded")
	}
	if err := c.DownloadFile(ctx, u, f.SHA256, dst); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(dst); !bytes.Equal(data, f.Data) {
		t.Error("DownloadFile wrote other bytes")
	}
}

// stagedCounter counts the bytes written to it and notes whether, while
// they were written, dir held a file.
type stagedCounter struct {
	dir     string
	written int
	staged  bool
}

func (s *stagedCounter) Write(p []byte) (int, error) {
	if entries, _ := os.ReadDir(s.dir); len(entries) > 0 {
		s.staged = true
	}
	s.written += len(p)
	return len(p), nil
}

func TestCachedDownload(t *testing.T) {
	srv := startIndex(t, testindex.Options{})
	dir := t.TempDir()
	f := srv.Index().File("demo-2.0-py3-none-any.whl")
	u := srv.URL() + "/files/" + f.Filename
	for i := 0; i < 2; i++ {
		c := newClient(t, srv.SimpleURL(), dir)
		for j := 0; j < 2; j++ {
			p, err := c.CachedDownload(context.Background(), u, f.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			if data, _ := os.ReadFile(p); !bytes.Equal(data, f.Data) {
				t.Fatal("cached file differs")
			}
		}
	}
	if n := srv.Requests("/files/" + f.Filename); n != 1 {
		t.Errorf("%d requests for the file, want 1", n)
	}
	c := newClient(t, srv.SimpleURL(), dir)
	if _, err := c.CachedDownload(context.Background(), u, strings.Repeat("1", 64)); !errors.As(err, new(*HashMismatchError)) {
		t.Errorf("CachedDownload with a wrong hash = %v", err)
	}
}

func TestConcurrent(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := startIndex(t, m.opts)
			c := newClient(t, srv.SimpleURL(), "")
			var wg sync.WaitGroup
			errs := make(chan error, 64)
			for i := 0; i < 16; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for _, v := range []string{"1.0", "2.0"} {
						if _, err := c.Metadata(context.Background(), "demo", pep440.MustParse(v)); err != nil {
							errs <- err
						}
					}
					if _, err := c.Project(context.Background(), "dep"); err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			for path, n := range srv.RequestCounts() {
				if n != 1 && !strings.HasSuffix(path, ".whl") {
					t.Errorf("%s requested %d times", path, n)
				}
			}
		})
	}
}

func TestBasicAuth(t *testing.T) {
	srv := startIndex(t, testindex.Options{NoJSONAPI: true, NoMetadataFiles: true, BasicAuth: "me:s3cret"})
	host := strings.TrimPrefix(srv.URL(), "http://")
	c := newClient(t, "http://me:s3cret@"+host+"/simple/", "")
	if got := requirementNames(t, c, "demo", "1.0"); got != "demo 1.0: dep" {
		t.Errorf("metadata %q", got)
	}
	p, _ := c.Project(context.Background(), "demo")
	for _, f := range p.Files {
		if strings.Contains(f.URL, "s3cret") {
			t.Errorf("file URL carries credentials: %s", f.URL)
		}
	}
	_, err := c.Project(context.Background(), "nope")
	if want := "no package named 'nope' on http://me:****@" + host + "/simple"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	wrong := newClient(t, "http://me:wrong@"+host+"/simple/", "")
	_, err = wrong.Project(context.Background(), "demo")
	if err == nil || strings.Contains(err.Error(), "wrong") {
		t.Errorf("err = %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	for _, in := range []string{"ftp://x/simple", "not a url", "http://"} {
		if _, err := New(Options{IndexURL: in}); err == nil {
			t.Errorf("New(%q) succeeded", in)
		}
	}
	c, err := New(Options{})
	if err != nil || c.IndexURL() != DefaultIndexURL {
		t.Errorf("default client: %v %v", c, err)
	}
}

func TestMemoForgetsCancellation(t *testing.T) {
	var m memo[int]
	calls := 0
	fn := func(err error) func() (int, error) {
		return func() (int, error) { calls++; return calls, err }
	}
	ctx := context.Background()
	tests := []struct {
		err       error
		want      int
		wantCalls int
	}{
		{context.Canceled, 1, 1},
		{nil, 2, 2},
		{nil, 2, 2},
		{errors.New("other"), 2, 2},
	}
	for i, tt := range tests {
		got, _ := m.do(ctx, "k", fn(tt.err))
		if got != tt.want || calls != tt.wantCalls {
			t.Errorf("call %d: got %d after %d calls, want %d after %d", i, got, calls, tt.want, tt.wantCalls)
		}
	}
}
