package resolver

import (
	"context"
	"errors"
	"testing"
)

func TestExplain(t *testing.T) {
	tests := []struct {
		name  string
		index *memProvider
		roots []string
		want  string
	}{
		{
			name:  "dependency conflict",
			index: index(v("foo 2", "bar>=2"), v("bar 1"), v("bar 2")),
			roots: []string{"foo", "bar<2"},
			want: "Because foo==2 depends on bar>=2 and only foo==2 is available, foo requires bar>=2.\n" +
				"And because your project depends on foo and bar<2, the requirements are unsatisfiable.\n" +
				"hint: loosen one of the requirements named above",
		},
		{
			name:  "unknown package",
			index: index(v("requests 2")),
			roots: []string{"reqeusts"},
			want: "Because there is no package named 'reqeusts' and your project depends on reqeusts, the requirements are unsatisfiable.\n" +
				"hint: check the spelling of 'reqeusts'",
		},
		{
			name:  "no version in range",
			index: index(v("a 1")),
			roots: []string{"a>=2"},
			want: "Because there is no version of a>=2 and your project depends on a>=2, the requirements are unsatisfiable.\n" +
				"hint: loosen one of the requirements named above",
		},
		{
			name:  "yanked",
			index: yank(index(v("a 1")), "a", "1"),
			roots: []string{"a"},
			want: "Because only a==1 is available and a==1 is unavailable (yanked; a yanked version is used only when pinned with ==), a cannot be used.\n" +
				"And because your project depends on a, the requirements are unsatisfiable.\n" +
				"hint: yanked versions are used only when pinned with == in your requirements",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(context.Background(), tt.index, requirements(t, tt.roots...), Options{})
			var ns *NoSolutionError
			if !errors.As(err, &ns) {
				t.Fatalf("want a NoSolutionError, got %v", err)
			}
			if got := Explain(ns.Tree); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestExplainSharedNodesAreNumbered(t *testing.T) {
	a := &Node{ID: 1, Cause: CauseDependency, Terms: []Term{
		{Package: Package{}, Range: rangeOf("==0"), Positive: true},
		{Package: Package{Name: "a"}, Range: rangeOf(">=1")},
	}}
	b := &Node{ID: 2, Cause: CauseNoVersions, Terms: []Term{{Package: Package{Name: "a"}, Range: rangeOf(">=1"), Positive: true}}}
	shared := &Node{ID: 3, Cause: CauseDerived, Causes: []*Node{a, b}, Terms: []Term{{Package: Package{}, Range: rangeOf("==0"), Positive: true}}}
	top := &Node{ID: 4, Cause: CauseDerived, Causes: []*Node{shared, shared}}
	want := "Because your project depends on a>=1 and there is no version of a>=1, the requirements are unsatisfiable. (1)\n" +
		"Because the requirements are unsatisfiable (1) and the requirements are unsatisfiable (1), the requirements are unsatisfiable.\n" +
		"hint: loosen one of the requirements named above"
	if got := Explain(top); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
