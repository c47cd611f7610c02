package testindex

import (
	"reflect"
	"testing"

	"github.com/pylock/pylock/pep508"
)

// TestGenerateScale checks that the generated registry is deterministic, has
// the asked size, and that every requirement parses and names a project of
// the registry that comes after its dependent (no cycles).
func TestGenerateScale(t *testing.T) {
	reg := GenerateScale(ScaleSeed, 300, 20)
	if again := GenerateScale(ScaleSeed, 300, 20); !reflect.DeepEqual(reg.Specs, again.Specs) {
		t.Fatal("two registries from one seed differ")
	}
	if other := GenerateScale(ScaleSeed+1, 300, 20); reflect.DeepEqual(reg.Specs, other.Specs) {
		t.Fatal("registries from two seeds are equal")
	}
	if len(reg.Specs) != 300 {
		t.Fatalf("%d projects, want 300", len(reg.Specs))
	}
	position := map[string]int{}
	for k, sp := range reg.Specs {
		position[pep508.NormalizeName(sp.Name)] = k
	}
	deps := 0
	for k, sp := range reg.Specs {
		if len(sp.Releases) != 20 {
			t.Fatalf("%s has %d releases, want 20", sp.Name, len(sp.Releases))
		}
		for _, rs := range sp.Releases {
			for _, s := range rs.RequiresDist {
				req, err := pep508.ParseRequirement(s)
				if err != nil {
					t.Fatalf("%s %s: %v", sp.Name, rs.Version, err)
				}
				if target, ok := position[req.NormalizedName()]; !ok || target <= k {
					t.Fatalf("%s %s requires %q, not a project after it", sp.Name, rs.Version, s)
				}
				deps++
			}
		}
	}
	if deps == 0 {
		t.Fatal("no project depends on another")
	}
}

// TestScaleRoots checks that a larger project's direct requirements start
// with a smaller one's, and that they parse.
func TestScaleRoots(t *testing.T) {
	reg := GenerateScale(ScaleSeed, 600, 20)
	small, large := reg.Roots(50), reg.Roots(300)
	if len(small) != 50 || len(large) != 300 || !reflect.DeepEqual(small, large[:50]) {
		t.Fatalf("Roots(50) is not the start of Roots(300): %d, %d", len(small), len(large))
	}
	for _, s := range large {
		if _, err := pep508.ParseRequirement(s); err != nil {
			t.Fatal(err)
		}
	}
}

// TestScaleIndexLoads checks that a generated registry loads as a lazy
// index with every project, sorted by name.
func TestScaleIndexLoads(t *testing.T) {
	reg := GenerateScale(ScaleSeed, 1000, ScaleVersions)
	ix, err := FromSpecs(reg.Specs, SpecOptions{Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(ix.Projects); got != 1000 {
		t.Fatalf("%d projects, want 1000", got)
	}
	for i := 1; i < len(ix.Projects); i++ {
		if ix.Projects[i-1].NormalizedName >= ix.Projects[i].NormalizedName {
			t.Fatalf("projects out of order at %d: %s, %s", i, ix.Projects[i-1].NormalizedName, ix.Projects[i].NormalizedName)
		}
	}
	if p := ix.Project("scale-0999"); p == nil || len(p.Releases) != ScaleVersions {
		t.Fatalf("scale-0999: %v", p)
	}
}
