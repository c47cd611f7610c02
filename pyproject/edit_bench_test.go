package pyproject

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pylock/pylock/pep508"
)

// BenchmarkAddDependencies adds one requirement to a sorted list of 300
// and removes another, in a file of 300 dependencies.
func BenchmarkAddDependencies(b *testing.B) {
	var text strings.Builder
	text.WriteString("[project]\nname = \"demo\"\ndependencies = [\n")
	for i := range 300 {
		fmt.Fprintf(&text, "    \"pkg%03d>=1.%d\",  # number %d\n", i*2, i, i)
	}
	text.WriteString("]\n")
	data := []byte(text.String())
	add := []Addition{{Requirement: pep508.Requirement{Name: "pkg101"}, LowerBound: "2.0"}}
	b.ReportAllocs()
	for b.Loop() {
		out, _, err := AddDependencies("pyproject.toml", data, add, DependencyTarget{})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := RemoveDependencies("pyproject.toml", out, []string{"pkg200"}, DependencyTarget{}); err != nil {
			b.Fatal(err)
		}
	}
}
