package project

import (
	"context"
	"sync"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pypi"
)

// prefetchSlots bounds the background fetches in flight; the client bounds
// its requests further.
const prefetchSlots = 32

// prefetch is the background work of an indexProvider.
type prefetch struct {
	ctx   context.Context
	stop  context.CancelFunc
	wg    sync.WaitGroup
	slots chan struct{}
}

// newIndexProvider returns a provider whose Prefetch works until close.
func newIndexProvider(ctx context.Context, client *pypi.Client, tags []dist.Tag, pol policies) *indexProvider {
	bg, stop := context.WithCancel(ctx)
	return &indexProvider{client: client, tags: tags, pol: pol,
		pf: &prefetch{ctx: bg, stop: stop, slots: make(chan struct{}, prefetchSlots)}}
}

// Prefetch fetches, in the background, the project pages of the named
// packages and the metadata of each one's newest final release, the version
// the resolver most likely asks about next. The client memoizes every
// answer, so the resolver's own calls then return without waiting on the
// index, and the index's latency overlaps across packages.
func (ip *indexProvider) Prefetch(_ context.Context, names []string) {
	if ip.pf == nil {
		return
	}
	for _, name := range names {
		ip.pf.wg.Add(1)
		go ip.prefetchOne(name)
	}
}

func (ip *indexProvider) prefetchOne(name string) {
	pf := ip.pf
	defer pf.wg.Done()
	select {
	case pf.slots <- struct{}{}:
	case <-pf.ctx.Done():
		return
	}
	defer func() { <-pf.slots }()
	proj, err := ip.client.Project(pf.ctx, name)
	if err != nil {
		return
	}
	if v, ok := newestFinal(proj.Releases()); ok {
		_, _ = ip.client.Metadata(pf.ctx, name, v)
	}
}

// close stops the background fetches and waits for them.
func (ip *indexProvider) close() {
	if ip.pf == nil {
		return
	}
	ip.pf.stop()
	ip.pf.wg.Wait()
}

// newestFinal is the newest release that is neither yanked nor a
// pre-release, else the newest release.
func newestFinal(releases []pypi.Release) (pep440.Version, bool) {
	for i := len(releases) - 1; i >= 0; i-- {
		if r := releases[i]; !r.Yanked && !r.Version.IsPrerelease() {
			return r.Version, true
		}
	}
	if len(releases) == 0 {
		return pep440.Version{}, false
	}
	return releases[len(releases)-1].Version, true
}
