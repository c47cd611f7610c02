package pep508

import (
	"errors"
	"testing"
)

func TestMarkerString(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"python_version == '2.7'", `python_version == "2.7"`},
		{`python_version=="2.7"`, `python_version == "2.7"`},
		{"python_version == '2.7' and os_name == 'linux' or sys_platform == 'win32'",
			`python_version == "2.7" and os_name == "linux" or sys_platform == "win32"`},
		{`(python_version == "2.7")`, `python_version == "2.7"`},
		{`(python_version == "2.7" and sys_platform == "win32")`, `python_version == "2.7" and sys_platform == "win32"`},
		{`python_version == "2.7" and (sys_platform == "win32" or sys_platform == "linux")`,
			`python_version == "2.7" and (sys_platform == "win32" or sys_platform == "linux")`},
		{`((os_name == "a" or os_name == "b")) and os_name == "c"`,
			`(os_name == "a" or os_name == "b") and os_name == "c"`},
		{`(os_name == "a" and os_name == "b") and os_name == "c"`, `(os_name == "a" and os_name == "b") and os_name == "c"`},
		{`os_name == "a" and (os_name == "b") and os_name == "c"`, `os_name == "a" and os_name == "b" and os_name == "c"`},
		{`((((os_name == "a"))))`, `os_name == "a"`},
		{"\t( os_name=='a'or(os_name=='b' ) )\t", `os_name == "a" or os_name == "b"`},
		{"os.name == 'nt'", `os_name == "nt"`},
		{"sys.platform == 'linux'", `sys_platform == "linux"`},
		{"platform.version == 'x'", `platform_version == "x"`},
		{"platform.machine == 'x'", `platform_machine == "x"`},
		{"platform.python_implementation == 'x'", `platform_python_implementation == "x"`},
		{"python_implementation == 'x'", `platform_python_implementation == "x"`},
		{"'3.7' <= python_version", `"3.7" <= python_version`},
		{"'2.7' not  in python_version", `"2.7" not in python_version`},
		{"extra == 'Dev.Tools'", `extra == "dev-tools"`},
		{"os_name == 'a' and extra == 'Dev_Tools'", `os_name == "a" and extra == "dev-tools"`},
		{"'Dev' in dependency_groups", `"dev" in dependency_groups`},
		{"'Test' not in extras", `"test" not in extras`},
		{`os_name == 'say "hi"'`, `os_name == 'say "hi"'`},
		{`os_name == "it's"`, `os_name == "it's"`},
		{`os_name == '\x41\n'`, `os_name == "A\n"`},
		{`os_name == 'C:\\'`, `os_name == "C:\\"`},
		{`os_name == '\d'`, `os_name == "\d"`},
		{`os_name == 'a\\d'`, `os_name == "a\d"`},
		{`os_name == 'a\\n'`, `os_name == "a\\n"`},
		{`os_name == "'\x22"`, `os_name == "'\x22"`},
		{`os_name == ""`, `os_name == ""`},
		{`python_version === "3.12"`, `python_version === "3.12"`},
	} {
		m, err := ParseMarker(tt.in)
		if err != nil {
			t.Errorf("ParseMarker(%q): %v", tt.in, err)
			continue
		}
		if got := m.String(); got != tt.want {
			t.Errorf("ParseMarker(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		if again, err := ParseMarker(m.String()); err != nil || again.String() != m.String() {
			t.Errorf("ParseMarker(%q) = %q, %v; want the same string back", m.String(), again.String(), err)
		}
	}
}

func TestMarkerErrors(t *testing.T) {
	for _, tt := range []struct {
		in     string
		offset int
	}{
		{"", 0},
		{"python_version", 14},
		{"python_version >= 3.8", 18},
		{"python_version = '3.8'", 15},
		{"python_version >= '3.8' and", 27},
		{"(python_version == '2.7'", 0},
		{"python_version >= '3.8')", 23},
		{"os_name == 'a' extra", 15},
		{"'3.6'inpython_version", 5},
		{"not python_version == '3.8'", 0},
		{"os_name notin 'x'", 8},
		{"os_name not'in' 'x'", 11},
		{"Python_Version >= '3'", 0},
		{"extrass == 'a'", 0},
		{`os_name == "a`, 11},
		{`os_name == "a\"`, 11},
		{`os_name == "\x4"`, 11},
		{`os_name == "\N{DIGIT ONE}"`, 11},
		{"os_name == 'a\nb'", 11},
		{"os_name == 'a'\n", 14},
		{"os_name == '\xff'", 12},
	} {
		_, err := ParseMarker(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseMarker(%q) error = %v, want a *SyntaxError", tt.in, err)
			continue
		}
		if se.Input != tt.in || se.Offset != tt.offset || se.Kind != "marker" {
			t.Errorf("ParseMarker(%q): error %q at offset %d, want offset %d", tt.in, se, se.Offset, tt.offset)
		}
	}
}

// linux is a full environment for evaluation tests.
var linux = map[string]string{
	"implementation_name":            "cpython",
	"implementation_version":         "3.12.4",
	"os_name":                        "posix",
	"platform_machine":               "x86_64",
	"platform_python_implementation": "CPython",
	"platform_release":               "6.5.0-1025-azure",
	"platform_system":                "Linux",
	"platform_version":               "#26~22.04.1-Ubuntu SMP",
	"python_full_version":            "3.12.4",
	"python_version":                 "3.12",
	"sys_platform":                   "linux",
	"extra":                          "",
}

func withVars(over map[string]string) map[string]string {
	env := map[string]string{}
	for k, v := range linux {
		env[k] = v
	}
	for k, v := range over {
		env[k] = v
	}
	return env
}

