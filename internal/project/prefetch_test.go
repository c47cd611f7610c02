package project

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pypi"
)

// TestPrefetch checks that Prefetch fetches the project pages and the newest
// final release's metadata in the background, so that the resolver's own
// calls afterwards reach the index no more.
func TestPrefetch(t *testing.T) {
	root, err := conformance.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := testindex.Start(filepath.Join(root, "testdata", "index"), testindex.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client, err := pypi.New(pypi.Options{IndexURL: srv.SimpleURL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ip := newIndexProvider(ctx, client, nil, policies{})
	ip.Prefetch(ctx, []string{"httpx", "idna", "anyio"})
	ip.pf.wg.Wait()
	defer ip.close()
	fetched := srv.TotalRequests()
	if fetched == 0 {
		t.Fatal("Prefetch made no request")
	}
	for _, name := range []string{"httpx", "idna", "anyio"} {
		if _, err := ip.Versions(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ip.Requirements(ctx, "httpx", pep440.MustParse("0.27.0")); err != nil {
		t.Fatal(err)
	}
	if n := srv.TotalRequests(); n != fetched {
		t.Errorf("after Prefetch the resolver's calls made %d more requests (%v), want none", n-fetched, srv.RequestCounts())
	}
}

func TestNewestFinal(t *testing.T) {
	rel := func(v string, yanked bool) pypi.Release {
		return pypi.Release{Version: pep440.MustParse(v), Yanked: yanked}
	}
	tests := []struct {
		releases []pypi.Release
		want     string
	}{
		{[]pypi.Release{rel("1.0", false), rel("2.0", false), rel("3.0b1", false)}, "2.0"},
		{[]pypi.Release{rel("1.0", false), rel("2.0", true)}, "1.0"},
		{[]pypi.Release{rel("1.0a1", false), rel("1.0b1", false)}, "1.0b1"},
	}
	for _, tt := range tests {
		got, ok := newestFinal(tt.releases)
		if !ok || got.String() != tt.want {
			t.Errorf("newestFinal = %v, %v; want %s", got, ok, tt.want)
		}
	}
	if _, ok := newestFinal(nil); ok {
		t.Error("newestFinal(nil) found a version")
	}
}
