package pep440

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in     string
		offset int
		msg    string
	}{
		{"1.0foo", 3, `pep440: invalid version "1.0foo": unexpected "foo" at offset 3`},
		{"", 0, `pep440: invalid version "": unexpected end at offset 0`},
		{"1.0+", 3, `pep440: invalid version "1.0+": unexpected "+" at offset 3`},
		{" 1..0", 2, `pep440: invalid version " 1..0": unexpected "..0" at offset 2`},
		// A control character is not a letter or digit, whatever its case bit.
		{"0+\x13", 1, `pep440: invalid version "0+\x13": unexpected "+\x13" at offset 1`},
	}
	for _, c := range cases {
		_, err := Parse(c.in)
		var ive *InvalidVersionError
		if !errors.As(err, &ive) || ive.Offset != c.offset || ive.Input != c.in || err.Error() != c.msg {
			t.Errorf("Parse(%q) error = %v, want offset %d %q", c.in, err, c.offset, c.msg)
		}
	}
}

func TestParseSpellings(t *testing.T) {
	cases := []struct{ in, want string }{
		{"1.0a.", "1.0a0"},
		{"1.0.dev.", "1.0.dev0"},
		{"V1!2.0-PREVIEW_3-r.4_DEV-5+ABC-007.x", "1!2.0rc3.post4.dev5+abc.7.x"},
		{"1.0-1", "1.0.post1"},
		{"1.0.post-1", "1.0.post1"},
		{"\u202f1.0\u2029", "1.0"},
		{"\x1c1.0\x1f", "1.0"},
		{"007.010", "7.10"},
		{"1.0+01.0a", "1.0+1.0a"},
	}
	for _, c := range cases {
		v, err := Parse(c.in)
		if err != nil || v.String() != c.want {
			t.Errorf("Parse(%q) = %v, %v; want %s", c.in, v, err, c.want)
		}
	}
	for _, bad := range []string{"1.0-", "1.0+a..b", "1.0a1a1", "1.0.post1.post2", "1.0\u00a0a1", "١.0", "1.0-+x", "v", "1!", "1.*"} {
		if v, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %s, want an error", bad, v)
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse of an invalid version did not panic")
		}
	}()
	MustParse("nope")
}

func TestLargeNumbers(t *testing.T) {
	a := MustParse("1.99999999999999999999999999999999999999")
	b := MustParse("1.100000000000000000000000000000000000000")
	if a.Compare(b) >= 0 || b.Compare(a) <= 0 {
		t.Errorf("%s should sort before %s", a, b)
	}
	if got := a.Release(); got[1] != math.MaxInt {
		t.Errorf("Release saturates: got %v", got)
	}
	if got := b.ReleaseDigits(); !reflect.DeepEqual(got, []string{"1", "100000000000000000000000000000000000000"}) {
		t.Errorf("ReleaseDigits = %v", got)
	}
	set, _ := ParseSpecifierSet(">1.99999999999999999999999999999999999999")
	if !set.Contains(b, PrereleasesDefault) || set.Contains(a, PrereleasesDefault) || !set.Range().Contains(b) {
		t.Error("specifier with a large number")
	}
	if got := MustParse("1.0.post99999999999999999999999").String(); got != "1.0.post99999999999999999999999" {
		t.Errorf("got %s", got)
	}
}

func TestAccessors(t *testing.T) {
	v := MustParse("2!1.2.0rc3.post4.dev5+Ubuntu-1")
	if v.Epoch() != 2 || !reflect.DeepEqual(v.Release(), []int{1, 2, 0}) || v.Local() != "ubuntu.1" || !v.HasLocal() {
		t.Errorf("accessors of %s", v)
	}
	if l, n, ok := v.Pre(); l != "rc" || n != 3 || !ok {
		t.Errorf("Pre = %s %d %v", l, n, ok)
	}
	if n, ok := v.Post(); n != 4 || !ok {
		t.Errorf("Post = %d %v", n, ok)
	}
	if n, ok := v.Dev(); n != 5 || !ok {
		t.Errorf("Dev = %d %v", n, ok)
	}
	if v.Public().String() != "2!1.2.0rc3.post4.dev5" || v.BaseVersion().String() != "2!1.2.0" {
		t.Errorf("Public %s BaseVersion %s", v.Public(), v.BaseVersion())
	}
	rel := v.Release()
	rel[0] = 99
	if v.Release()[0] != 1 {
		t.Error("Release must return a copy")
	}
	if !MustParse("1.0").Equal(MustParse("1.0.0")) || MustParse("1.0").Equal(MustParse("1.0+x")) {
		t.Error("Equal")
	}
}

