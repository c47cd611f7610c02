package project

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/pylock/pylock/internal/testindex"
)

// TestLockSkipsInvalidVersions locks against an index whose project page
// also links files with versions PEP 440 rejects (as old PyPI projects
// have): they are skipped, not fatal, and the valid release is locked.
func TestLockSkipsInvalidVersions(t *testing.T) {
	ix, err := testindex.FromSpecs([]testindex.Spec{{Name: "pkg", Releases: []testindex.ReleaseSpec{{Version: "1.0"}}}}, testindex.SpecOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := testindex.Serve(ix, testindex.Options{NoJSONAPI: true, NoSimpleJSON: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	upstream, _ := url.Parse(srv.URL())
	proxy := httputil.NewSingleHostReverseProxy(upstream)
	legacy := []byte(`<a href="/files/pkg-2004d.tar.gz">pkg-2004d.tar.gz</a>` +
		`<a href="/files/pkg-1.0-beta-x-py3-none-any.whl">pkg-1.0-beta-x-py3-none-any.whl</a></body>`)
	proxy.ModifyResponse = func(r *http.Response) error {
		if r.Request.URL.Path != "/simple/pkg/" || r.StatusCode != http.StatusOK {
			return nil
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		body = bytes.Replace(body, []byte("</body>"), legacy, 1)
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		r.Header.Del("ETag")
		return nil
	}
	front := httptest.NewServer(proxy)
	defer front.Close()

	dir := t.TempDir()
	pyproject := "[project]\nname = \"demo\"\nversion = \"0.1.0\"\ndependencies = [\"pkg\"]\n"
	if err := os.WriteFile(filepath.Join(dir, PyprojectName), []byte(pyproject), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := New(Settings{Dir: dir, IndexURL: front.URL + "/simple/", CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Lock(context.Background(), LockOptions{PythonVersion: "3.12", PythonPlatform: "linux"}); err != nil {
		t.Fatal(err)
	}
	if diff := compareLocked(p.LockPath(), map[string]string{"pkg": "1.0"}); diff != "" {
		t.Error(diff)
	}
	page, err := http.Get(front.URL + "/simple/pkg/")
	if err != nil {
		t.Fatal(err)
	}
	defer page.Body.Close()
	body, _ := io.ReadAll(page.Body)
	if !bytes.Contains(body, []byte("pkg-2004d.tar.gz")) {
		t.Fatalf("the index page does not link the legacy file:\n%s", body)
	}
}
