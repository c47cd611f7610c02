package resolver

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pylock/pylock/pep440"
)

// prefetchRecorder is a memProvider that records what Prefetch is told.
type prefetchRecorder struct {
	*memProvider
	calls []string // one line per call: "name range [prefer]" joined by "; "
}

func (p *prefetchRecorder) Prefetch(_ context.Context, wants []Want) {
	var parts []string
	for _, w := range wants {
		s := fmt.Sprintf("%s %s", w.Name, w.Range)
		if w.Prefer != nil {
			s += " prefer " + w.Prefer.String()
		}
		parts = append(parts, s)
	}
	p.calls = append(p.calls, strings.Join(parts, "; "))
}

// TestPrefetchWants checks what the resolver passes to Prefetch: the
// preferred packages first, then, as it learns each version's requirements,
// the packages it has not asked about yet, once each, with the versions the
// requirements allow (intersected) and the preference; a package already
// prefetched but not asked about is passed again with what is now known.
func TestPrefetchWants(t *testing.T) {
	m := &memProvider{}
	m.add("a", "1.0", "b>=1", "c<2", "c!=1.1")
	m.add("b", "1.0", "c")
	m.add("c", "1.0")
	m.add("c", "1.1")
	m.add("d", "1.0")
	p := &prefetchRecorder{memProvider: m}
	prefs := map[string]pep440.Version{"c": pep440.MustParse("1.0"), "d": pep440.MustParse("1.0")}
	if _, err := Resolve(context.Background(), p, requirements(t, "a"), Options{Preferences: prefs}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"c any version prefer 1.0; d any version prefer 1.0",
		"a any version",
		"b >=1; c <1.1 or >1.1, <2 prefer 1.0",
	}
	if !slices.Equal(p.calls, want) {
		t.Errorf("Prefetch calls:\n%s\nwant:\n%s", strings.Join(p.calls, "\n"), strings.Join(want, "\n"))
	}
}

// TestPrefetchDisjointRanges checks that requirements on one package that
// allow no common version are passed to Prefetch as the union of their
// ranges (in universal mode they can hold under disjoint markers).
func TestPrefetchDisjointRanges(t *testing.T) {
	m := &memProvider{}
	m.add("a", "1.0", "e<1", "e>=2")
	m.add("e", "0.5")
	m.add("e", "2.0")
	p := &prefetchRecorder{memProvider: m}
	_, err := Resolve(context.Background(), p, requirements(t, "a"), Options{})
	var ns *NoSolutionError
	if !errors.As(err, &ns) {
		t.Fatalf("Resolve: %v, want no solution", err)
	}
	want := []string{"a any version", "e <1 or >=2"}
	if !slices.Equal(p.calls, want) {
		t.Errorf("Prefetch calls:\n%s\nwant:\n%s", strings.Join(p.calls, "\n"), strings.Join(want, "\n"))
	}
}
