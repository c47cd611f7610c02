package project

import (
	"fmt"
	"strings"
	"time"

	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/resolver"
)

// Names of the lock policies recorded in [tool.pylock] settings. A later
// `pylock lock` without the option re-uses the recorded value; a default
// value is not recorded.
const (
	settingPrerelease     = "prerelease"
	settingResolution     = "resolution"
	settingExcludeNewer   = "exclude-newer"
	settingPythonVersion  = "python-version"
	settingPythonPlatform = "python-platform"
)

// Values of LockOptions.Prerelease.
const (
	PrereleaseAllow                 = "allow"
	PrereleaseDisallow              = "disallow"
	PrereleaseIfNecessaryOrExplicit = "if-necessary-or-explicit"
)

// Values of LockOptions.Resolution.
const (
	ResolutionHighest      = "highest"
	ResolutionLowest       = "lowest"
	ResolutionLowestDirect = "lowest-direct"
)

// OptionError reports a lock option with a value pylock does not accept.
type OptionError struct {
	Option string // e.g. "prerelease"
	Value  string
	Reason string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Option, e.Value, e.Reason)
}

// policies are the parsed lock policies.
type policies struct {
	prerelease   resolver.PrereleaseMode
	strategy     resolver.Strategy
	excludeNewer time.Time // zero for no cut-off
	allowSdist   bool
	noBuild      map[string]bool // normalized names
	noBinary     map[string]bool
	settings     map[string]string // what to record in [tool.pylock]
}

// parsePolicies reads the policy options, falling back to the settings the
// previous lock recorded for each option left empty.
func parsePolicies(opts LockOptions, recorded map[string]string) (policies, error) {
	pick := func(value, key string) string {
		if value == "" {
			return recorded[key]
		}
		return value
	}
	pol := policies{allowSdist: opts.AllowSdist, settings: map[string]string{},
		noBuild: normalizedSet(opts.NoBuild), noBinary: normalizedSet(opts.NoBinary)}
	switch v := pick(opts.Prerelease, settingPrerelease); v {
	case "", PrereleaseIfNecessaryOrExplicit:
	case PrereleaseAllow:
		pol.prerelease, pol.settings[settingPrerelease] = resolver.PrereleaseAllow, v
	case PrereleaseDisallow:
		pol.prerelease, pol.settings[settingPrerelease] = resolver.PrereleaseDisallow, v
	default:
		return pol, &OptionError{Option: settingPrerelease, Value: v,
			Reason: "want allow, disallow or if-necessary-or-explicit"}
	}
	switch v := pick(opts.Resolution, settingResolution); v {
	case "", ResolutionHighest:
	case ResolutionLowest:
		pol.strategy, pol.settings[settingResolution] = resolver.StrategyLowest, v
	case ResolutionLowestDirect:
		pol.strategy, pol.settings[settingResolution] = resolver.StrategyLowestDirect, v
	default:
		return pol, &OptionError{Option: settingResolution, Value: v, Reason: "want highest, lowest or lowest-direct"}
	}
	if v := pick(opts.ExcludeNewer, settingExcludeNewer); v != "" {
		t, err := ParseExcludeNewer(v)
		if err != nil {
			return pol, err
		}
		pol.excludeNewer = t
		pol.settings[settingExcludeNewer] = t.Format(time.RFC3339)
	}
	return pol, nil
}

// ParseExcludeNewer reads an --exclude-newer value: an RFC 3339 timestamp,
// or a date (YYYY-MM-DD), which means the start of that day in UTC.
func ParseExcludeNewer(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, &OptionError{Option: settingExcludeNewer, Value: s,
		Reason: "want an RFC 3339 timestamp (2024-03-01T00:00:00Z) or a date (2024-03-01)"}
}

func normalizedSet(names []string) map[string]bool {
	set := map[string]bool{}
	for _, n := range names {
		for _, part := range strings.Split(n, ",") {
			if part = strings.TrimSpace(part); part != "" {
				set[pep508.NormalizeName(part)] = true
			}
		}
	}
	return set
}
