package project

import (
	"context"
	"strings"
	"sync"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/resolver"
)

// requestSlots is how many requests the workflows' index client has in
// flight at once: enough that a whole level of a dependency graph, pages
// and metadata, is fetched at the same time.
const requestSlots = 50

// prefetchSlots bounds the background fetches in flight (each makes one
// request at a time); the client bounds its requests further.
const prefetchSlots = 64

// maxSpeculative and speculativePerAsked bound how many projects one lock
// prefetches on its own initiative (see Prefetch): maxSpeculative, plus
// speculativePerAsked for every project the resolver itself asked for, so
// that a wrong guess costs a number of requests bounded by the size of the
// project. A flat bound made large locks wait on the index level by level
// once it ran out: 657 packages from 50 direct requirements locked about
// 3× slower with 20 ms per response (the scale curve of go run ./bench).
const (
	maxSpeculative      = 256
	speculativePerAsked = 16
)

// prefetch is the background work of an indexProvider.
type prefetch struct {
	ctx   context.Context
	stop  context.CancelFunc
	wg    sync.WaitGroup
	slots chan struct{}

	mu          sync.Mutex
	started     map[string]bool // wants fetched or being fetched, by name, range and preference
	named       map[string]bool // projects fetched or being fetched
	asked       map[string]bool // projects the resolver asked for
	speculative int             // how many projects were fetched as guesses
}

// newIndexProvider returns a provider whose Prefetch works until close.
// It answers for the scope's target (every environment for a universal
// lock).
func newIndexProvider(ctx context.Context, client packageIndex, sc scope, pol policies) *indexProvider {
	bg, stop := context.WithCancel(ctx)
	tags := sc.tags()
	return &indexProvider{client: client, tags: tags, fits: tagSet(tags), pol: pol, applies: appliesIn(sc),
		pf: &prefetch{ctx: bg, stop: stop, slots: make(chan struct{}, prefetchSlots),
			started: map[string]bool{}, named: map[string]bool{}, asked: map[string]bool{}}}
}

// Prefetch fetches, in the background, the project pages of the wanted
// packages and the metadata of the version the resolver most likely decides
// for each (see likelyVersion). It then follows that metadata: the projects
// it requires are fetched the same way, on speculation, up to
// maxSpeculative projects per lock, unless required only under an extra or
// a marker that cannot hold where the lock applies. The client memoizes
// every answer, so the resolver's own calls then return without waiting on
// the index, and the index's latency overlaps across packages and across
// the levels of the dependency graph.
func (ip *indexProvider) Prefetch(_ context.Context, wants []resolver.Want) {
	if ip.pf == nil {
		return
	}
	for _, w := range wants {
		ip.startPrefetch(w, false)
	}
}

// startPrefetch starts fetching what w names unless the same want was
// fetched already; a speculative want only for a project not fetched yet
// and while the budget lasts (see maxSpeculative).
func (ip *indexProvider) startPrefetch(w resolver.Want, speculative bool) {
	pf := ip.pf
	key := w.Name + " " + w.Range.String()
	if w.Prefer != nil {
		key += " " + w.Prefer.String()
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	if !speculative {
		pf.asked[w.Name] = true
	}
	switch {
	case pf.started[key]:
		return
	case speculative && (pf.named[w.Name] || pf.speculative >= maxSpeculative+speculativePerAsked*len(pf.asked)):
		return
	case speculative:
		pf.speculative++
	}
	pf.started[key], pf.named[w.Name] = true, true
	pf.wg.Add(1)
	go ip.prefetchOne(w)
}

func (ip *indexProvider) prefetchOne(w resolver.Want) {
	pf := ip.pf
	defer pf.wg.Done()
	select {
	case pf.slots <- struct{}{}:
	case <-pf.ctx.Done():
		return
	}
	defer func() { <-pf.slots }()
	ip.followNewest(w)
	cands, err := ip.Versions(pf.ctx, w.Name)
	if err != nil {
		return
	}
	v, ok := likelyVersion(cands, w)
	if !ok {
		return
	}
	md, err := ip.client.Metadata(pf.ctx, w.Name, v)
	if err != nil {
		return
	}
	ip.follow(md)
}

// followNewest follows, in the background, the requirements of the wanted
// project's newest release as soon as its page has been read, before the
// page is parsed and the likely version known: a large page takes longer
// to parse than a round trip to the index, and the newest release is the
// likely one when it is a final release in the wanted range.
func (ip *indexProvider) followNewest(w resolver.Want) {
	pf := ip.pf
	pf.wg.Add(1)
	go func() {
		defer pf.wg.Done()
		md, ok := ip.client.NewestMetadata(pf.ctx, w.Name)
		if !ok {
			return
		}
		v, err := pep440.Parse(md.Version)
		if err == nil && !v.IsPrerelease() && w.Range.Contains(v) && (w.Prefer == nil || w.Prefer.Equal(v)) {
			ip.follow(md)
		}
	}()
}

// follow prefetches, on speculation, what a release requires.
func (ip *indexProvider) follow(md dist.Metadata) {
	for _, r := range md.RequiresDist {
		// A requirement under an extra is needed only when something asks
		// for that extra; the resolver prefetches it then.
		if !strings.Contains(r.Marker.String(), "extra") && ip.applies(r.Marker) {
			ip.startPrefetch(resolver.Want{Name: r.NormalizedName(), Range: r.Specifier.Range()}, true)
		}
	}
}

// appliesIn returns whether a requirement's marker (one without "extra")
// can hold in the scope: in the target environment, or, for a universal
// lock, for some Python version the lock serves.
func appliesIn(sc scope) func(pep508.Marker) bool {
	if !sc.universal() {
		env := sc.target.Env
		return func(m pep508.Marker) bool { return m.Evaluate(env) }
	}
	return func(m pep508.Marker) bool {
		return sc.python.IsEmpty() || !m.PythonRange().Intersect(sc.python).IsEmpty()
	}
}

// likelyVersion is the version the resolver most likely decides for w: the
// preferred one when the target can use it, else the newest final release
// in w's range the target can use, else the newest such pre-release.
func likelyVersion(cands []resolver.Candidate, w resolver.Want) (pep440.Version, bool) {
	var best, pre *resolver.Candidate
	for i := range cands {
		c := &cands[i]
		switch {
		case c.Unavailable != "" || c.Yanked || !w.Range.Contains(c.Version):
		case w.Prefer != nil && c.Version.Equal(*w.Prefer):
			return c.Version, true
		case !c.Version.IsPrerelease() && (best == nil || c.Version.Compare(best.Version) > 0):
			best = c
		case c.Version.IsPrerelease() && (pre == nil || c.Version.Compare(pre.Version) > 0):
			pre = c
		}
	}
	switch {
	case best != nil:
		return best.Version, true
	case pre != nil:
		return pre.Version, true
	}
	return pep440.Version{}, false
}

// close stops the background fetches and waits for them.
func (ip *indexProvider) close() {
	if ip.pf == nil {
		return
	}
	ip.pf.stop()
	ip.pf.wg.Wait()
}
