package pep440

import (
	"fmt"
	"math/rand"
	"sort"
	"testing"
)

// firstN returns at most the first n items of s.
func firstN[T any](s []T, n int) []T {
	return s[:min(n, len(s))]
}

// conformanceVersions collects every version string of the conformance data.
func conformanceVersions(t *testing.T) []Version {
	var valid []string
	loadJSON(t, "valid.json", &valid)
	var ordering struct {
		Versions []string `json:"versions"`
	}
	loadJSON(t, "ordering.json", &ordering)
	all := append(valid, ordering.Versions...)
	for _, name := range []string{"specifiers.json", "prereleases.json"} {
		for _, c := range loadSpecifierCases(t, name) {
			all = append(all, c.Version)
		}
	}
	return uniqueVersions(all)
}

func uniqueVersions(strs []string) []Version {
	seen := map[string]bool{}
	var out []Version
	for _, s := range strs {
		v, err := Parse(s)
		if err != nil || seen[v.String()] {
			continue
		}
		seen[v.String()] = true
		out = append(out, v)
	}
	return out
}

var neighbourSuffixes = []string{
	"", ".0", ".0.0", ".0.1", ".1", ".dev0", ".dev1", "a0", "a0.dev0", "a1", "a1.dev3",
	"a1.post0", "a1.post0.dev0", "b2", "rc9", "rc9.post4", ".post0.dev0", ".post0", ".post1",
	".post1.dev0", ".post1.dev5", ".post2",
}

// neighbours lists versions around v: its release with every kind of
// suffix, with and without local labels, and v's own successor.
func neighbours(v Version) []Version {
	base := v.BaseVersion().String()
	strs := []string{v.String(), v.Public().String(), succ(v.Public()).String(), v.Public().String() + "+zz"}
	for _, suffix := range neighbourSuffixes {
		strs = append(strs, base+suffix, base+suffix+"+local", base+suffix+"+0")
	}
	return uniqueVersions(strs)
}

// derivedSpecifiers builds clauses of every operator around v.
func derivedSpecifiers(v Version) []string {
	pub := v.Public().String()
	out := []string{"==" + v.String(), "!=" + v.String(), "===" + v.String(), "<=" + pub, ">=" + pub, "<" + pub, ">" + pub}
	if len(v.release) >= 2 {
		out = append(out, "~="+pub)
	}
	rel := v.ReleaseDigits()
	for i := 1; i <= len(rel); i++ {
		prefix := v.BaseVersion()
		prefix.release = prefix.release[:i]
		out = append(out, "=="+prefix.String()+".*", "!="+prefix.String()+".*")
	}
	return out
}

// TestRangeMatchesContains checks Range against Contains (with pre-releases
// allowed) for clauses of every operator derived from each conformance
// version, on that version's neighbours and on a sample of all versions.
func TestRangeMatchesContains(t *testing.T) {
	versions := conformanceVersions(t)
	rng := rand.New(rand.NewSource(1))
	sample := make([]Version, 0, 60)
	for _, i := range firstN(rng.Perm(len(versions)), 60) {
		sample = append(sample, versions[i])
	}
	for _, v := range versions {
		probe := append(neighbours(v), sample...)
		for _, text := range derivedSpecifiers(v) {
			set, err := ParseSpecifierSet(text)
			if err != nil {
				t.Fatalf("%s: %v", text, err)
			}
			checkRangeOn(t, set, probe)
		}
	}
}

func checkRangeOn(t *testing.T, set SpecifierSet, probe []Version) {
	t.Helper()
	r := set.Range()
	for _, w := range probe {
		if got, want := r.Contains(w), rangeWant(set, w); got != want {
			t.Errorf("%q: Range %s Contains(%s) = %v, want %v", set, r, w, got, want)
		}
	}
}

// TestRangeMatchesContainsRandomSets does the same for random multi-clause
// sets built from the conformance specifiers and derived clauses.
func TestRangeMatchesContainsRandomSets(t *testing.T) {
	versions := conformanceVersions(t)
	clauses := allClauses(t, versions)
	rng := rand.New(rand.NewSource(2))
	for range 400 {
		var set SpecifierSet
		for range 1 + rng.Intn(3) {
			set = append(set, clauses[rng.Intn(len(clauses))])
		}
		anchor := versions[rng.Intn(len(versions))]
		probe := neighbours(anchor)
		for _, i := range firstN(rng.Perm(len(versions)), 40) {
			probe = append(probe, versions[i])
		}
		for _, sp := range set {
			if v, err := Parse(sp.Version); err == nil {
				probe = append(probe, neighbours(v)...)
			}
		}
		checkRangeOn(t, set, probe)
	}
}

