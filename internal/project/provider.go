package project

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/resolver"
)

// indexProvider answers the resolver's questions from the package index, for
// one target (or, with no tags, for every platform): a version none of whose
// files the policies let pylock use there is unavailable, with the reason.
type indexProvider struct {
	client packageIndex
	tags   []dist.Tag
	// fits holds the target's tags, lowercased, for a quick test of a
	// wheel's; nil when tags is.
	fits map[dist.Tag]bool
	pol  policies
	pf   *prefetch // nil: Prefetch does nothing
	// applies says whether a requirement's marker can hold where the lock
	// applies, for Prefetch to follow it.
	applies func(pep508.Marker) bool

	mu    sync.Mutex
	cands map[string][]resolver.Candidate // Versions' answers by name
}

// Versions lists every version of the named project with what decides
// whether it can be used. The answer is worked out once per name: the
// resolver and Prefetch share it (callers must not change it).
func (ip *indexProvider) Versions(ctx context.Context, name string) ([]resolver.Candidate, error) {
	ip.mu.Lock()
	cands, ok := ip.cands[name]
	ip.mu.Unlock()
	if ok {
		return cands, nil
	}
	proj, err := ip.client.Project(ctx, name)
	var notFound *pypi.NotFoundError
	if errors.As(err, &notFound) {
		return nil, &resolver.NotFoundError{Name: name, Where: notFound.Index}
	}
	if err != nil {
		return nil, err
	}
	releases := proj.Releases()
	cands = make([]resolver.Candidate, 0, len(releases))
	for _, rel := range slices.Backward(releases) { // newest first, as the resolver orders them
		reason, hint := ip.unavailable(name, rel)
		cands = append(cands, resolver.Candidate{
			Version:         rel.Version,
			RequiresPython:  rel.RequiresPython,
			Yanked:          rel.Yanked,
			Unavailable:     reason,
			UnavailableHint: hint,
		})
	}
	ip.mu.Lock()
	defer ip.mu.Unlock()
	if ip.cands == nil {
		ip.cands = map[string][]resolver.Candidate{}
	}
	ip.cands[name] = cands
	return cands, nil
}

// tagSet is the set of tags, lowercased; nil for no tags.
func tagSet(tags []dist.Tag) map[dist.Tag]bool {
	if tags == nil {
		return nil
	}
	set := make(map[dist.Tag]bool, len(tags))
	for _, t := range tags {
		set[lowerTag(t)] = true
	}
	return set
}

func lowerTag(t dist.Tag) dist.Tag {
	return dist.Tag{Python: strings.ToLower(t.Python), ABI: strings.ToLower(t.ABI), Platform: strings.ToLower(t.Platform)}
}

// wheelFits reports whether one of a wheel's tags is the target's (any
// wheel fits a universal lock).
func (ip *indexProvider) wheelFits(tags []dist.Tag) bool {
	if ip.tags == nil {
		return true
	}
	for _, t := range tags {
		if ip.fits[lowerTag(t)] {
			return true
		}
	}
	return false
}

// files returns the files of a release the --exclude-newer cut-off leaves:
// those uploaded at or before it, and those whose upload time the index did
// not give.
func (ip *indexProvider) files(files []pypi.File) []pypi.File {
	if ip.pol.excludeNewer.IsZero() {
		return files
	}
	var kept []pypi.File
	for _, f := range files {
		if f.UploadTime.IsZero() || !f.UploadTime.After(ip.pol.excludeNewer) {
			kept = append(kept, f)
		}
	}
	return kept
}

// unavailable says why no file of rel can be used on the target, and what
// would make one usable when the resolver's general hint would not say it;
// reason is "" when one can be used: a wheel whose tags fit (unless
// --no-binary names the project), or a source distribution when they are
// allowed (and --no-build does not name the project).
func (ip *indexProvider) unavailable(name string, rel pypi.Release) (reason, hint string) {
	files := ip.files(rel.Files)
	if len(files) == 0 && len(rel.Files) > 0 {
		return fmt.Sprintf("every file of it was uploaded after %s (the --exclude-newer cut-off)",
				ip.pol.excludeNewer.Format(time.RFC3339)),
			"move the --exclude-newer cut-off later, or require an older version of " + name
	}
	return ip.undistributable(name, files), ""
}

// undistributable says why none of a release's files (those the
// --exclude-newer cut-off lets in) can be installed, or "" when one can.
func (ip *indexProvider) undistributable(name string, files []pypi.File) string {
	wheels, sdists := 0, 0
	for _, f := range files {
		if !f.Wheel {
			sdists++
			continue
		}
		wheels++
		if !ip.pol.noBinary[name] && ip.wheelFits(f.Tags) {
			return ""
		}
	}
	sdistOK := ip.pol.allowSdist && !ip.pol.noBuild[name]
	switch {
	case sdists > 0 && sdistOK:
		return ""
	case wheels > 0 && ip.pol.noBinary[name] && sdists == 0:
		return "--no-binary refuses its wheels and it has no source distribution"
	case wheels > 0 && ip.pol.noBinary[name]:
		return "--no-binary refuses its wheels and its source distribution may not be built"
	case sdists > 0 && ip.pol.noBuild[name]:
		return "none of its wheels fits the target and --no-build refuses its source distribution"
	case wheels == 0 && ip.pol.allowSdist:
		return "it has no files"
	case wheels == 0:
		return "it has only a source distribution, which pylock locks only with --allow-sdist (pylock install then builds it)"
	}
	return fmt.Sprintf("none of its %d wheels fits the target (best tag %s)", wheels, ip.tags[0])
}

// Requirements returns the Requires-Dist of one version.
func (ip *indexProvider) Requirements(ctx context.Context, name string, v pep440.Version) ([]pep508.Requirement, error) {
	md, err := ip.client.Metadata(ctx, name, v)
	if err != nil {
		return nil, err
	}
	mv, err := pep440.Parse(md.Version)
	if err != nil || !mv.Equal(v) || pep508.NormalizeName(md.Name) != name {
		return nil, &MetadataMismatchError{Name: name, Version: v.String(), GotName: md.Name, GotVersion: md.Version}
	}
	return md.RequiresDist, nil
}

// MetadataMismatchError reports core metadata that describes another project
// or version than the one the index listed it under.
type MetadataMismatchError struct {
	Name, Version       string // what the index listed
	GotName, GotVersion string // what the metadata says
}

func (e *MetadataMismatchError) Error() string {
	return fmt.Sprintf("the metadata of %s %s names %s %s instead", e.Name, e.Version, e.GotName, e.GotVersion)
}
