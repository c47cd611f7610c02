package project

import (
	"context"
	"errors"
	"fmt"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/resolver"
)

// indexProvider answers the resolver's questions from the package index, for
// one target interpreter: a version with no wheel for the interpreter's tags
// is unavailable, because pylock does not build source distributions yet.
type indexProvider struct {
	client *pypi.Client
	tags   []dist.Tag
}

// Versions lists every version of the named project with what decides
// whether it can be used.
func (ip *indexProvider) Versions(ctx context.Context, name string) ([]resolver.Candidate, error) {
	proj, err := ip.client.Project(ctx, name)
	var notFound *pypi.NotFoundError
	if errors.As(err, &notFound) {
		return nil, &resolver.NotFoundError{Name: name, Where: ip.client.IndexURL()}
	}
	if err != nil {
		return nil, err
	}
	releases := proj.Releases()
	candidates := make([]resolver.Candidate, 0, len(releases))
	for _, rel := range releases {
		candidates = append(candidates, resolver.Candidate{
			Version:        rel.Version,
			RequiresPython: rel.RequiresPython,
			Yanked:         rel.Yanked,
			Unavailable:    ip.unavailable(rel),
		})
	}
	return candidates, nil
}

// unavailable says why no file of rel can be installed on the target, or
// returns "" when a wheel fits.
func (ip *indexProvider) unavailable(rel pypi.Release) string {
	wheels := 0
	for _, f := range rel.Files {
		if !f.Wheel {
			continue
		}
		wheels++
		name, err := dist.ParseWheelName(f.Filename)
		if err != nil {
			continue
		}
		if _, ok := dist.Supported(name.Tags, ip.tags); ok {
			return ""
		}
	}
	if wheels == 0 {
		return "it has only a source distribution, and pylock does not build source distributions yet"
	}
	return fmt.Sprintf("none of its %d wheels fits this interpreter (best tag %s)", wheels, ip.tags[0])
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