func allClauses(t *testing.T, versions []Version) []Specifier {
	var out []Specifier
	for _, name := range []string{"specifiers.json", "prereleases.json"} {
		for _, c := range loadSpecifierCases(t, name) {
			set, err := ParseSpecifierSet(c.Specifier)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, set...)
		}
	}
	for _, v := range versions {
		for _, text := range derivedSpecifiers(v) {
			out = append(out, mustSpecifier(t, text))
		}
	}
	return out
}

func mustSpecifier(t *testing.T, text string) Specifier {
	t.Helper()
	sp, err := ParseSpecifier(text)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func mustRange(t *testing.T, text string) Range {
	t.Helper()
	set, err := ParseSpecifierSet(text)
	if err != nil {
		t.Fatal(err)
	}
	return set.Range()
}

// TestRangeAlgebra checks the set laws and pointwise membership of Union,
// Intersect, Complement, Difference, Equal and SubsetOf on random ranges.
func TestRangeAlgebra(t *testing.T) {
	versions := conformanceVersions(t)
	clauses := allClauses(t, versions)
	rng := rand.New(rand.NewSource(3))
	randomRange := func() Range {
		r := SpecifierSet{clauses[rng.Intn(len(clauses))]}.Range()
		if rng.Intn(2) == 0 {
			r = r.Union(SpecifierSet{clauses[rng.Intn(len(clauses))]}.Range())
		}
		if rng.Intn(3) == 0 {
			r = r.Complement()
		}
		return r
	}
	for range 300 {
		a, b := randomRange(), randomRange()
		probe := append(neighbours(versions[rng.Intn(len(versions))]), firstN(versions, 50)...)
		checkPointwise(t, a, b, probe)
		checkLaws(t, a, b)
	}
}

func checkPointwise(t *testing.T, a, b Range, probe []Version) {
	t.Helper()
	union, inter, comp, diff := a.Union(b), a.Intersect(b), a.Complement(), a.Difference(b)
	equal, subset := a.Equal(b), a.SubsetOf(b)
	for _, v := range probe {
		x, y := a.Contains(v), b.Contains(v)
		if union.Contains(v) != (x || y) || inter.Contains(v) != (x && y) ||
			comp.Contains(v) == x || diff.Contains(v) != (x && !y) {
			t.Errorf("pointwise %s / %s at %s", a, b, v)
		}
		if equal && x != y {
			t.Errorf("%s Equal %s but they differ at %s", a, b, v)
		}
		if subset && x && !y {
			t.Errorf("%s SubsetOf %s but %s is only in the first", a, b, v)
		}
	}
}

func checkLaws(t *testing.T, a, b Range) {
	t.Helper()
	laws := []struct {
		name string
		ok   bool
	}{
		{"union commutes", a.Union(b).Equal(b.Union(a))},
		{"intersect commutes", a.Intersect(b).Equal(b.Intersect(a))},
		{"de morgan union", a.Union(b).Complement().Equal(a.Complement().Intersect(b.Complement()))},
		{"de morgan intersect", a.Intersect(b).Complement().Equal(a.Complement().Union(b.Complement()))},
		{"double complement", a.Complement().Complement().Equal(a)},
		{"excluded middle", a.Union(a.Complement()).IsFull()},
		{"non-contradiction", a.Intersect(a.Complement()).IsEmpty()},
		{"subset of union", a.SubsetOf(a.Union(b))},
		{"intersection subset", a.Intersect(b).SubsetOf(a)},
		{"subset iff intersection", a.SubsetOf(b) == a.Intersect(b).Equal(a)},
		{"equal iff mutual subsets", a.Equal(b) == (a.SubsetOf(b) && b.SubsetOf(a))},
		{"difference", a.Difference(b).Equal(a.Intersect(b.Complement()))},
		{"absorption", a.Union(a.Intersect(b)).Equal(a)},
		{"full", a.Intersect(Full()).Equal(a) && a.Union(Empty()).Equal(a)},
	}
	for _, l := range laws {
		if !l.ok {
			t.Errorf("%s fails for %s and %s", l.name, a, b)
		}
	}
}

// TestRangeExact checks emptiness, fullness and equality where they depend on
// versions no probe would find.
func TestRangeExact(t *testing.T) {
	cases := []struct {
		a, b  string
		equal bool
	}{
		{">1.0a1,<1.0a1.post0", "<0.dev0", true},
		{">1.0.dev1,<1.0.dev2", "<0.dev0", true},
		{">=1.0,<1.0.post0.dev0", "==1.0", true},
		{">=1.0,<1.0.post0", "==1.0", true},
		{">=0.dev0", "", true},
		{">=0", "", false},
		{"<=0.dev0", "==0.dev0", true},
		{">1.0.post1,<1.0.post2", "<0.dev0", true},
		{">1.0.post1,<1.0.post3", "===1.0.post2", true},
		{"==1.*", ">=1.dev0,<2.dev0", true},
		{"==1.0.*", "==1.*,<1.1.dev0", true},
		{"~=1.4.2", ">=1.4.2,==1.4.*", true},
		{"!=1.0,==1.0", "<0.dev0", true},
		{"===1.0,!=1.0", "<0.dev0", true},
		{"!=1.0+abc,!=1.0", "!=1.0", true},
		{">1.0", ">=1.0.0.0.1.dev0", false},
		{"<1.0", "<1.0.dev0", true},
		{"<1.0.post1", "<1.0.dev0", false},
		{">=1!0.dev0", ">=1!0", false},
		{"<1!0.dev0", "<1!0.dev0,>=0", false},
	}
	for _, c := range cases {
		a, b := mustRange(t, c.a), mustRange(t, c.b)
		if got := a.Equal(b); got != c.equal {
			t.Errorf("%q (%s) Equal %q (%s) = %v, want %v", c.a, a, c.b, b, got, c.equal)
		}
	}
	if !mustRange(t, ">1.0a1,<1.0a1.post0").IsEmpty() || mustRange(t, ">1.0.post1,<1.0.post3").IsEmpty() {
		t.Error("IsEmpty wrong")
	}
	if !mustRange(t, ">=0.dev0").IsFull() || mustRange(t, "!=1.0+abc").IsFull() {
		t.Error("IsFull wrong")
	}
	if !Singleton(MustParse("1.0")).SubsetOf(mustRange(t, "==1.0")) || mustRange(t, "==1.0").SubsetOf(Singleton(MustParse("1.0"))) {
		t.Error("Singleton of a public version must exclude its local variants")
	}
}

func TestRangeString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "any version"},
		{"<0.dev0", "no version"},
		{">=1.0,<2.0", ">=1.0, <2.0"},
		{"==1.2", "==1.2"},
		{"==1.2+abc", "==1.2+abc"},
		{"===1.2", "==1.2"},
		{"==1.*", "==1.*"},
		{"==1.4.*", "==1.4.*"},
		{"!=1.2", "<1.2 or >1.2"},
		{"<=1.0", "<=1.0"},
		{">1.0", ">1.0"},
		{">1.0.post1", ">1.0.post1"},
		{"~=2.2", ">=2.2, <3"},
		{"<1.0,>=0.5", ">=0.5, <1.0"},
		{">=1.0.dev3", ">=1.0.dev3"},
		{">1.0.post1,<1.0.post3", ">1.0.post1, <1.0.post3"},
		{"<1.0.post2", "<1.0 or >=1.0, <1.0.post2"},
	}
	for _, c := range cases {
		if got := mustRange(t, c.in).String(); got != c.want {
			t.Errorf("Range(%q).String() = %q, want %q", c.in, got, c.want)
		}
	}
	complements := []struct{ in, want string }{
		{">1.0a1", "<=1.0a1"},
		{">1.0", "<=1.0.post*"},
		{">1.0.post1,<1.0.post3", "<=1.0.post1 or >=1.0.post3"},
		{"<1!0", ">=1!0.dev0"},
	}
	for _, c := range complements {
		if got := mustRange(t, c.in).Complement().String(); got != c.want {
			t.Errorf("Range(%q).Complement().String() = %q, want %q", c.in, got, c.want)
		}
	}
	locals := mustRange(t, "==1.0").Difference(Singleton(MustParse("1.0")))
	if got := locals.String(); got != "==1.0 with a local label" {
		t.Errorf("local variants print %q", got)
	}
	if got := interval(negInf, posInf, publicUniverses).String(); got != "some versions of every release" {
		t.Errorf("public versions print %q", got)
	}
	union := mustRange(t, "<1.0").Union(mustRange(t, ">=2.0"))
	if got := union.String(); got != "<1.0 or >=2.0" {
		t.Errorf("union String = %q", got)
	}
}

