package pep508

import "testing"

func TestNormalizeName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"requests", "requests"},
		{"Foo-Bar.quux_bAz", "foo-bar-quux-baz"},
		{"a--_..b", "a-b"},
		{"zope.interface", "zope-interface"},
		{"_leading", "-leading"},
		{"", ""},
	} {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidName(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"a", true},
		{"A1", true},
		{"foo-bar.baz_qux", true},
		{"", false},
		{"-foo", false},
		{"foo-", false},
		{"foo bar", false},
		{"foö", false},
	} {
		if got := ValidName(tt.in); got != tt.want {
			t.Errorf("ValidName(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
