package resolver

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// Candidate is one version of a package as the index lists it.
type Candidate struct {
	Version        pep440.Version
	RequiresPython pep440.SpecifierSet // "" = any
	Yanked         bool
	// Unavailable, when not empty, says why no distribution of this version
	// can be installed on the target. The resolver never picks such a
	// version and quotes the reason in its explanation; a clause about the
	// version as "it" ("it has no files", "every file of it was uploaded
	// after ...") reads best, as the explanation puts the version in its
	// place.
	Unavailable string
	// UnavailableHint, with Unavailable, says what would make the version
	// usable; the explanation prints it as a hint. Without it the hint is
	// to require a version that has a distribution for the target.
	UnavailableHint string
}

// Provider is where the resolver learns about packages. Names passed in are
// normalized (PEP 503).
type Provider interface {
	// Versions lists every version of the package the index has (any order;
	// newest first spares a copy), or a *NotFoundError for an unknown
	// package. The resolver does not change the list, and the provider must
	// not change it afterwards.
	Versions(ctx context.Context, name string) ([]Candidate, error)
	// Requirements returns the Requires-Dist of one version (with extras
	// markers as written).
	Requirements(ctx context.Context, name string, v pep440.Version) ([]pep508.Requirement, error)
}

// Prefetcher is a Provider that can start fetching what the resolver will ask
// next. When the resolver learns what a version depends on, it passes the
// packages it has not asked about yet to Prefetch, and at the start it passes
// every package it has a preference for; Prefetch must return at once. A
// Provider that fetches over a network can then answer the later Versions
// and Requirements calls from what it fetched in parallel.
type Prefetcher interface {
	Prefetch(ctx context.Context, wants []Want)
}

// Want is a package the resolver will likely ask about, with what it knows
// of the version it will likely decide.
type Want struct {
	Name string
	// Range holds the versions the requirements that named the package
	// allow (every version when it was named by a preference alone).
	Range pep440.Range
	// Prefer, when not nil, is the version Options.Preferences names: the
	// resolver tries it first.
	Prefer *pep440.Version
}

// NotFoundError is what a Provider returns when the index has no package of
// that name. The resolver turns it into an explained failure.
type NotFoundError struct {
	Name  string
	Where string // where the provider looked, e.g. the index URL; "" if unsaid
}

// Error names the unknown package.
func (e *NotFoundError) Error() string {
	return "resolver: " + notFoundReason(e.Name, e.Where)
}

// ProviderError wraps any other error a Provider returned; it aborts the
// resolution.
type ProviderError struct {
	Name    string
	Version string // "" when listing versions
	Err     error
}

// Error names the package and version being read.
func (e *ProviderError) Error() string {
	if e.Version == "" {
		return fmt.Sprintf("resolver: listing versions of %s: %v", e.Name, e.Err)
	}
	return fmt.Sprintf("resolver: reading requirements of %s %s: %v", e.Name, e.Version, e.Err)
}

// Unwrap returns the provider's error.
func (e *ProviderError) Unwrap() error { return e.Err }

// versionList is the cached answer of Versions: candidates sorted newest
// first, or notFound with where the provider looked.
type versionList struct {
	cands    []Candidate
	notFound bool
	where    string
}

// cachedProvider remembers every answer so each question reaches the
// Provider once per resolution.
type cachedProvider struct {
	p    Provider
	vers map[string]*versionList
	reqs map[string][]pep508.Requirement
}

// prefetch passes the wants whose packages were not asked about yet to a
// Prefetcher provider, one per package (ranges of one package intersected,
// or joined when they do not meet).
func (c *cachedProvider) prefetch(ctx context.Context, wants []Want) {
	pf, ok := c.p.(Prefetcher)
	if !ok {
		return
	}
	var fresh []Want
	for _, w := range wants {
		if _, asked := c.vers[w.Name]; asked {
			continue
		}
		i := slices.IndexFunc(fresh, func(f Want) bool { return f.Name == w.Name })
		if i < 0 {
			fresh = append(fresh, w)
			continue
		}
		if both := fresh[i].Range.Intersect(w.Range); !both.IsEmpty() {
			fresh[i].Range = both
		} else {
			// Requirements under disjoint markers (universal mode) may
			// allow disjoint versions; either may be decided.
			fresh[i].Range = fresh[i].Range.Union(w.Range)
		}
	}
	if len(fresh) > 0 {
		pf.Prefetch(ctx, fresh)
	}
}

// prefetchPreferred passes every preferred package to a Prefetcher
// provider, so that a re-lock fetches what the previous lock holds all at
// once rather than one level of the dependency graph after another.
func (c *cachedProvider) prefetchPreferred(ctx context.Context, prefs map[string]pep440.Version) {
	wants := make([]Want, 0, len(prefs))
	for _, name := range slices.Sorted(maps.Keys(prefs)) {
		v := prefs[name]
		wants = append(wants, Want{Name: name, Range: pep440.Full(), Prefer: &v})
	}
	c.prefetch(ctx, wants)
}

func newCachedProvider(p Provider) *cachedProvider {
	return &cachedProvider{p: p, vers: map[string]*versionList{}, reqs: map[string][]pep508.Requirement{}}
}

func (c *cachedProvider) versions(ctx context.Context, name string) (*versionList, error) {
	if vl, ok := c.vers[name]; ok {
		return vl, nil
	}
	cands, err := c.p.Versions(ctx, name)
	var nf *NotFoundError
	switch {
	case errors.As(err, &nf):
		vl := &versionList{notFound: true, where: nf.Where}
		c.vers[name] = vl
		return vl, nil
	case err != nil:
		return nil, &ProviderError{Name: name, Err: err}
	}
	vl := &versionList{cands: newestFirst(cands)}
	c.vers[name] = vl
	return vl, nil
}

func (c *cachedProvider) requirements(ctx context.Context, name string, v pep440.Version) ([]pep508.Requirement, error) {
	key := name + " " + v.String()
	if r, ok := c.reqs[key]; ok {
		return r, nil
	}
	r, err := c.p.Requirements(ctx, name, v)
	if err != nil {
		return nil, &ProviderError{Name: name, Version: v.String(), Err: err}
	}
	c.reqs[key] = r
	return r, nil
}
