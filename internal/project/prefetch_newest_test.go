package project

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/resolver"
)

// heldPages is an index whose project pages do not arrive until released,
// while the newest release's metadata of each (as a JSON API page's info
// gives it, before the page is parsed) is known at once.
type heldPages struct {
	release chan struct{}
	newest  map[string]dist.Metadata
	asked   chan string // the names NewestMetadata was asked about
}

func (h *heldPages) Project(ctx context.Context, name string) (*pypi.Project, error) {
	select {
	case <-h.release:
	case <-ctx.Done():
	}
	return nil, &pypi.NotFoundError{Name: name}
}

func (h *heldPages) Metadata(context.Context, string, pep440.Version) (dist.Metadata, error) {
	return dist.Metadata{}, errors.New("no metadata")
}

func (h *heldPages) NewestMetadata(_ context.Context, name string) (dist.Metadata, bool) {
	select {
	case h.asked <- name:
	default: // a full buffer: the test fails waiting, it does not hang here
	}
	md, ok := h.newest[name]
	return md, ok
}

// TestPrefetchFollowsNewestEarly checks that Prefetch follows the newest
// release's requirements while the project's page is still being parsed
// (here: held), and not a newest release outside the wanted range.
func TestPrefetchFollowsNewestEarly(t *testing.T) {
	idx := &heldPages{release: make(chan struct{}), asked: make(chan string, 16), newest: map[string]dist.Metadata{
		"top":   {Name: "top", Version: "2.0", RequiresDist: []pep508.Requirement{req(t, "dep>=1"), req(t, "fast; extra == 'speed'")}},
		"other": {Name: "other", Version: "3.0", RequiresDist: []pep508.Requirement{req(t, "unwanted")}},
	}}
	ctx := context.Background()
	ip := newIndexProvider(ctx, idx, scope{}, policies{})
	below3, err := pep440.ParseSpecifierSet("<3")
	if err != nil {
		t.Fatal(err)
	}
	ip.Prefetch(ctx, append(wantsOf("top"), resolver.Want{Name: "other", Range: below3.Range()}))
	deadline := time.Now().Add(5 * time.Second)
	for !prefetchNamed(ip, "dep") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if !prefetchNamed(ip, "dep") {
		t.Fatal("the newest release's requirement was not prefetched while the page was held")
	}
	// Once "other" was asked about, its follow (if any) finishes before
	// close returns: what is prefetched then is all there will be.
	for asked := ""; asked != "other"; {
		select {
		case asked = <-idx.asked:
		case <-time.After(5 * time.Second):
			t.Fatal("the newest release of other was never asked about")
		}
	}
	close(idx.release)
	ip.close()
	for _, name := range []string{"fast", "unwanted"} {
		if prefetchNamed(ip, name) {
			t.Errorf("%s was prefetched", name)
		}
	}
}

// prefetchNamed reports whether the provider has started fetching a project.
func prefetchNamed(ip *indexProvider, name string) bool {
	ip.pf.mu.Lock()
	defer ip.pf.mu.Unlock()
	return ip.pf.named[name]
}
