package pep508

import (
	"fmt"
	"testing"

	"github.com/pylock/pylock/pep440"
)

func mustMarker(t *testing.T, s string) Marker {
	t.Helper()
	if s == "" {
		return Marker{}
	}
	m, err := ParseMarker(s)
	if err != nil {
		t.Fatalf("ParseMarker(%q): %v", s, err)
	}
	return m
}

func mustRange(t *testing.T, spec string) pep440.Range {
	t.Helper()
	s, err := pep440.ParseSpecifierSet(spec)
	if err != nil {
		t.Fatalf("ParseSpecifierSet(%q): %v", spec, err)
	}
	return s.Range()
}

func TestDisjoint(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{`python_version >= "3.10"`, `python_full_version < "3.10"`, true},
		{`python_version >= "3.10"`, `python_full_version < "3.10.1"`, false},
		{`python_version == "3.10"`, `python_full_version >= "3.11"`, true},
		{`python_full_version == "3.10.*"`, `python_version != "3.10"`, true},
		{`python_version > "3.10"`, `python_version <= "3.10"`, true},
		{`python_version < "3.8"`, `python_version >= "3.8" and os_name == "nt"`, true},
		{`python_full_version >= "3.10"`, `python_full_version < "3.10"`, true},
		{`sys_platform == "linux"`, `sys_platform == "win32"`, true},
		{`sys_platform == "linux"`, `platform_system == "Windows"`, false},
		{`os_name == "nt" or sys_platform == "win32"`, `os_name != "nt" and sys_platform != "win32"`, true},
		{`extra == "a"`, `extra == "b"`, false},
		{`extra == "a"`, `extra != "a"`, true},
		{`"dev" in dependency_groups`, `"dev" not in dependency_groups`, true},
		{`"a" in extras`, `"b" in extras`, false},
		{`platform_release >= "6"`, `platform_release < "6"`, false},
		{`"linux" in sys_platform`, `"linux" not in sys_platform`, true},
		{`implementation_version >= "7.3"`, `implementation_version < "7.3"`, true},
		{`implementation_version >= "7.3"`, `python_full_version < "7.3"`, false},
		{`python_version == "3.10.1"`, `os_name == "nt"`, true},
	} {
		a, b := mustMarker(t, tt.a), mustMarker(t, tt.b)
		if got := Disjoint(a, b); got != tt.want {
			t.Errorf("Disjoint(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := Disjoint(b, a); got != tt.want {
			t.Errorf("Disjoint(%s, %s) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
		if got := And(a, b).IsFalse(); got != tt.want {
			t.Errorf("And(%s, %s).IsFalse() = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestImplies(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{`python_full_version >= "3.10"`, `python_version >= "3.10"`, true},
		{`python_version >= "3.10"`, `python_full_version >= "3.10"`, false},
		{`python_version > "3.9"`, `python_version >= "3.10"`, true},
		{`sys_platform == "linux" and python_version >= "3.11"`, `python_version >= "3.10"`, true},
		{`sys_platform == "linux"`, `platform_system == "Linux"`, false},
		{`python_version ~= "3.10"`, `python_version < "4"`, true},
		{`python_full_version ~= "3.10.1"`, `python_version == "3.10"`, true},
		{`extra == "a"`, `extra == "a" or extra == "b"`, true},
		{`extra == "a" or extra == "b"`, `extra == "a"`, false},
		{`sys_platform != "linux"`, `sys_platform != "linux" or os_name == "nt"`, true},
		{`sys_platform == "linux"`, `sys_platform != "win32"`, true},
		{`python_version == "3.10.1"`, `os_name == "nt"`, true},
		{`os_name == "nt"`, ``, true},
		{``, `os_name == "nt"`, false},
	} {
		if got := mustMarker(t, tt.a).Implies(mustMarker(t, tt.b)); got != tt.want {
			t.Errorf("(%s).Implies(%s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	if !False().Implies(mustMarker(t, `os_name == "nt"`)) {
		t.Errorf("False() does not imply everything")
	}
}

func TestEquivalentSpellings(t *testing.T) {
	for _, group := range [][]string{
		{`python_version >= "3.10"`, `python_version > "3.9"`, `"3.10" <= python_version`, `python_version >= "3.9.1"`,
			`python_full_version >= "3.10.dev0"`, `python_version >= "3.10" or python_version >= "3.11"`},
		{`python_version <= "3.10"`, `python_version < "3.11"`, `python_full_version < "3.11"`, `python_version != "3.11.*" and python_version < "3.12"`},
		{`python_version == "3.10"`, `python_full_version == "3.10.*"`, `python_version == "3.10.*"`,
			`python_version >= "3.10" and python_version < "3.11"`},
		{`python_version ~= "3.10"`, `python_version >= "3.10" and python_version < "4"`},
		{`os.name == "nt"`, `os_name == "nt"`, `os_name == "nt" and (os_name == "nt" or sys_platform == "x")`},
		{`extra == "Dev_Tools"`, `extra == "dev-tools"`},
		{`(os_name == "a" or os_name == "b") and sys_platform == "c"`, `os_name == "a" and sys_platform == "c" or os_name == "b" and sys_platform == "c"`},
		{`python_version == "3.10.1"`, `os_name == "a" and os_name == "b"`, `python_full_version < "0"`, `extra == "a" and extra != "a"`},
		{`os_name == "a" or os_name != "a"`, `python_version < "3.10" or python_version >= "3.10"`, `"dev" in dependency_groups or "dev" not in dependency_groups`},
	} {
		first := mustMarker(t, group[0])
		for _, s := range group[1:] {
			m := mustMarker(t, s)
			if !first.Equivalent(m) || !m.Equivalent(first) {
				t.Errorf("%s is not equivalent to %s", s, group[0])
			}
			if first.Simplify().String() != m.Simplify().String() {
				t.Errorf("Simplify(%s) = %q but Simplify(%s) = %q", group[0], first.Simplify(), s, m.Simplify())
			}
		}
	}
	if mustMarker(t, `python_full_version >= "3.10"`).Equivalent(mustMarker(t, `python_version >= "3.10"`)) {
		t.Errorf(`python_full_version >= "3.10" is equivalent to python_version >= "3.10", but 3.10.0rc1 tells them apart`)
	}
}

func TestIsFalseAndIsAlwaysTrue(t *testing.T) {
	for _, tt := range []struct {
		in            string
		false_, true_ bool
	}{
		{``, false, true},
		{`os_name == "a"`, false, false},
		{`os_name == "a" and os_name == "b"`, true, false},
		{`os_name == "a" or os_name != "a"`, false, true},
		{`python_version < "3.10" and python_full_version >= "3.10"`, true, false},
		{`python_version == "3.10.1"`, true, false},
		{`python_full_version < "0"`, true, false},
		{`"a" == "a"`, false, true},
		{`"a" == "b"`, true, false},
		{`os_name in extras`, true, false},
		{`extras == "a"`, true, false},
		{`python_version < "3.10" or python_full_version >= "3.10"`, false, false},
		{`python_version < "3.10" or python_full_version >= "3.10.dev0"`, false, true},
		{`python_full_version < "3.10" or python_full_version >= "3.10"`, false, false},
	} {
		m := mustMarker(t, tt.in)
		if got := m.IsFalse(); got != tt.false_ {
			t.Errorf("(%s).IsFalse() = %v, want %v", tt.in, got, tt.false_)
		}
		if got := m.IsAlwaysTrue(); got != tt.true_ {
			t.Errorf("(%s).IsAlwaysTrue() = %v, want %v", tt.in, got, tt.true_)
		}
	}
	if f := False(); !f.IsFalse() || f.String() != `python_full_version < "0"` || f.Evaluate(Environment{}) {
		t.Errorf("False() = %q, IsFalse %v", f, f.IsFalse())
	}
	m := mustMarker(t, `os_name == "nt"`)
	if Or(False(), m).String() != m.String() || Or(m, False()).String() != m.String() || !And(m, False()).IsFalse() {
		t.Errorf("False() is not neutral for Or and absorbing for And")
	}
}

func TestSimplify(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`sys_platform == "linux" and python_full_version >= "3.10"`, `python_full_version >= "3.10" and sys_platform == "linux"`},
		{`sys_platform == "linux" and python_full_version >= "3.10.dev0"`, `python_version >= "3.10" and sys_platform == "linux"`},
		{`python_full_version == "3.10.*"`, `python_version == "3.10"`},
		{`python_version >= "3.8" and python_version >= "3.10"`, `python_version >= "3.10"`},
		{`python_version < "3.10" or python_version >= "3.10"`, ``},
		{`os_name == "nt" and os_name == "posix"`, `python_full_version < "0"`},
		{`extra == "b" or extra == "a"`, `extra == "a" or extra == "b"`},
		{`python_version == "3.9" or python_version == "3.10" or python_version == "3.11"`, `python_version >= "3.9" and python_version < "3.12"`},
		{`python_version >= "3.10" or sys_platform == "linux"`, `python_version >= "3.10" or sys_platform == "linux"`},
		{`sys_platform == "win32" or sys_platform == "linux"`, `sys_platform == "linux" or sys_platform == "win32"`},
		{`sys_platform != "win32" and sys_platform != "linux"`, `sys_platform != "linux" and sys_platform != "win32"`},
		{`python_version < "3.10" and sys_platform == "linux" or python_version >= "3.10" and sys_platform == "linux"`, `sys_platform == "linux"`},
		{`"dev" in dependency_groups and extra == "x" and "y" not in extras`, `extra == "x" and "y" not in extras and "dev" in dependency_groups`},
		{`python_full_version >= "3.8" and python_full_version < "4" and python_full_version != "3.9.1"`,
			`python_full_version >= "3.8" and python_version < "4.0" and python_full_version != "3.9.1"`},
		{`platform_release >= "6" and os_name == "posix"`, `os_name == "posix" and platform_release >= "6"`},
	} {
		m := mustMarker(t, tt.in)
		got := m.Simplify()
		if got.String() != tt.want {
			t.Errorf("Simplify(%s) = %q, want %q", tt.in, got, tt.want)
		}
		if !got.Equivalent(m) {
			t.Errorf("Simplify(%s) = %q is not equivalent", tt.in, got)
		}
		if again := mustMarker(t, got.String()); !got.inexact && !again.Equivalent(m) {
			t.Errorf("Simplify(%s) = %q, which parses to a different marker", tt.in, got)
		}
	}
}

func TestNotLaws(t *testing.T) {
	markers := []string{
		``,
		`python_version >= "3.10"`,
		`python_full_version >= "3.10"`,
		`python_full_version > "3.10.1" or os_name == "nt"`,
		`sys_platform == "linux" and python_version < "3.9" or extra == "a"`,
		`platform_release >= "6" and "dev" not in dependency_groups`,
		`python_full_version ~= "3.10.1" and platform_machine != "arm64"`,
		`os_name == "a" or os_name != "a"`,
	}
	for _, a := range markers {
		ma := mustMarker(t, a)
		n := Not(ma)
		if !Not(n).Equivalent(ma) {
			t.Errorf("Not(Not(%s)) = %q is not equivalent", a, Not(n))
		}
		if !And(ma, n).IsFalse() || !Disjoint(ma, n) {
			t.Errorf("%s and its negation %q are not disjoint", a, n)
		}
		if !Or(ma, n).IsAlwaysTrue() {
			t.Errorf("%s or its negation %q is not always true", a, n)
		}
		for _, b := range markers {
			mb := mustMarker(t, b)
			if !Not(And(ma, mb)).Equivalent(Or(Not(ma), Not(mb))) {
				t.Errorf("De Morgan fails for (%s) and (%s)", a, b)
			}
			if !Not(Or(ma, mb)).Equivalent(And(Not(ma), Not(mb))) {
				t.Errorf("De Morgan fails for (%s) or (%s)", a, b)
			}
		}
	}
	for _, tt := range []struct{ in, want string }{
		{`python_version >= "3.10"`, `python_version < "3.10"`},
		{`python_version >= "3.10" and sys_platform == "linux"`, `python_version < "3.10" or sys_platform != "linux"`},
		{`python_full_version < "3.10"`, `python_version >= "3.10"`},
		{`python_full_version >= "3.10"`, `python_full_version <= "3.10" and python_full_version != "3.10"`},
		{`extra == "a" or "g" in dependency_groups`, `extra != "a" and "g" not in dependency_groups`},
		{`os_name == "nt"`, `os_name != "nt"`},
		{`platform_version < "abc"`, `platform_version >= "abc"`},
		{`"lin" in sys_platform`, `"lin" not in sys_platform`},
		{`platform_release ~= "abc" or os_name == "nt"`, `os_name != "nt"`},
	} {
		if got := Not(mustMarker(t, tt.in)); got.String() != tt.want || got.inexact {
			t.Errorf("Not(%s) = %q (inexact %v), want %q", tt.in, got, got.inexact, tt.want)
		}
	}
}

func TestNotInexactText(t *testing.T) {
	m := mustMarker(t, `python_full_version > "3.10.1"`)
	n := Not(m)
	if n.String() != `python_full_version <= "3.10.1"` || !n.inexact {
		t.Fatalf("Not(%s) = %q, inexact %v", m, n, n.inexact)
	}
	post := Environment{Vars: map[string]string{"python_full_version": "3.10.1.post1"}}
	if m.Evaluate(post) || !n.Evaluate(post) || mustMarker(t, n.String()).Evaluate(post) {
		t.Errorf("the negation's meaning should follow the algebra at 3.10.1.post1, its text should not")
	}
	if !And(n, mustMarker(t, `os_name == "nt"`)).Evaluate(Environment{Vars: map[string]string{"python_full_version": "3.10.1.post1", "os_name": "nt"}}) {
		t.Errorf("And with an inexact marker loses its meaning")
	}
}

func TestSimplifyPython(t *testing.T) {
	for _, tt := range []struct{ in, requires, want string }{
		{`python_version >= "3.8"`, ">=3.9", ``},
		{`python_version >= "3.9"`, ">=3.9", ``},
		{`python_full_version >= "3.9"`, ">=3.9", ``},
		{`python_version >= "3.8" and os_name == "nt"`, ">=3.9", `os_name == "nt"`},
		{`python_version < "3.9"`, ">=3.9", `python_full_version < "0"`},
		{`python_version < "3.12"`, ">=3.9", `python_version < "3.12"`},
		{`python_version < "3.12"`, ">=3.9,<3.13", `python_version < "3.12"`},
		{`python_version >= "3.10" and python_version < "3.12"`, ">=3.10,<3.12", ``},
		{`python_version < "3.10" and sys_platform == "win32" or python_version >= "3.10"`, ">=3.10", ``},
		{`python_version < "3.10" and sys_platform == "win32" or python_version >= "3.10"`, ">=3.9", `python_version >= "3.10" or sys_platform == "win32"`},
		{`python_version == "3.10" and extra == "a"`, "==3.10.*", `extra == "a"`},
		{`sys_platform == "linux"`, ">=3.9", `sys_platform == "linux"`},
		{`python_full_version >= "3.9.2" and sys_platform == "linux"`, ">=3.9", `python_full_version >= "3.9.2" and sys_platform == "linux"`},
		{`python_version >= "3.11" or os_name == "nt"`, ">=3.8", `python_version >= "3.11" or os_name == "nt"`},
	} {
		m := mustMarker(t, tt.in)
		r := mustRange(t, tt.requires)
		got := m.SimplifyPython(r)
		if got.String() != tt.want {
			t.Errorf("SimplifyPython(%s, %s) = %q, want %q", tt.in, tt.requires, got, tt.want)
		}
		if !And(got, PythonMarker(r)).Equivalent(And(m, PythonMarker(r))) {
			t.Errorf("SimplifyPython(%s, %s) = %q changes the marker inside the range", tt.in, tt.requires, got)
		}
	}
	if got := mustMarker(t, `os_name == "nt"`).SimplifyPython(pep440.Empty()); !got.IsTrue() {
		t.Errorf("SimplifyPython with no version = %q, want the zero Marker", got)
	}
}

func TestPythonRange(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`python_version >= "3.10" and sys_platform == "linux"`, ">=3.10.dev0"},
		{`sys_platform == "linux"`, ""},
		{`python_full_version >= "3.9" and python_full_version < "3.12" or os_name == "nt" and python_version == "3.13"`, ">=3.9,<3.12"},
		{`python_version == "3.10" or python_version == "3.12"`, "==3.10.*"},
	} {
		got := mustMarker(t, tt.in).PythonRange()
		want := mustRange(t, tt.want)
		if tt.in == `python_full_version >= "3.9" and python_full_version < "3.12" or os_name == "nt" and python_version == "3.13"` {
			want = want.Union(mustRange(t, "==3.13.*"))
		}
		if tt.in == `python_version == "3.10" or python_version == "3.12"` {
			want = want.Union(mustRange(t, "==3.12.*"))
		}
		if !got.Equal(want) {
			t.Errorf("PythonRange(%s) = %s, want %s", tt.in, got, want)
		}
	}
	if got := False().PythonRange(); !got.IsEmpty() {
		t.Errorf("False().PythonRange() = %s", got)
	}
}

func TestPythonMarker(t *testing.T) {
	for _, tt := range []struct{ spec, want string }{
		{">=3.10", `python_full_version >= "3.10"`},
		{">=3.10.dev0", `python_version >= "3.10"`},
		{"==3.10.*", `python_version == "3.10"`},
		{"<3.10", `python_version < "3.10"`},
		{">=3.9,<3.13", `python_full_version >= "3.9" and python_version < "3.13"`},
		{">=3.9.dev0,<3.13", `python_version >= "3.9" and python_version < "3.13"`},
		{"~=3.10", `python_full_version >= "3.10" and python_version < "4.0"`},
		{"!=3.9.1", `python_full_version != "3.9.1"`},
		{">=3.8,!=3.9.1,<4", `python_full_version >= "3.8" and python_version < "4.0" and python_full_version != "3.9.1"`},
		{"", ``},
		{"<0", `python_full_version < "0"`},
	} {
		r := mustRange(t, tt.spec)
		got := PythonMarker(r)
		if got.String() != tt.want {
			t.Errorf("PythonMarker(%s) = %q, want %q", tt.spec, got, tt.want)
		}
		if !got.PythonRange().Equal(r) {
			t.Errorf("PythonMarker(%s).PythonRange() = %s", tt.spec, got.PythonRange())
		}
	}
}

func TestAlgebraConcurrent(t *testing.T) {
	done := make(chan bool)
	for i := range 4 {
		go func() {
			m := mustMarker(t, fmt.Sprintf(`python_version >= "3.%d" and sys_platform == "linux" or extra == "x%d"`, i, i))
			n := Not(m)
			done <- Disjoint(m, n) && Or(m, n).IsAlwaysTrue() && n.Evaluate(Environment{Vars: linux}) != m.Evaluate(Environment{Vars: linux})
		}()
	}
	for range 4 {
		if !<-done {
			t.Errorf("concurrent algebra gave a wrong answer")
		}
	}
}

// BenchmarkForkMarkers measures what a universal resolver does with fork
// markers: combine, test disjointness and simplify.
func BenchmarkForkMarkers(b *testing.B) {
	var markers []Marker
	for _, s := range []string{
		`python_version >= "3.10"`, `python_version < "3.10"`, `sys_platform == "win32"`, `sys_platform != "win32"`,
		`platform_machine == "x86_64" and sys_platform == "linux"`, `extra == "gpu"`, `python_full_version >= "3.9.2"`,
	} {
		m, err := ParseMarker(s)
		if err != nil {
			b.Fatal(err)
		}
		markers = append(markers, m)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, x := range markers {
			for _, y := range markers {
				m := And(x, Not(y))
				_ = Disjoint(m, y)
				_ = m.Simplify().String()
			}
		}
	}
}