func TestRangeSortedCuts(t *testing.T) {
	versions := conformanceVersions(t)
	r := Empty()
	for _, v := range firstN(versions, 80) {
		r = r.Union(Singleton(v))
	}
	if !sort.SliceIsSorted(r.cuts, func(i, j int) bool { return compareCuts(r.cuts[i], r.cuts[j]) < 0 }) {
		t.Fatal("cuts out of order")
	}
	for _, v := range firstN(versions, 80) {
		if !r.Contains(v) {
			t.Errorf("union of singletons lacks %s", v)
		}
	}
	if got := fmt.Sprint(Full(), Empty()); got != "any version no version" {
		t.Errorf("Full/Empty print %q", got)
	}
}

// witnessCandidates lists versions of universe u just above cut c, which is
// canonical in u.
func witnessCandidates(c cut, u universe) []Version {
	var base []Version
	switch c.kind {
	case cutNegInf:
		base = []Version{leastIn[u&^uLocal]}
	case cutBefore:
		base = []Version{c.v}
	case cutAfterRel:
		b := c.v.BaseVersion()
		b.release = append(append([]num{}, b.release...), "0", "0", "0", "0", "0", "0", "1")
		w, _ := nextIn(withDev(b, true), u&^uLocal)
		base = []Version{w}
	case cutBeforeLocal:
		return []Version{c.v}
	case cutAfterLocal:
		w := c.v
		w.local = append(append([]localPart{}, w.local...), localPart{isNum: true, s: "0"})
		return []Version{w}
	}
	var out []Version
	for _, b := range base {
		if u&uLocal == 0 {
			out = append(out, b)
			continue
		}
		for _, l := range []string{"0000000a", "0a", "a", "zz", "0", "999"} {
			w := b
			w.local = []localPart{mkLocalPart(l)}
			out = append(out, w)
		}
	}
	return out
}

