// Package project holds pylock's workflows: lock, check and install, as
// methods on a Project built from Settings. It ties the spec packages, the
// index client, the resolver, the lock file and the virtualenv together; it
// never prints and never exits: log lines go to Settings.Log and progress
// to Settings.Progress, results and errors are returned.
package project

import (
	"fmt"
	"path/filepath"

	"github.com/pylock/pylock/pypi"
)

// DefaultIndexURL is the index used when none is configured: PyPI's Simple API.
const DefaultIndexURL = pypi.DefaultIndexURL

// DefaultConcurrency is how many requests to the index are in flight at most
// unless Settings.Concurrency says otherwise.
const DefaultConcurrency = requestSlots

// File names inside the project folder.
const (
	PyprojectName = "pyproject.toml"
	LockName      = "pylock.toml"
	VenvName      = ".venv"
)

// Settings configure every workflow.
type Settings struct {
	Dir string // the project folder, holding pyproject.toml
	// IndexURL replaces the default index (--index-url); when empty, the
	// project's default index is used, else DefaultIndexURL.
	IndexURL string
	// ExtraIndexURLs are searched, in order, before every other index
	// (--extra-index-url).
	ExtraIndexURLs []string
	CacheDir       string // the cache folder; the XDG default when empty
	// Log receives progress lines; level 0 is normal output, higher levels
	// are more detailed. Nil discards them.
	Log func(level int, format string, args ...any)
	// Offline answers every index question from the cache (--offline);
	// Refresh revalidates every cached page (--refresh).
	Offline, Refresh bool
	// Concurrency bounds the requests in flight (--concurrency); 0 means 50.
	Concurrency int
	// Progress receives the workflows' progress; nil: no progress.
	Progress Progress
}

// Project runs the workflows for one project folder.
type Project struct {
	dir            string
	indexURL       string
	extraIndexURLs []string
	cacheDir       string
	log            func(level int, format string, args ...any)
	progress       reporter
	// network holds the settings every index client shares.
	network pypi.Options
	// projectLocked is set while this Project holds the project's file
	// lock (see lockProject), so that a workflow inside another reuses it.
	projectLocked bool
}

// New checks the settings and returns a Project.
func New(s Settings) (*Project, error) {
	dir, err := filepath.Abs(s.Dir)
	if err != nil {
		return nil, fmt.Errorf("project folder %q: %w", s.Dir, err)
	}
	p := &Project{dir: dir, indexURL: s.IndexURL, extraIndexURLs: s.ExtraIndexURLs, cacheDir: s.CacheDir, log: s.Log, progress: reporter{s.Progress}}
	if p.log == nil {
		p.log = func(int, string, ...any) {}
	}
	p.network = pypi.Options{Offline: s.Offline, Refresh: s.Refresh, Concurrency: s.Concurrency}
	if p.network.Concurrency <= 0 {
		p.network.Concurrency = requestSlots
	}
	return p, nil
}

// PyprojectPath is the path of the project's pyproject.toml.
func (p *Project) PyprojectPath() string { return filepath.Join(p.dir, PyprojectName) }

// LockPath is the path of the project's pylock.toml.
func (p *Project) LockPath() string { return filepath.Join(p.dir, LockName) }
