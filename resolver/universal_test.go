package resolver

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// entry is one expected universal entry: "name==version" and its marker.
type entry struct {
	pin, marker string
}

func TestUniversal(t *testing.T) {
	tests := []struct {
		name   string
		index  *memProvider
		roots  []string
		python string // the project's requires-python
		envs   []string
		want   []entry  // nil for no solution
		errHas []string // for no solution: what the error must say
	}{
		{
			name: "numpy forks on the Python version",
			index: withPython(withPython(index(v("numpy 1.26"), v("numpy 2.1")),
				"numpy", "1.26", ">=3.8"), "numpy", "2.1", ">=3.10"),
			roots:  []string{`numpy>=2; python_version >= "3.10"`, `numpy<2; python_version < "3.10"`},
			python: ">=3.8",
			want: []entry{
				{"numpy==1.26", `python_full_version < "3.10"`},
				{"numpy==2.1", `python_version >= "3.10"`},
			},
		},
		{
			name: "nested forks",
			index: index(v("a 1.0", `b>=2; python_version >= "3.10"`, `b<2; python_version < "3.10"`), v("a 2.0"),
				v("b 1.0"), v("b 2.0")),
			roots:  []string{`a>=2; sys_platform == "linux"`, `a<2; sys_platform == "win32"`},
			python: ">=3.8",
			want: []entry{
				{"a==1.0", `sys_platform == "win32"`},
				{"a==2.0", `sys_platform == "linux"`},
				{"b==1.0", `sys_platform == "win32" and python_full_version < "3.10"`},
				{"b==2.0", `sys_platform == "win32" and python_version >= "3.10"`},
			},
		},
		{
			name:   "a package reached in two forks is one entry",
			index:  index(v("a 1.0", "c"), v("a 2.0", "c"), v("c 1.0")),
			roots:  []string{`a>=2; sys_platform == "linux"`, `a<2; sys_platform == "win32"`},
			python: ">=3.8",
			want: []entry{
				{"a==1.0", `sys_platform == "win32"`},
				{"a==2.0", `sys_platform == "linux"`},
				{"c==1.0", `sys_platform == "linux" or sys_platform == "win32"`},
			},
		},
		{
			name:   "same specifiers under different markers do not fork",
			index:  index(v("a 1.0"), v("a 2.0")),
			roots:  []string{`a; sys_platform == "linux"`, `a; sys_platform == "win32"`},
			python: ">=3.8",
			want:   []entry{{"a==2.0", `sys_platform == "linux" or sys_platform == "win32"`}},
		},
		{
			name:   "markers follow the chain of requirements",
			index:  index(v("a 1.0", `b; os_name == "nt"`), v("b 1.0", `c; python_version < "3.10"`), v("c 1.0")),
			roots:  []string{"a"},
			python: ">=3.8",
			want: []entry{
				{"a==1.0", ""},
				{"b==1.0", `os_name == "nt"`},
				{"c==1.0", `os_name == "nt" and python_full_version < "3.10"`},
			},
		},
		{
			name:   "extras resolve their markers",
			index:  index(v("a 1.0", `b; extra == "x" and python_version < "3.10"`), v("b 1.0")),
			roots:  []string{"a[x]"},
			python: ">=3.8",
			want:   []entry{{"a==1.0", ""}, {"b==1.0", `python_full_version < "3.10"`}},
		},
		{
			name:   "requirements outside the environments are ignored",
			index:  index(v("a 1.0"), v("b 1.0")),
			roots:  []string{`a; sys_platform == "linux"`, `b; sys_platform == "win32"`},
			python: ">=3.8",
			envs:   []string{`sys_platform == "linux"`},
			want:   []entry{{"a==1.0", `sys_platform == "linux"`}},
		},
		{
			name:   "requires-python must allow the project's lowest Python",
			index:  withPython(withPython(index(v("a 1.0"), v("a 2.0")), "a", "1.0", ">=3.8"), "a", "2.0", ">=3.10"),
			roots:  []string{"a"},
			python: ">=3.8",
			want:   []entry{{"a==1.0", ""}},
		},
		{
			name: "a requirement that raises the lowest Python forks",
			index: withPython(withPython(index(v("a 1.0"), v("a 2.0")), "a", "1.0", ">=3.8"),
				"a", "2.0", ">=3.10"),
			roots:  []string{`a; python_version >= "3.10"`},
			python: ">=3.8",
			want:   []entry{{"a==2.0", `python_version >= "3.10"`}},
		},
		{
			name: "requires-python failures in a fork name the fork's Python",
			index: withPython(withPython(index(v("a 1.0"), v("a 2.0")), "a", "1.0", ">=3.8"),
				"a", "2.0", ">=3.11"),
			roots:  []string{`a>=2; python_version >= "3.10"`, `a<2; python_version < "3.10"`},
			python: ">=3.8",
			errHas: []string{"requires Python >=3.11", "supports Python >=3.10", `python_version >= "3.10"`},
		},
		{
			name:   "requires-python failures are explained",
			index:  withPython(index(v("a 2.0")), "a", "2.0", ">=3.10"),
			roots:  []string{"a"},
			python: ">=3.8",
			errHas: []string{"requires Python >=3.10", "supports Python >=3.8"},
		},
		{
			name: "a failing fork is named",
			index: index(v("a 1.0", "b", "c"), v("a 2.0"), v("b 1.0", "d==1"), v("c 1.0", "d==2"),
				v("d 1.0"), v("d 2.0")),
			roots:  []string{`a>=2; sys_platform == "linux"`, `a<2; sys_platform == "win32"`},
			python: ">=3.8",
			errHas: []string{`for the environments where`, `sys_platform == "win32"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{Universal: true, RequiresPython: rangeOf(tt.python)}
			for _, e := range tt.envs {
				opts.Environments = append(opts.Environments, marker(t, e))
			}
			res, err := Resolve(context.Background(), tt.index, requirements(t, tt.roots...), opts)
			checkUniversal(t, res, err, tt.want, tt.errHas, opts.RequiresPython)
		})
	}
}

func checkUniversal(t *testing.T, res *Resolution, err error, want []entry, errHas []string, py pep440.Range) {
	t.Helper()
	var ns *NoSolutionError
	switch {
	case want == nil && errors.As(err, &ns):
		for _, s := range errHas {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error does not say %q:\n%v", s, err)
			}
		}
		return
	case err != nil:
		t.Fatalf("want a solution, got %v", err)
	case want == nil:
		t.Fatalf("want no solution, got %s", describeResolution(res))
	case len(res.Packages) != len(want):
		t.Fatalf("got %s, want %v", describeResolution(res), want)
	}
	within := pep508.PythonMarker(py)
	for i, w := range want {
		got := res.Packages[i]
		same := pep508.And(within, got.Marker).Equivalent(pep508.And(within, marker(t, w.marker)))
		if got.Name+"=="+got.Version.String() != w.pin || !same {
			t.Errorf("entry %d: got %s ; %s, want %s ; %s", i, got.Name+"=="+got.Version.String(), got.Marker, w.pin, w.marker)
		}
	}
}

func marker(t testing.TB, s string) pep508.Marker {
	t.Helper()
	if s == "" {
		return pep508.Marker{}
	}
	m, err := pep508.ParseMarker(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestUniversalDeterministic(t *testing.T) {
	m := index(v("a 1.0", `c; os_name == "nt"`, "d"), v("a 2.0", "c", `d; python_version < "3.10"`),
		v("c 1.0", "d"), v("d 1.0"), v("d 2.0"))
	roots := requirements(t, `a>=2; sys_platform == "linux"`, `a<2; sys_platform == "win32"`, `d>=2; python_version >= "3.11"`)
	opts := Options{Universal: true, RequiresPython: rangeOf(">=3.8")}
	first := ""
	for i := 0; i < 10; i++ {
		res, err := Resolve(context.Background(), m, roots, opts)
		if err != nil {
			t.Fatal(err)
		}
		got := describeResolution(res)
		for _, p := range res.Packages {
			for _, e := range p.Dependents {
				got += " " + e.From + ">" + p.Name
			}
		}
		if first == "" {
			first = got
		} else if got != first {
			t.Fatalf("run %d: %s, first run: %s", i, got, first)
		}
	}
}
