package project

import (
	"context"
	"net/url"
	"time"

	"github.com/pylock/pylock/internal/cache"
	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/pyproject"
)

// packageIndex is where the resolver's provider reads packages: one index
// client, or several indexes searched in order (*pypi.Indexes).
type packageIndex interface {
	Project(ctx context.Context, name string) (*pypi.Project, error)
	Metadata(ctx context.Context, name string, v pep440.Version) (dist.Metadata, error)
	// NewestMetadata is the metadata of the newest release, as soon as a
	// concurrent Project call has read a page that gives it.
	NewestMetadata(ctx context.Context, name string) (dist.Metadata, bool)
}

// indexList is the indexes of a run, in search order, from the settings and
// the project's declarations:
//
//  1. --extra-index-url URLs, in the order given;
//  2. the project's primary indexes, in file order;
//  3. the default index: --index-url (or PYLOCK_INDEX_URL) when given, else
//     the project's default index, else PyPI unless the project turned it
//     off (Poetry primary sources do);
//  4. the project's supplemental indexes;
//  5. the project's explicit indexes, used only by the packages pinned to
//     them (as is the project's default index when --index-url replaces it).
//
// proj may be nil (no pyproject.toml to read).
func (p *Project) indexList(proj *pyproject.Project) []pypi.Index {
	var list []pypi.Index
	for _, u := range p.extraIndexURLs {
		list = append(list, pypi.Index{URL: u})
	}
	var declared []pyproject.Index
	defaultOff := false
	if proj != nil {
		declared, defaultOff = proj.Indexes, proj.DefaultIndexOff
	}
	add := func(priority pyproject.IndexPriority, explicit bool) {
		for _, ix := range declared {
			if ix.Priority == priority {
				list = append(list, pypi.Index{Name: ix.Name, URL: ix.URL, Explicit: explicit})
			}
		}
	}
	add(pyproject.PriorityPrimary, false)
	switch {
	case p.indexURL != "":
		list = append(list, pypi.Index{URL: p.indexURL})
	case hasPriority(declared, pyproject.PriorityDefault):
		add(pyproject.PriorityDefault, false)
	case !defaultOff:
		list = append(list, pypi.Index{URL: DefaultIndexURL})
	}
	add(pyproject.PrioritySupplemental, false)
	add(pyproject.PriorityExplicit, true)
	if p.indexURL != "" {
		// The replaced default index still serves the packages pinned to it.
		add(pyproject.PriorityDefault, true)
	}
	return list
}

// IndexURLs lists the URLs of the indexes a run searches, in order (see
// indexList), without user names or passwords, for the log.
func (p *Project) IndexURLs() []string {
	list := p.indexList(p.loadedProject())
	urls := make([]string, 0, len(list))
	for _, ix := range list {
		u, err := url.Parse(ix.URL)
		if err != nil {
			urls = append(urls, "(invalid URL)")
			continue
		}
		u.User = nil
		urls = append(urls, u.String())
	}
	return urls
}

func hasPriority(list []pyproject.Index, priority pyproject.IndexPriority) bool {
	for _, ix := range list {
		if ix.Priority == priority {
			return true
		}
	}
	return false
}

// indexes returns the index clients of a run (see indexList), with the
// project's sources as pins.
func (p *Project) indexes(proj *pyproject.Project) (*pypi.Indexes, error) {
	dir, err := p.cacheRoot()
	if err != nil {
		return nil, err
	}
	if n := cache.Sweep(dir, time.Now()); n > 0 {
		p.log(2, "Removed %d temporary files that interrupted runs left in %s", n, dir)
	}
	pins := map[string]string{}
	if proj != nil {
		for _, s := range proj.Sources {
			pins[s.Package] = s.Index
		}
	}
	network := p.network
	network.CacheDir = dir
	return pypi.NewIndexes(p.indexList(proj), pypi.IndexesOptions{
		Client: network,
		Pins:   pins,
	})
}

// defaultIndex is the index a lock entry without one came from.
func (p *Project) defaultIndex() string {
	if p.indexURL != "" {
		return p.indexURL
	}
	return DefaultIndexURL
}

// loadedProject reads pyproject.toml for its index declarations and
// sources, which give the credentials of the indexes a lock names; nil when
// it cannot be read (an install with --frozen needs no pyproject.toml).
func (p *Project) loadedProject() *pyproject.Project {
	proj, err := pyproject.Load(p.PyprojectPath())
	if err != nil {
		return nil
	}
	return proj
}

// indexDifference points a change of the indexes or sources at the line
// declaring the new entry; a change of order points at the first index.
func indexDifference(proj *pyproject.Project, d Difference) Difference {
	if section, line, ok := proj.IndexDeclaration(d.Scope, d.New); ok {
		d.Line, d.Section = line, section
		return d
	}
	if d.Scope == pyproject.ScopeIndexes && d.Old != "" && d.New != "" && len(proj.Indexes) > 0 {
		d.Line = proj.Indexes[0].Line
		d.Section = "the order of the package indexes"
	}
	return d
}
