package project

import (
	"context"
	"sync"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/resolver"
)

// Progress receives a workflow's progress; methods may be called from
// several goroutines. It writes to stderr only (the CLI's implementation
// draws a bar on a terminal and nothing otherwise).
type Progress interface {
	// Start begins a phase, e.g. "Resolving", "Downloading", "Installing";
	// total 0 means unknown.
	Start(phase string, total int)
	// Advance counts n more units of the phase done, the last being item.
	Advance(phase string, n int, item string)
	// Done ends the phase.
	Done(phase string)
}

// Phases the workflows report.
const (
	PhaseResolving   = "Resolving"
	PhaseLocking     = "Locking"
	PhaseDownloading = "Downloading"
	PhaseInstalling  = "Installing"
)

// reporter calls a Progress when there is one: the workflows' nil-safe
// helper.
type reporter struct{ to Progress }

func (r reporter) start(phase string, total int) {
	if r.to != nil {
		r.to.Start(phase, total)
	}
}

func (r reporter) advance(phase, item string) {
	if r.to != nil {
		r.to.Advance(phase, 1, item)
	}
}

func (r reporter) done(phase string) {
	if r.to != nil {
		r.to.Done(phase)
	}
}

// resolutionProgress is the provider the resolver talks to when progress is
// reported: each package whose requirements the resolver asks for first
// counts as one more package resolved. Prefetch reaches the index provider
// through the embedding.
type resolutionProgress struct {
	*indexProvider
	report reporter
	mu     sync.Mutex
	seen   map[string]bool
}

// trackResolution starts the resolving phase and wraps ip so that resolving
// reports progress; ip itself when there is no Progress.
func (p *Project) trackResolution(ip *indexProvider) resolver.Provider {
	if p.progress.to == nil {
		return ip
	}
	p.progress.start(PhaseResolving, 0)
	return &resolutionProgress{indexProvider: ip, report: p.progress, seen: map[string]bool{}}
}

// Requirements returns the provider's answer and counts the package the
// first time it is asked about.
func (rp *resolutionProgress) Requirements(ctx context.Context, name string, v pep440.Version) ([]pep508.Requirement, error) {
	reqs, err := rp.indexProvider.Requirements(ctx, name, v)
	if err != nil {
		return nil, err
	}
	rp.mu.Lock()
	first := !rp.seen[name]
	rp.seen[name] = true
	rp.mu.Unlock()
	if first {
		rp.report.advance(PhaseResolving, name+" "+v.String())
	}
	return reqs, nil
}