func TestMarkerEvaluate(t *testing.T) {
	for _, tt := range []struct {
		marker string
		over   map[string]string
		want   bool
	}{
		{`python_version >= "3.10"`, nil, true},
		{`python_version < "3.9"`, nil, false},
		{`"3.10" <= python_version`, nil, true},
		{`"3.13" <= python_version`, nil, false},
		{`python_version in "3.9 3.10"`, nil, false},
		{`python_version in "3.11 3.12"`, nil, true},
		{`python_version not in "3.11 3.12"`, nil, false},
		{`"arm" in platform_machine`, map[string]string{"platform_machine": "arm64"}, true},
		{`python_full_version == "3.12.*"`, nil, true},
		{`python_full_version >= "3.13.0a1"`, map[string]string{"python_full_version": "3.13.0rc1"}, true},
		{`python_full_version == "3.12.4+local"`, map[string]string{"python_full_version": "3.12.4+"}, true},
		{`python_version ~= "2.7.0"`, map[string]string{"python_version": "2.7.6"}, true},
		{`platform_release >= "6"`, nil, true},
		{`platform_release < "10"`, nil, false},
		{`platform_system == "Linux" and platform_machine == "x86_64"`, nil, true},
		{`os_name == "nt" or os_name == "posix" and sys_platform == "linux"`, nil, true},
		{`os_name == "posix" or os_name == "nt" and sys_platform == "win32"`, nil, true},
		{`(os_name == "posix" or os_name == "nt") and sys_platform == "win32"`, nil, false},
		{`extra == "Dev.Tools"`, map[string]string{"extra": "dev_tools"}, true},
		{`extra == "test"`, nil, false},
		{`extra != "test"`, nil, true},
		{`"TEST" == extra`, map[string]string{"extra": "test"}, true},
		{`os.name == "posix"`, nil, true},
		{`python_implementation == "CPython"`, nil, true},
		{`os_name < "q"`, nil, true},
		{`os_name ~= "posix"`, nil, false},
		{`os_name === "posix"`, nil, true},
		{`python_version == python_version`, nil, true},
		{`"a" < "b"`, nil, true},
	} {
		m, err := ParseMarker(tt.marker)
		if err != nil {
			t.Errorf("ParseMarker(%q): %v", tt.marker, err)
			continue
		}
		if got := m.Evaluate(Environment{Vars: withVars(tt.over)}); got != tt.want {
			t.Errorf("%q.Evaluate(%v) = %v, want %v", tt.marker, tt.over, got, tt.want)
		}
	}
}

func TestMarkerEvaluateSets(t *testing.T) {
	env := Environment{Vars: linux, Extras: []string{"Fast_Path"}, DependencyGroups: []string{"dev"}}
	for _, tt := range []struct {
		marker string
		want   bool
	}{
		{`"dev" in dependency_groups`, true},
		{`"Dev" in dependency_groups`, true},
		{`"docs" in dependency_groups`, false},
		{`"docs" not in dependency_groups`, true},
		{`"fast-path" in extras`, true},
		{`"fast-path" in extras and "dev" not in dependency_groups`, false},
		{`"dev" == dependency_groups`, false},
		{`extras == "fast-path"`, false},
		{`extra == "fast-path"`, false},
	} {
		m, err := ParseMarker(tt.marker)
		if err != nil {
			t.Errorf("ParseMarker(%q): %v", tt.marker, err)
			continue
		}
		if got := m.Evaluate(env); got != tt.want {
			t.Errorf("%q.Evaluate = %v, want %v", tt.marker, got, tt.want)
		}
	}
}

func TestAndOr(t *testing.T) {
	parse := func(s string) Marker {
		t.Helper()
		m, err := ParseMarker(s)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	a := parse(`os_name == "a" or os_name == "b"`)
	b := parse(`sys_platform == "c" and sys_platform == "d"`)
	c := parse(`extra == "e"`)
	for _, tt := range []struct {
		m    Marker
		want string
	}{
		{And(Marker{}, Marker{}), ""},
		{And(Marker{}, c), `extra == "e"`},
		{And(c, Marker{}), `extra == "e"`},
		{Or(Marker{}, c), ""},
		{Or(c, Marker{}), ""},
		{And(a, c), `(os_name == "a" or os_name == "b") and extra == "e"`},
		{And(b, c), `sys_platform == "c" and sys_platform == "d" and extra == "e"`},
		{And(c, And(b, c)), `extra == "e" and sys_platform == "c" and sys_platform == "d" and extra == "e"`},
		{Or(a, c), `os_name == "a" or os_name == "b" or extra == "e"`},
		{Or(b, c), `sys_platform == "c" and sys_platform == "d" or extra == "e"`},
		{And(Or(b, c), a), `(sys_platform == "c" and sys_platform == "d" or extra == "e") and (os_name == "a" or os_name == "b")`},
	} {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
		if again, err := ParseMarker(tt.want); tt.want != "" && (err != nil || again.String() != tt.want) {
			t.Errorf("%q does not read back: %q, %v", tt.want, again.String(), err)
		}
	}
	if !(Marker{}).IsTrue() || c.IsTrue() || !Or(c, Marker{}).IsTrue() {
		t.Error("IsTrue is wrong")
	}
	env := Environment{Vars: withVars(map[string]string{"os_name": "b", "sys_platform": "c", "extra": "e"})}
	if And(a, c).Evaluate(env) != true || And(b, c).Evaluate(env) != false || Or(b, c).Evaluate(env) != true {
		t.Error("And/Or evaluate wrongly")
	}
	if a.String() != `os_name == "a" or os_name == "b"` {
		t.Errorf("And/Or changed an operand: %q", a.String())
	}
}