func TestSpecifierSetParsing(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{" , ,", ""},
		{">= 1.0 , < 2", "<2,>=1.0"},
		{">=1.0,>=1,>=1.0.0", ">=1.0"},
		{"~=1.0,~=1.0.0", "~=1.0,~=1.0.0"},
		{"==1.0.*,==1.0.*", "==1.0.*"},
		{"===foo(bar", "===foo(bar"},
		{"===", "==="},
		{"==V1.0", "==V1.0"},
		{"\u3000<1\u3000", "<1"},
	}
	for _, c := range cases {
		set, err := ParseSpecifierSet(c.in)
		if err != nil || set.String() != c.want {
			t.Errorf("ParseSpecifierSet(%q) = %q, %v; want %q", c.in, set, err, c.want)
		}
	}
	for _, bad := range []string{"1.0", "=>1", ">=1.0.*", "~=1", "==1.0.*.1", "===a b", "===a;b", "<1.0+x", "~= 1.0+x", "== 1.0 .*", "==1.0)", ">=1.0,foo"} {
		if set, err := ParseSpecifierSet(bad); err == nil {
			t.Errorf("ParseSpecifierSet(%q) = %q, want an error", bad, set)
		}
	}
}

func TestSpecifierErrors(t *testing.T) {
	_, err := ParseSpecifierSet(">=1.0, =>2")
	var ise *InvalidSpecifierError
	if !errors.As(err, &ise) || ise.Offset != 7 || err.Error() != `pep440: invalid specifier ">=1.0, =>2": unexpected "=>2" at offset 7` {
		t.Errorf("error = %v", err)
	}
	_, err = ParseSpecifier("~=1")
	if !errors.As(err, &ise) || ise.Offset != 3 {
		t.Errorf("error = %v", err)
	}
}

func TestPrereleasePolicy(t *testing.T) {
	cases := []struct {
		set, version string
		names        bool
		def          bool
	}{
		{">=1.0", "2.0a1", false, false},
		{">=1.0a1", "2.0a1", true, true},
		{"==1.0a1", "1.0a1", true, true},
		{"~=1.0rc1", "1.1a1", true, true},
		{"!=1.0a1", "2.0a1", false, false},
		{">1.0.dev1", "2.0.dev1", true, true},
		{"", "1.0a1", false, false},
		{"", "1.0.post1", false, true},
		{">=1.0", "1.0.post1.dev1", false, false},
	}
	for _, c := range cases {
		set, _ := ParseSpecifierSet(c.set)
		v := MustParse(c.version)
		if set.NamesPrerelease() != c.names || set.Contains(v, PrereleasesDefault) != c.def {
			t.Errorf("%q with %s: NamesPrerelease %v Contains %v", c.set, v, set.NamesPrerelease(), set.Contains(v, PrereleasesDefault))
		}
		if v.IsPrerelease() && set.Contains(v, PrereleasesDeny) {
			t.Errorf("%q with %s: Deny contains a pre-release", c.set, v)
		}
		if len(set) == 1 && set[0].Contains(v, PrereleasesDefault) != c.def {
			t.Errorf("%q with %s: Specifier.Contains differs", c.set, v)
		}
	}
}

func TestArbitraryEquality(t *testing.T) {
	cases := []struct {
		spec, version string
		want          bool
	}{
		{"===1.0", "1.0", true},
		{"===1.0", "1.0.0", false},
		{"===1.0+ABC", "1.0+abc", true},
		{"===1.0+\u212a", "1.0+k", true},
		{"===1.0+\u017f", "1.0+s", false},
		{"===v1.0", "1.0", false},
		{"===foo", "1.0", false},
	}
	for _, c := range cases {
		set, err := ParseSpecifierSet(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		v := MustParse(c.version)
		if got := set.Contains(v, PrereleasesAllow); got != c.want {
			t.Errorf("%q Contains %s = %v, want %v", c.spec, v, got, c.want)
		}
		if got := set.Range().Contains(v); got != rangeWant(set, v) {
			t.Errorf("%q Range Contains %s = %v", c.spec, v, got)
		}
	}
}
