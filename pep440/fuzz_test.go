package pep440

import "testing"

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.0", "v1!2.0-PRE_3.r4-dev5+a.B-1", " 1.0-1 ", "1.0a.", "0!0.0.0", "1.0+", "1..0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			return
		}
		w, err := Parse(v.String())
		if err != nil {
			t.Fatalf("normal form %q of %q does not parse: %v", v, s, err)
		}
		if !w.Equal(v) || w.String() != v.String() {
			t.Fatalf("round trip of %q: %q then %q", s, v, w)
		}
		if !Singleton(v).Contains(v) || !Singleton(v).Complement().Contains(succ(v.Public())) {
			t.Fatalf("Singleton(%s)", v)
		}
	})
}

func FuzzParseSpecifier(f *testing.F) {
	for _, s := range []string{">=1.0", "~=1.0", "==1.*", "===x", "!= 1.0+local"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sp, err := ParseSpecifier(s)
		if err != nil {
			return
		}
		again, err := ParseSpecifier(sp.String())
		if err != nil || again != sp {
			t.Fatalf("round trip of %q: %q, %v", s, again, err)
		}
	})
}

var fuzzProbe = []string{"0", "1.0", "1.0a1", "1.0.post1", "1.0.dev1", "1.0+local", "2.0", "1!1.0", "1.0.post1.dev1"}

func FuzzParseSpecifierSet(f *testing.F) {
	for _, s := range []string{">=1.0,<2", "~=1.4.2, !=1.4.5", "==1.*", "", ">1.0a1,<1.0a1.post0", "===1.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		set, err := ParseSpecifierSet(s)
		if err != nil {
			return
		}
		again, err := ParseSpecifierSet(set.String())
		if err != nil || again.String() != set.String() {
			t.Fatalf("round trip of %q: %q, %v", s, again, err)
		}
		r := set.Range()
		if !r.Equal(again.Range()) {
			t.Fatalf("ranges of %q differ after a round trip", s)
		}
		_ = r.String()
		for _, p := range fuzzProbe {
			v := MustParse(p)
			if r.Contains(v) != rangeWant(set, v) {
				t.Fatalf("%q: Range %s Contains(%s) disagrees", s, r, v)
			}
		}
	})
}
