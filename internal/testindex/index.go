package testindex

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// Index is a loaded set of projects. An index from LoadDir has all its files
// built; a lazy one (see SpecOptions) builds a project's files the first time
// the server answers a request about that project.
type Index struct {
	Projects []*Project // sorted by normalized name
	byName   map[string]*Project
	byFile   map[string]*File

	lazy    bool
	mu      sync.Mutex          // guards byFile and pending in a lazy index
	owner   map[string]*Project // file name -> project, in a lazy index
	pending map[*Project]bool   // projects whose files are not built yet
}

// Project is one project of the index.
type Project struct {
	Name           string     // display name, as written
	NormalizedName string     // PEP 503 form
	Summary        string     // one-line summary
	Source         string     // path of the description file
	Releases       []*Release // ascending by version
}

// Release is one version of a project.
type Release struct {
	Version        pep440.Version
	RequiresPython string       // specifier set as written, "" for any
	RequiresDist   []string     // Requires-Dist lines, extras' lines marked with `extra == "x"`
	ProvidesExtra  []string     // sorted
	EntryPoints    []EntryPoint // console scripts, sorted by script name
	Yanked         bool
	YankedReason   string    // "" if none given
	UploadTime     time.Time // UTC
	Module         string    // top-level import package
	Files          []*File   // in the order the description lists them
	fileKinds      []string  // "sdist" or wheel tag triples, as described
	descIndex      int       // position of its [[release]] table in the file
	baseReqs       []string  // requires-dist in normal form
	extraReqs      map[string][]string
}

// EntryPoint is one console script: Script runs Target ("module:function").
type EntryPoint struct {
	Script, Target string
}

// File is one built distribution file.
type File struct {
	Filename       string
	Packagetype    string // "bdist_wheel" or "sdist", as PyPI's JSON API says
	PythonVersion  string // the wheel's python tag ("py3", "cp311"), or "source"
	Data           []byte
	SHA256         string // hex of Data
	MD5            string // hex of Data, for the PyPI JSON API
	Metadata       []byte // the wheel's METADATA (PEP 658), nil for an sdist
	MetadataSHA256 string // hex of Metadata, "" for an sdist
	Release        *Release
	Project        *Project
}

// Project returns the project named name in any spelling, or nil.
func (ix *Index) Project(name string) *Project {
	return ix.byName[pep508.NormalizeName(name)]
}

// File returns the file named filename, or nil. In a lazy index it builds
// the files of the file's project first.
func (ix *Index) File(filename string) *File {
	if !ix.lazy {
		return ix.byFile[filename]
	}
	ix.mu.Lock()
	p := ix.owner[filename]
	ix.mu.Unlock()
	if p == nil || ix.ensureBuilt(p) != nil {
		return nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.byFile[filename]
}

// ensureBuilt builds the files of p if the index is lazy and has not built
// them yet. Concurrent callers wait for one build.
func (ix *Index) ensureBuilt(p *Project) error {
	if !ix.lazy {
		return nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.pending[p] {
		return nil
	}
	for _, r := range p.Releases {
		if err := r.build(p); err != nil {
			return err
		}
		for _, f := range r.Files {
			ix.byFile[f.Filename] = f
		}
	}
	delete(ix.pending, p)
	return nil
}

// Latest returns the release the PyPI JSON API describes in "info": the
// newest final, non-yanked release; else the newest non-yanked; else the
// newest.
func (p *Project) Latest() *Release {
	var pre, newest *Release
	for i := len(p.Releases) - 1; i >= 0; i-- {
		r := p.Releases[i]
		if newest == nil {
			newest = r
		}
		if r.Yanked {
			continue
		}
		if !r.Version.IsPrerelease() {
			return r
		}
		if pre == nil {
			pre = r
		}
	}
	if pre != nil {
		return pre
	}
	return newest
}

// Release returns the release whose version equals v, or nil.
func (p *Project) Release(v pep440.Version) *Release {
	for _, r := range p.Releases {
		if r.Version.Equal(v) {
			return r
		}
	}
	return nil
}

// add builds the project's files and registers it.
func (ix *Index) add(p *Project) error {
	if other := ix.byName[p.NormalizedName]; other != nil {
		return &DescriptionError{File: p.Source, Reason: fmt.Sprintf("project %q also described in %s", p.Name, other.Source)}
	}
	if ix.lazy {
		if err := ix.addLazy(p); err != nil {
			return err
		}
	}
	for _, r := range p.Releases {
		if ix.lazy {
			break
		}
		if err := r.build(p); err != nil {
			return err
		}
		for _, f := range r.Files {
			if ix.byFile[f.Filename] != nil {
				return &DescriptionError{File: p.Source, Reason: fmt.Sprintf("file %s built twice", f.Filename)}
			}
			ix.byFile[f.Filename] = f
		}
	}
	ix.byName[p.NormalizedName] = p
	at, _ := slices.BinarySearchFunc(ix.Projects, p.NormalizedName, func(q *Project, name string) int {
		return strings.Compare(q.NormalizedName, name)
	})
	ix.Projects = slices.Insert(ix.Projects, at, p)
	return nil
}

// addLazy registers the names of p's files without building them.
func (ix *Index) addLazy(p *Project) error {
	for _, r := range p.Releases {
		for _, kind := range r.fileKinds {
			name := r.fileName(p, kind)
			if ix.owner[name] != nil {
				return &DescriptionError{File: p.Source, Reason: fmt.Sprintf("file %s built twice", name)}
			}
			ix.owner[name] = p
		}
	}
	ix.pending[p] = true
	return nil
}
