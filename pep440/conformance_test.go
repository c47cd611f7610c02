package pep440

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
)

// conformanceFiles lists every file of the pep440 conformance folder this
// package's runners read; TestConformanceFilesCovered fails when a new file
// appears that no runner reads.
var conformanceFiles = []string{
	"valid.json", "invalid.json", "normalization.json", "attributes.json",
	"ordering.json", "specifiers.json", "prereleases.json", "invalid_specifiers.json",
}

func loadJSON(t *testing.T, name string, into any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(conformance.Dir(t, "pep440"), name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func knownFailures(t *testing.T) map[string]string {
	return conformance.KnownFailuresOf(t, "pep440")
}

func TestConformanceFilesCovered(t *testing.T) {
	entries, err := os.ReadDir(conformance.Dir(t, "pep440"))
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]bool{}
	for _, f := range conformanceFiles {
		read[f] = true
	}
	for _, e := range entries {
		if !read[e.Name()] {
			t.Errorf("conformance file %s is read by no runner", e.Name())
		}
	}
}

func TestConformanceValid(t *testing.T) {
	var cases []string
	loadJSON(t, "valid.json", &cases)
	known := knownFailures(t)
	for _, s := range cases {
		failure := ""
		if _, err := Parse(s); err != nil {
			failure = err.Error()
		}
		conformance.Check(t, known, "valid:"+s, failure)
	}
}

func TestConformanceInvalid(t *testing.T) {
	var cases []string
	loadJSON(t, "invalid.json", &cases)
	known := knownFailures(t)
	for _, s := range cases {
		failure := ""
		if v, err := Parse(s); err == nil {
			failure = fmt.Sprintf("parsed as %s, want an error", v)
		}
		conformance.Check(t, known, "invalid:"+s, failure)
	}
}

func TestConformanceNormalization(t *testing.T) {
	var cases [][2]string
	loadJSON(t, "normalization.json", &cases)
	known := knownFailures(t)
	for _, c := range cases {
		failure := ""
		v, err := Parse(c[0])
		switch {
		case err != nil:
			failure = err.Error()
		case v.String() != c[1]:
			failure = fmt.Sprintf("got %q, want %q", v.String(), c[1])
		}
		conformance.Check(t, known, "normalization:"+c[0], failure)
	}
}

type attributeCase struct {
	Version       string  `json:"version"`
	Epoch         int     `json:"epoch"`
	Release       []int   `json:"release"`
	Pre           []any   `json:"pre"`
	Post          *int    `json:"post"`
	Dev           *int    `json:"dev"`
	Local         *string `json:"local"`
	Public        string  `json:"public"`
	BaseVersion   string  `json:"base_version"`
	IsPrerelease  bool    `json:"is_prerelease"`
	IsPostrelease bool    `json:"is_postrelease"`
	IsDevrelease  bool    `json:"is_devrelease"`
}

func optInt(n int, ok bool) *int {
	if !ok {
		return nil
	}
	return &n
}

func attributesOf(v Version) attributeCase {
	a := attributeCase{
		Epoch: v.Epoch(), Release: v.Release(), Public: v.Public().String(),
		BaseVersion: v.BaseVersion().String(), IsPrerelease: v.IsPrerelease(),
		IsPostrelease: v.IsPostrelease(), IsDevrelease: v.IsDevrelease(),
	}
	if l, n, ok := v.Pre(); ok {
		a.Pre = []any{l, float64(n)}
	}
	a.Post, a.Dev = optInt(v.Post()), optInt(v.Dev())
	if l := v.Local(); l != "" {
		a.Local = &l
	}
	return a
}

func TestConformanceAttributes(t *testing.T) {
	var cases []attributeCase
	loadJSON(t, "attributes.json", &cases)
	known := knownFailures(t)
	for _, want := range cases {
		failure := ""
		v, err := Parse(want.Version)
		if err != nil {
			failure = err.Error()
		} else {
			got := attributesOf(v)
			got.Version = want.Version
			if !reflect.DeepEqual(got, want) {
				failure = fmt.Sprintf("got %+v, want %+v", got, want)
			}
		}
		conformance.Check(t, known, "attributes:"+want.Version, failure)
	}
}

func TestConformanceOrdering(t *testing.T) {
	var data struct {
		Versions []string `json:"versions"`
	}
	loadJSON(t, "ordering.json", &data)
	known := knownFailures(t)
	vs := make([]Version, len(data.Versions))
	for i, s := range data.Versions {
		vs[i] = MustParse(s)
	}
	for i := range vs {
		for j := range vs {
			want := cmpInt(i, j)
			failure := ""
			if got := vs[i].Compare(vs[j]); got != want {
				failure = fmt.Sprintf("Compare = %d, want %d", got, want)
			}
			conformance.Check(t, known, fmt.Sprintf("ordering:%s<=>%s", data.Versions[i], data.Versions[j]), failure)
		}
	}
}

type specifierCase struct {
	Specifier   string `json:"specifier"`
	Version     string `json:"version"`
	Prereleases *bool  `json:"prereleases"`
	Contains    bool   `json:"contains"`
}

func loadSpecifierCases(t *testing.T, name string) []specifierCase {
	var cases []specifierCase
	loadJSON(t, name, &cases)
	return cases
}

func policyOf(p *bool) Prereleases {
	switch {
	case p == nil:
		return PrereleasesDefault
	case *p:
		return PrereleasesAllow
	}
	return PrereleasesDeny
}

func TestConformanceSpecifiers(t *testing.T) {
	known := knownFailures(t)
	for _, c := range loadSpecifierCases(t, "specifiers.json") {
		key := fmt.Sprintf("specifiers:%s contains %s", c.Specifier, c.Version)
		conformance.Check(t, known, key, checkContains(c, PrereleasesAllow))
		conformance.Check(t, known, "range:"+key, checkRange(c))
	}
}

func TestConformancePrereleases(t *testing.T) {
	known := knownFailures(t)
	for _, c := range loadSpecifierCases(t, "prereleases.json") {
		p := policyOf(c.Prereleases)
		key := fmt.Sprintf("prereleases:%s contains %s (%d)", c.Specifier, c.Version, p)
		conformance.Check(t, known, key, checkContains(c, p))
	}
}

func checkContains(c specifierCase, p Prereleases) string {
	set, err := ParseSpecifierSet(c.Specifier)
	if err != nil {
		return err.Error()
	}
	v, err := Parse(c.Version)
	if err != nil {
		return err.Error()
	}
	if got := set.Contains(v, p); got != c.Contains {
		return fmt.Sprintf("Contains = %v, want %v", got, c.Contains)
	}
	return ""
}

func checkRange(c specifierCase) string {
	set, err := ParseSpecifierSet(c.Specifier)
	if err != nil {
		return err.Error()
	}
	v, err := Parse(c.Version)
	if err != nil {
		return err.Error()
	}
	want := rangeWant(set, v)
	if want != c.Contains && !hasArbitrary(set) {
		return fmt.Sprintf("rangeWant = %v, want %v", want, c.Contains)
	}
	if got := set.Range().Contains(v); got != want {
		return fmt.Sprintf("Range %s Contains = %v, want %v", set.Range(), got, want)
	}
	return ""
}

// rangeWant is the membership Range documents: Contains with pre-releases
// allowed, except that "===X" stands for the Singleton of X when X is written
// in normal form (and for nothing otherwise), since a Range cannot tell apart
// versions that compare equal, such as 1.0 and 1.0.0.
func rangeWant(set SpecifierSet, v Version) bool {
	for _, sp := range set {
		if sp.Op != "===" {
			if !sp.Contains(v, PrereleasesAllow) {
				return false
			}
			continue
		}
		x, err := Parse(sp.Version)
		if err != nil || !arbitraryEqual(x.String(), sp.Version) || v.Compare(x) != 0 {
			return false
		}
	}
	return true
}

func hasArbitrary(set SpecifierSet) bool {
	for _, sp := range set {
		if sp.Op == "===" {
			return true
		}
	}
	return false
}

func TestConformanceInvalidSpecifiers(t *testing.T) {
	var cases []string
	loadJSON(t, "invalid_specifiers.json", &cases)
	known := knownFailures(t)
	for _, s := range cases {
		failure := ""
		if set, err := ParseSpecifierSet(s); err == nil {
			failure = fmt.Sprintf("parsed as %q, want an error", set)
		} else if sp, err := ParseSpecifier(s); err == nil && !strings.Contains(s, ",") {
			failure = fmt.Sprintf("parsed as the clause %q, want an error", sp)
		}
		conformance.Check(t, known, "invalid_specifiers:"+s, failure)
	}
}
