package project

import (
	"context"
	"fmt"
	"strings"

	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/resolver"
	"github.com/pylock/pylock/venv"
)

// BuildRequiresError reports build requirements of an sdist that pylock
// cannot resolve or install into its build environment.
type BuildRequiresError struct {
	Name, Version string
	Requires      []string
	Legacy        bool // the sdist has no [build-system]: the requirements are setuptools' default
	Err           error
}

func (e *BuildRequiresError) Error() string {
	legacy := ""
	if e.Legacy {
		legacy = " (it has no [build-system], so it builds with setuptools' legacy backend)"
	}
	return fmt.Sprintf("%s %s: cannot install its build requirements (%s) from the index%s: %v",
		e.Name, e.Version, strings.Join(e.Requires, ", "), legacy, e.Err)
}

// Unwrap returns the underlying error.
func (e *BuildRequiresError) Unwrap() error { return e.Err }

// installBuildRequires resolves the requirements with pylock's resolver
// against the project's indexes, for the build environment's interpreter and
// from wheels only, and installs the result into env. Nothing is done for none.
func (p *Project) installBuildRequires(ctx context.Context, ix *pypi.Indexes, env *venv.Env, lw lockedWheel, reqs []string) error {
	if len(reqs) == 0 {
		return nil
	}
	fail := func(err error) error {
		return &BuildRequiresError{Name: lw.pkg.Name, Version: lw.pkg.Version, Requires: reqs, Err: err}
	}
	roots := make([]pep508.Requirement, 0, len(reqs))
	for _, s := range reqs {
		r, err := pep508.ParseRequirement(s)
		if err != nil {
			return fail(err)
		}
		roots = append(roots, r)
	}
	sc := scope{target: env.Python}
	pol := policies{settings: map[string]string{}}
	ip := newIndexProvider(ctx, ix, sc, pol)
	defer ip.close()
	res, err := resolver.Resolve(ctx, ip, roots, sc.options(nil, pol, nil))
	if err != nil {
		return fail(err)
	}
	wanted := map[string]lockedWheel{}
	for _, rp := range res.Packages {
		pkg, err := p.lockPackage(ctx, ip, ix, rp, "")
		if err != nil {
			return fail(err)
		}
		w, ok := pkg.BestWheel(env.Python.Tags)
		if !ok {
			return fail(fmt.Errorf("%s %s has no wheel for this interpreter", pkg.Name, pkg.Version))
		}
		wanted[rp.Name] = lockedWheel{pkg: &pkg, wheel: w}
	}
	if _, err := p.sync(ctx, env, wanted, true, venv.LinkHardlink); err != nil {
		return fail(err)
	}
	return nil
}
