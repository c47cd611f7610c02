// Package project holds pylock's workflows: lock, check and install, as
// methods on a Project built from Settings. It ties the spec packages, the
// index client, the resolver, the lock file and the virtualenv together; it
// never prints and never exits: progress goes to Settings.Log, results and
// errors are returned.
package project

import (
	"fmt"
	"path/filepath"

	"github.com/pylock/pylock/pypi"
)

// DefaultIndexURL is the index used when none is configured: PyPI's Simple API.
const DefaultIndexURL = pypi.DefaultIndexURL

// File names inside the project folder.
const (
	PyprojectName = "pyproject.toml"
	LockName      = "pylock.toml"
	VenvName      = ".venv"
)

// Settings configure every workflow.
type Settings struct {
	Dir      string // the project folder, holding pyproject.toml
	IndexURL string // the Simple API URL; DefaultIndexURL when empty
	CacheDir string // the cache folder; the XDG default when empty
	// Log receives progress lines; level 0 is normal output, higher levels
	// are more detailed. Nil discards them.
	Log func(level int, format string, args ...any)
}

// Project runs the workflows for one project folder.
type Project struct {
	dir      string
	indexURL string
	cacheDir string
	log      func(level int, format string, args ...any)
}

// New checks the settings and returns a Project.
func New(s Settings) (*Project, error) {
	dir, err := filepath.Abs(s.Dir)
	if err != nil {
		return nil, fmt.Errorf("project folder %q: %w", s.Dir, err)
	}
	p := &Project{dir: dir, indexURL: s.IndexURL, cacheDir: s.CacheDir, log: s.Log}
	if p.indexURL == "" {
		p.indexURL = DefaultIndexURL
	}
	if p.log == nil {
		p.log = func(int, string, ...any) {}
	}
	return p, nil
}

// PyprojectPath is the path of the project's pyproject.toml.
func (p *Project) PyprojectPath() string { return filepath.Join(p.dir, PyprojectName) }

// LockPath is the path of the project's pylock.toml.
func (p *Project) LockPath() string { return filepath.Join(p.dir, LockName) }

// client returns an index client for the configured index and cache.
func (p *Project) client() (*pypi.Client, error) {
	dir, err := p.cacheRoot()
	if err != nil {
		return nil, err
	}
	return pypi.New(pypi.Options{IndexURL: p.indexURL, CacheDir: dir})
}
