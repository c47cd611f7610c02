package project

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pylock/pylock/resolver"
)

func TestSyntheticInterpreter(t *testing.T) {
	for _, tc := range []struct {
		version, platform        string
		full, sys, machine       string
		best, has, hasNot, worst string
	}{
		{"3.12", "x86_64-manylinux_2_28", "3.12.0", "linux", "x86_64",
			"cp312-cp312-manylinux_2_28_x86_64", "cp311-abi3-manylinux2014_x86_64", "cp312-cp312-manylinux_2_29_x86_64", "py30-none-any"},
		{"3.11.4", "x86_64-manylinux2014", "3.11.4", "linux", "x86_64",
			"cp311-cp311-manylinux_2_17_x86_64", "py3-none-manylinux1_x86_64", "cp311-cp311-manylinux_2_28_x86_64", "py30-none-any"},
		{"3.12", "aarch64-unknown-linux-gnu", "3.12.0", "linux", "aarch64",
			"cp312-cp312-manylinux_2_28_aarch64", "cp312-cp312-manylinux2014_aarch64", "cp312-cp312-manylinux1_aarch64", "py30-none-any"},
		{"3.13", "windows", "3.13.0", "win32", "AMD64",
			"cp313-cp313-win_amd64", "cp32-abi3-win_amd64", "cp313-cp313-win32", "py30-none-any"},
		{"3.12", "macos", "3.12.0", "darwin", "arm64",
			"cp312-cp312-macosx_13_0_arm64", "py3-none-macosx_11_0_universal2", "cp312-cp312-macosx_14_0_arm64", "py30-none-any"},
		{"3.10", "x86_64-apple-darwin", "3.10.0", "darwin", "x86_64",
			"cp310-cp310-macosx_13_0_x86_64", "cp310-cp310-macosx_10_9_intel", "cp310-cp310-macosx_14_0_x86_64", "py30-none-any"},
		{"3.12", "x86_64-unknown-linux-musl", "3.12.0", "linux", "x86_64",
			"cp312-cp312-musllinux_1_2_x86_64", "cp312-none-linux_x86_64", "cp312-cp312-manylinux_2_17_x86_64", "py30-none-any"},
	} {
		py, err := syntheticInterpreter(tc.version, tc.platform)
		if err != nil {
			t.Errorf("%s %s: %v", tc.version, tc.platform, err)
			continue
		}
		vars := py.Env.Vars
		if py.Version.String() != tc.full || vars["python_full_version"] != tc.full || vars["sys_platform"] != tc.sys || vars["platform_machine"] != tc.machine {
			t.Errorf("%s %s: version %s, env %v", tc.version, tc.platform, py.Version, vars)
		}
		var tags []string
		for _, tag := range py.Tags {
			tags = append(tags, tag.String())
		}
		if tags[0] != tc.best || tags[len(tags)-1] != tc.worst || !slices.Contains(tags, tc.has) || slices.Contains(tags, tc.hasNot) {
			t.Errorf("%s %s: tags from %s to %s; want %s first, %s last, %s in, %s out",
				tc.version, tc.platform, tags[0], tags[len(tags)-1], tc.best, tc.worst, tc.has, tc.hasNot)
		}
	}
}

func TestSyntheticInterpreterErrors(t *testing.T) {
	for _, tc := range []struct{ version, platform, option string }{
		{"2.7", "linux", "python-version"},
		{"3", "linux", "python-version"},
		{"3.12rc1", "linux", "python-version"},
		{"three", "linux", "python-version"},
		{"3.100", "linux", "python-version"},
		{"3.12", "amiga", "python-platform"},
		{"3.12", "x86_64-manylinux_2_x", "python-platform"},
		{"3.12", "sparc-manylinux_2_17", "python-platform"},
	} {
		_, err := syntheticInterpreter(tc.version, tc.platform)
		var te *TargetError
		if !errors.As(err, &te) || te.Option != tc.option {
			t.Errorf("%s %s: got %v, want a *TargetError for %s", tc.version, tc.platform, err, tc.option)
		}
	}
}

func TestParsePolicies(t *testing.T) {
	recorded := map[string]string{settingPrerelease: "allow", settingResolution: "lowest", settingExcludeNewer: "2024-01-01T00:00:00Z"}
	for _, tc := range []struct {
		name     string
		opts     LockOptions
		recorded map[string]string
		pre      resolver.PrereleaseMode
		strategy resolver.Strategy
		cutoff   string
		settings int
	}{
		{"defaults", LockOptions{}, nil, resolver.PrereleaseIfNecessaryOrExplicit, resolver.StrategyHighest, "", 0},
		{"recorded", LockOptions{}, recorded, resolver.PrereleaseAllow, resolver.StrategyLowest, "2024-01-01T00:00:00Z", 3},
		{"flags win", LockOptions{Prerelease: "disallow", Resolution: "highest", ExcludeNewer: "2024-05-06"}, recorded,
			resolver.PrereleaseDisallow, resolver.StrategyHighest, "2024-05-06T00:00:00Z", 2},
		{"explicit default", LockOptions{Prerelease: "if-necessary-or-explicit", Resolution: "lowest-direct", ExcludeNewer: "2024-05-06T10:00:00+02:00"}, recorded,
			resolver.PrereleaseIfNecessaryOrExplicit, resolver.StrategyLowestDirect, "2024-05-06T08:00:00Z", 2},
	} {
		pol, err := parsePolicies(tc.opts, tc.recorded)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		cutoff := ""
		if !pol.excludeNewer.IsZero() {
			cutoff = pol.excludeNewer.Format(time.RFC3339)
		}
		if pol.prerelease != tc.pre || pol.strategy != tc.strategy || cutoff != tc.cutoff || len(pol.settings) != tc.settings {
			t.Errorf("%s: got %v %v %q %v", tc.name, pol.prerelease, pol.strategy, cutoff, pol.settings)
		}
	}
	for _, opts := range []LockOptions{{Prerelease: "yes"}, {Resolution: "newest"}, {ExcludeNewer: "last week"}} {
		var oe *OptionError
		if _, err := parsePolicies(opts, nil); !errors.As(err, &oe) {
			t.Errorf("%+v: got %v, want an *OptionError", opts, err)
		}
	}
}

func FuzzParseExcludeNewer(f *testing.F) {
	for _, s := range []string{"2024-01-01", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.5+01:00", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseExcludeNewer(s)
		if err != nil {
			return
		}
		again, err := ParseExcludeNewer(tm.Format(time.RFC3339Nano))
		if err != nil || !again.Equal(tm) {
			t.Errorf("%q: %v does not round-trip (%v)", s, tm, err)
		}
	})
}

func FuzzSyntheticInterpreter(f *testing.F) {
	for _, s := range [][2]string{{"3.12", "linux"}, {"3.9.1", "x86_64-manylinux_2_17"}, {"3.13", "windows"}, {"4.0", "macos"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, version, platform string) {
		py, err := syntheticInterpreter(version, platform)
		if err != nil {
			return
		}
		if len(py.Tags) == 0 || py.Env.Vars["python_version"] == "" {
			t.Errorf("%q %q: empty target %+v", version, platform, py)
		}
	})
}
