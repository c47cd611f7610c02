package testindex

import (
	"fmt"
	"sort"
	"time"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// Index is a loaded set of projects with all their files built.
type Index struct {
	Projects []*Project // sorted by normalized name
	byName   map[string]*Project
	byFile   map[string]*File
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

// File returns the file named filename, or nil.
func (ix *Index) File(filename string) *File {
	return ix.byFile[filename]
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
	for _, r := range p.Releases {
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
	ix.Projects = append(ix.Projects, p)
	sort.Slice(ix.Projects, func(i, j int) bool { return ix.Projects[i].NormalizedName < ix.Projects[j].NormalizedName })
	return nil
}
