package project

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/resolver"
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
	ip := newIndexProvider(ctx, client, scope{}, policies{})
	ip.Prefetch(ctx, wantsOf("httpx", "idna", "anyio"))
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

// TestPrefetchFollowsDependencies checks that Prefetch follows the newest
// usable release's requirements on speculation (httpx 0.27.0 requires
// anyio, certifi, httpcore, idna and sniffio), but not those under an extra
// (h2, click).
func TestPrefetchFollowsDependencies(t *testing.T) {
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
	ip := newIndexProvider(context.Background(), client, scope{}, policies{})
	ip.Prefetch(context.Background(), wantsOf("httpx"))
	ip.pf.wg.Wait()
	defer ip.close()
	for _, name := range []string{"httpx", "anyio", "certifi", "httpcore", "idna", "sniffio"} {
		if srv.Requests("/pypi/"+name+"/json") != 1 {
			t.Errorf("%s: %d requests for its page, want 1 (%v)", name, srv.Requests("/pypi/"+name+"/json"), srv.RequestCounts())
		}
	}
	for _, name := range []string{"h2", "click"} {
		if n := srv.Requests("/pypi/" + name + "/json"); n != 0 {
			t.Errorf("%s, needed only by an extra, was prefetched", name)
		}
	}
}

// wantsOf wants every version of the named packages.
func wantsOf(names ...string) []resolver.Want {
	var out []resolver.Want
	for _, n := range names {
		out = append(out, resolver.Want{Name: n, Range: pep440.Full()})
	}
	return out
}

func TestLikelyVersion(t *testing.T) {
	c := func(v string, yanked bool, unavailable string) resolver.Candidate {
		return resolver.Candidate{Version: pep440.MustParse(v), Yanked: yanked, Unavailable: unavailable}
	}
	below2, err := pep440.ParseSpecifierSet("<2")
	if err != nil {
		t.Fatal(err)
	}
	prefer := pep440.MustParse("1.0")
	tests := []struct {
		cands []resolver.Candidate
		want  resolver.Want
		got   string // "" for none
	}{
		{[]resolver.Candidate{c("1.0", false, ""), c("2.0", false, ""), c("3.0b1", false, "")}, resolver.Want{Range: pep440.Full()}, "2.0"},
		{[]resolver.Candidate{c("1.0", false, ""), c("2.0", true, "")}, resolver.Want{Range: pep440.Full()}, "1.0"},
		{[]resolver.Candidate{c("1.0", false, ""), c("2.0", false, "no wheel fits")}, resolver.Want{Range: pep440.Full()}, "1.0"},
		{[]resolver.Candidate{c("1.0a1", false, ""), c("1.0b1", false, "")}, resolver.Want{Range: pep440.Full()}, "1.0b1"},
		{[]resolver.Candidate{c("2.0", false, ""), c("1.0", false, "")}, resolver.Want{Range: pep440.Full()}, "2.0"},
		{[]resolver.Candidate{c("1.0", false, ""), c("1.5", false, ""), c("2.0", false, "")}, resolver.Want{Range: below2.Range()}, "1.5"},
		{[]resolver.Candidate{c("1.0", false, ""), c("2.0", false, "")}, resolver.Want{Range: pep440.Full(), Prefer: &prefer}, "1.0"},
		{[]resolver.Candidate{c("1.0", false, "no wheel fits"), c("2.0", false, "")}, resolver.Want{Range: pep440.Full(), Prefer: &prefer}, "2.0"},
		{[]resolver.Candidate{c("2.0", false, "")}, resolver.Want{Range: below2.Range()}, ""},
		{[]resolver.Candidate{c("1.0", true, "")}, resolver.Want{Range: pep440.Full()}, ""},
		{nil, resolver.Want{Range: pep440.Full()}, ""},
	}
	for _, tt := range tests {
		got, ok := likelyVersion(tt.cands, tt.want)
		if tt.got == "" {
			if ok {
				t.Errorf("likelyVersion(%v, %v) = %v, want none", tt.cands, tt.want.Range, got)
			}
			continue
		}
		if !ok || got.String() != tt.got {
			t.Errorf("likelyVersion(%v, %v) = %v, %v; want %s", tt.cands, tt.want.Range, got, ok, tt.got)
		}
	}
}

// TestAppliesIn checks which requirements Prefetch follows on speculation:
// those whose marker can hold in the target environment, or, in a universal
// lock, for some Python version it serves.
func TestAppliesIn(t *testing.T) {
	py, err := syntheticInterpreter("3.11", "x86_64-unknown-linux-gnu")
	if err != nil {
		t.Fatal(err)
	}
	from38, err := pep440.ParseSpecifierSet(">=3.8")
	if err != nil {
		t.Fatal(err)
	}
	target, universal := scope{target: py}, scope{python: from38.Range()}
	tests := []struct {
		marker          string
		target, univers bool
	}{
		{`python_version < "3"`, false, false},
		{`python_version < "3.9"`, false, true},
		{`sys_platform == "win32"`, false, true},
		{`sys_platform == "linux" and python_version >= "3.10"`, true, true},
	}
	if !appliesIn(target)(pep508.Marker{}) || !appliesIn(universal)(pep508.Marker{}) {
		t.Error("a requirement without a marker does not apply")
	}
	for _, tt := range tests {
		m, err := pep508.ParseMarker(tt.marker)
		if err != nil {
			t.Fatal(err)
		}
		if got := appliesIn(target)(m); got != tt.target {
			t.Errorf("for CPython 3.11 on Linux, %q applies = %v, want %v", tt.marker, got, tt.target)
		}
		if got := appliesIn(universal)(m); got != tt.univers {
			t.Errorf("universally for >=3.8, %q applies = %v, want %v", tt.marker, got, tt.univers)
		}
	}
}
