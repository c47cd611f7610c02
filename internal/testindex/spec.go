package testindex

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// Spec describes one project in memory, with the meaning a description file
// gives the same keys (see the package doc).
type Spec struct {
	Name     string // required
	Summary  string
	Module   string // "" for the default
	Releases []ReleaseSpec
}

// ReleaseSpec describes one release of a Spec.
type ReleaseSpec struct {
	Version        string              // required; any PEP 440 spelling
	RequiresPython string              // "" for any
	RequiresDist   []string            // PEP 508 strings
	Extras         map[string][]string // extra name -> PEP 508 strings
	Yanked         bool
	YankedReason   string    // a reason implies Yanked
	Files          []string  // "sdist" or wheel tag triples; nil for the default
	UploadTime     time.Time // zero for the default
}

// SpecOptions change how FromSpecs builds an index.
type SpecOptions struct {
	// Lazy builds a project's files only when the server is first asked about
	// that project, so that an index of thousands of releases starts at once
	// and builds only what a client reads. The index is still a real one:
	// every file a page links is served, with its hash.
	Lazy bool
}

// FromSpecs builds an index from in-memory descriptions. Errors are
// *DescriptionError values whose File is "spec:<name>".
func FromSpecs(specs []Spec, opts SpecOptions) (*Index, error) {
	ix := &Index{byName: map[string]*Project{}, byFile: map[string]*File{}, lazy: opts.Lazy,
		owner: map[string]*Project{}, pending: map[*Project]bool{}}
	for _, sp := range specs {
		desc := projectDesc{Name: sp.Name, Summary: sp.Summary, Module: sp.Module}
		for _, rs := range sp.Releases {
			desc.Release = append(desc.Release, releaseDescOf(rs))
		}
		if sp.Name == "" {
			return nil, &DescriptionError{File: "spec:", Reason: "project without a name"}
		}
		p, err := projectFromDesc(locator{path: "spec:" + sp.Name}, desc)
		if err != nil {
			return nil, err
		}
		if err := ix.add(p); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

// releaseDescOf turns a ReleaseSpec into the shape description files decode to.
func releaseDescOf(rs ReleaseSpec) releaseDesc {
	rd := releaseDesc{Version: rs.Version, RequiresPython: rs.RequiresPython, RequiresDist: rs.RequiresDist,
		Extras: rs.Extras, Files: rs.Files}
	switch {
	case rs.YankedReason != "":
		rd.Yanked = rs.YankedReason
	case rs.Yanked:
		rd.Yanked = true
	}
	if !rs.UploadTime.IsZero() {
		rd.UploadTime = rs.UploadTime
	}
	return rd
}

// ResolvelibSpecs reads a resolvelib index file ({"<name>": {"<version>":
// {"dependencies": [...]}}}, real PyPI metadata) into specs: each version
// gets one py3-none-any wheel and no Requires-Python. Versions that PEP 440
// rejects, and later spellings of a version already listed, are left out, as
// a client leaves out files it cannot parse; so are dependency strings PEP
// 508 rejects. Projects and versions come in sorted order.
func ResolvelibSpecs(data []byte) ([]Spec, error) {
	var raw map[string]map[string]struct {
		Dependencies []string `json:"dependencies"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, &DescriptionError{File: "resolvelib index", Reason: "invalid JSON", Err: err}
	}
	names := make([]string, 0, len(raw))
	for name := range raw {
		names = append(names, name)
	}
	sort.Strings(names)
	var specs []Spec
	for _, name := range names {
		if !pep508.ValidName(name) {
			continue
		}
		sp := Spec{Name: name, Module: strings.ReplaceAll(pep508.NormalizeName(name), "-", "_")}
		if c := sp.Module[0]; c >= '0' && c <= '9' {
			sp.Module = "_" + sp.Module
		}
		var seen []pep440.Version
		for _, vs := range sortedVersionKeys(raw[name]) {
			v, err := pep440.Parse(vs)
			if err != nil || slices.ContainsFunc(seen, v.Equal) {
				continue
			}
			seen = append(seen, v)
			rs := ReleaseSpec{Version: vs, Files: []string{"py3-none-any"}}
			for _, d := range raw[name][vs].Dependencies {
				if _, err := pep508.ParseRequirement(d); err == nil {
					rs.RequiresDist = append(rs.RequiresDist, d)
				}
			}
			sp.Releases = append(sp.Releases, rs)
		}
		if len(sp.Releases) > 0 {
			specs = append(specs, sp)
		}
	}
	return specs, nil
}

func sortedVersionKeys[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
