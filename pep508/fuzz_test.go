package pep508

import "testing"

// FuzzParseRequirement checks that parsing never panics and that String
// output parses back to the same string.
func FuzzParseRequirement(f *testing.F) {
	for _, s := range []string{
		"requests[socks]>=2.8,<3; python_version >= '3.8'",
		"name @ https://example.com/x.zip ; os_name == 'nt'",
		"setuptools (>=18.5)",
		"name===arbitrary",
		"name[a,b] (==1.0.*) ; extra == 'Dev_Tools' or (os_name=='a' and sys_platform!='b')",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRequirement(s)
		if err != nil {
			return
		}
		str := r.String()
		again, err := ParseRequirement(str)
		if err != nil {
			t.Fatalf("ParseRequirement(%q).String() = %q, which does not parse: %v", s, str, err)
		}
		if again.String() != str {
			t.Fatalf("ParseRequirement(%q) prints %q, which prints %q", s, str, again.String())
		}
	})
}

// FuzzParseMarker checks that parsing and evaluating never panic and that
// String output parses back to the same string.
func FuzzParseMarker(f *testing.F) {
	for _, s := range []string{
		"python_version >= '3.8' and (sys_platform == 'linux' or os.name == \"nt\")",
		"'dev' in dependency_groups or extra == 'Test'",
		"python_full_version ~= '3.12.0' and platform_release < '10'",
		`os_name == '\x41\\d'`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMarker(s)
		if err != nil {
			return
		}
		m.Evaluate(Environment{Vars: linux, Extras: []string{"test"}})
		str := m.String()
		again, err := ParseMarker(str)
		if err != nil {
			t.Fatalf("ParseMarker(%q).String() = %q, which does not parse: %v", s, str, err)
		}
		if again.String() != str {
			t.Fatalf("ParseMarker(%q) prints %q, which prints %q", s, str, again.String())
		}
	})
}

// algebraEnvs are consistent environments (python_version is the major.minor
// of python_full_version) the fuzz target evaluates markers in.
var algebraEnvs = []Environment{
	{Vars: linux, Extras: []string{"test"}},
	{Vars: map[string]string{"python_version": "3.8", "python_full_version": "3.8.0rc1", "implementation_version": "3.8.0rc1",
		"sys_platform": "win32", "os_name": "nt", "platform_system": "Windows", "extra": "dev"}, DependencyGroups: []string{"dev"}},
}

// FuzzMarkerAlgebra parses two markers and checks the algebra's laws:
// double negation, excluded middle, De Morgan, absorption, Simplify keeping
// the meaning and being canonical, and agreement with Evaluate.
func FuzzMarkerAlgebra(f *testing.F) {
	for _, s := range [][2]string{
		{`python_version >= "3.10" and sys_platform == "linux"`, `python_full_version < "3.10"`},
		{`extra == "a" or "dev" in dependency_groups`, `extra != "a" and os_name == "nt"`},
		{`python_full_version > "3.10.1" or platform_release >= "6"`, `python_version ~= "3.8" and "lin" in sys_platform`},
		{`python_version == "3.10.*" or implementation_version < "7.3"`, `os.name != "posix"`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, sa, sb string) {
		a, errA := ParseMarker(sa)
		b, errB := ParseMarker(sb)
		if errA != nil || errB != nil {
			return
		}
		checkLaws(t, a, b)
	})
}

func checkLaws(t *testing.T, a, b Marker) {
	t.Helper()
	na := Not(a)
	switch {
	case !Not(na).Equivalent(a):
		t.Fatalf("Not(Not(%s)) is not equivalent", a)
	case !Disjoint(a, na) || !Or(a, na).IsAlwaysTrue():
		t.Fatalf("%s and Not = %s overlap or leave a gap", a, na)
	case !Not(And(a, b)).Equivalent(Or(na, Not(b))) || !Not(Or(a, b)).Equivalent(And(na, Not(b))):
		t.Fatalf("De Morgan fails for %s, %s", a, b)
	case !a.Implies(Or(a, b)) || !And(a, b).Implies(a):
		t.Fatalf("absorption fails for %s, %s", a, b)
	case Disjoint(a, b) != And(a, b).IsFalse() || a.Implies(b) != Disjoint(a, Not(b)):
		t.Fatalf("Disjoint, Implies and IsFalse disagree for %s, %s", a, b)
	}
	s := a.Simplify()
	if !s.Equivalent(a) || s.Simplify().String() != s.String() {
		t.Fatalf("Simplify(%s) = %q is not equivalent or not stable", a, s)
	}
	if !s.inexact && !s.IsTrue() {
		again, err := ParseMarker(s.String())
		if err != nil || !again.Equivalent(a) || again.Simplify().String() != s.String() {
			t.Fatalf("Simplify(%s) = %q does not read back as the same marker (%v)", a, s, err)
		}
	}
	for _, env := range algebraEnvs {
		want := a.Evaluate(env)
		if s.Evaluate(env) != want || na.Evaluate(env) == want {
			t.Fatalf("Simplify or Not of %s disagrees with Evaluate at %v", a, env.Vars)
		}
	}
}
