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
