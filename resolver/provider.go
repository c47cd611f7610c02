package resolver

import (
	"context"
	"errors"
	"fmt"
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
	// can be installed on the target (for example "no wheel for the target
	// platform and no source distribution"). The resolver never picks such a
	// version and names the reason in its explanation.
	Unavailable string
}

// Provider is where the resolver learns about packages. Names passed in are
// normalized (PEP 503).
type Provider interface {
	// Versions lists every version of the package the index has (any order),
	// or a *NotFoundError for an unknown package.
	Versions(ctx context.Context, name string) ([]Candidate, error)
	// Requirements returns the Requires-Dist of one version (with extras
	// markers as written).
	Requirements(ctx context.Context, name string, v pep440.Version) ([]pep508.Requirement, error)
}

// Prefetcher is a Provider that can start fetching what the resolver will ask
// next. When the resolver learns what a version depends on, it passes the
// packages it has not asked about yet to Prefetch, which must return at
// once; a Provider that fetches over a network can then answer the later
// Versions and Requirements calls from what it fetched in parallel.
type Prefetcher interface {
	Prefetch(ctx context.Context, names []string)
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

// prefetch passes the names not asked about yet to a Prefetcher provider.
func (c *cachedProvider) prefetch(ctx context.Context, names []string) {
	pf, ok := c.p.(Prefetcher)
	if !ok {
		return
	}
	var fresh []string
	for _, n := range names {
		if _, asked := c.vers[n]; !asked && !slices.Contains(fresh, n) {
			fresh = append(fresh, n)
		}
	}
	if len(fresh) > 0 {
		pf.Prefetch(ctx, fresh)
	}
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
	vl := &versionList{cands: sortCandidates(append([]Candidate(nil), cands...))}
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