// TestRangeSegmentsHaveVersions checks that normalization keeps no empty
// stretch: every universe a segment of a random range includes has a version
// there (found next to the segment's lower cut), and the range contains it.
// With pointwise membership checked elsewhere, this makes IsEmpty, Equal and
// SubsetOf exact.
func TestRangeSegmentsHaveVersions(t *testing.T) {
	versions := conformanceVersions(t)
	clauses := allClauses(t, versions)
	rng := rand.New(rand.NewSource(9))
	randomRange := func() Range {
		r := SpecifierSet{clauses[rng.Intn(len(clauses))]}.Range()
		for rng.Intn(2) == 0 {
			o := SpecifierSet{clauses[rng.Intn(len(clauses))]}.Range()
			switch rng.Intn(3) {
			case 0:
				r = r.Union(o)
			case 1:
				r = r.Intersect(o)
			default:
				r = r.Difference(o)
			}
		}
		return r
	}
	for range 1000 {
		r := randomRange()
		for i := 0; i <= len(r.cuts); i++ {
			lo, hi := r.segmentBounds(i)
			for u := universe(0); u < 8; u++ {
				if r.mask(i)&(1<<u) == 0 {
					continue
				}
				found := false
				for _, w := range witnessCandidates(lo.canon(u), u) {
					if universeOf(w) == u && lo.below(w) && !hi.below(w) {
						found = true
						if !r.Contains(w) {
							t.Errorf("witness %s not contained in %s", w, r)
						}
						break
					}
				}
				if !found {
					t.Errorf("%s: no version of universe %d in segment %d", r, u, i)
				}
			}
		}
	}
}

func TestRangeSame(t *testing.T) {
	r := AtLeast(MustParse("1.0")).Intersect(Below(MustParse("2.0")))
	copied := r
	tests := []struct {
		name string
		a, b Range
		want bool
	}{
		{"a copy", r, copied, true},
		{"equal but built apart", r, AtLeast(MustParse("1.0")).Intersect(Below(MustParse("2.0"))), false},
		{"other ranges", r, Below(MustParse("2.0")), false},
		{"empty ranges", Empty(), Empty(), true},
		{"full and empty", Full(), Empty(), false},
	}
	for _, tt := range tests {
		if got := tt.a.Same(tt.b); got != tt.want {
			t.Errorf("%s: Same = %v, want %v", tt.name, got, tt.want)
		}
		if tt.want && !tt.a.Equal(tt.b) {
			t.Errorf("%s: Same but not Equal", tt.name)
		}
	}
}

// TestRangeKey checks that ranges with equal keys are equal, over every pair
// of a list of ranges, and that a range built twice gets one key.
func TestRangeKey(t *testing.T) {
	specs := []string{"", ">=1.0", ">=1.0.0", "<2", "<=2", ">1.0", "==1.0", "==1.0.*", "~=1.4.5", "!=1.4", ">=1.0,<2", ">=1.0.post1", "<1.0rc1", "==1.0+local", "===1.0", ">=1!2.0"}
	ranges := make([]Range, len(specs))
	for i, s := range specs {
		set, err := ParseSpecifierSet(s)
		if err != nil {
			t.Fatalf("ParseSpecifierSet(%q): %v", s, err)
		}
		ranges[i] = set.Range()
		again, _ := ParseSpecifierSet(s)
		if got, want := again.Range().Key(), ranges[i].Key(); got != want {
			t.Errorf("%q built twice: keys %q and %q", s, got, want)
		}
	}
	ranges = append(ranges, Empty(), Full(), ranges[1].Complement())
	specs = append(specs, "empty", "full", "not >=1.0")
	for i := range ranges {
		for j := range ranges {
			if ranges[i].Key() == ranges[j].Key() && !ranges[i].Equal(ranges[j]) {
				t.Errorf("%q and %q share the key %q but are not equal", specs[i], specs[j], ranges[i].Key())
			}
		}
	}
}
