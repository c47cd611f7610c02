package testindex

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

var demoSpecs = []Spec{
	{Name: "Alpha", Releases: []ReleaseSpec{
		{Version: "1.0", RequiresDist: []string{"beta>=2"}, Extras: map[string][]string{"x": {"gamma"}}},
		{Version: "2.0rc1", RequiresPython: ">=3.12", Files: []string{"cp312-abi3-manylinux_2_17_x86_64", "sdist"}},
		{Version: "0.9", YankedReason: "broken", UploadTime: time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)},
	}},
	{Name: "beta", Releases: []ReleaseSpec{{Version: "2.0", Yanked: true}}},
}

func TestFromSpecsLazyEqualsEager(t *testing.T) {
	eager, err := FromSpecs(demoSpecs, SpecOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := FromSpecs(demoSpecs, SpecOptions{Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := lazy.Project("alpha").Releases[0].Files; got != nil {
		t.Fatalf("lazy index built files before any request: %d", len(got))
	}
	n := 0
	for _, p := range eager.Projects {
		for _, r := range p.Releases {
			for _, f := range r.Files {
				n++
				lf := lazy.File(f.Filename)
				if lf == nil || !bytes.Equal(lf.Data, f.Data) || lf.SHA256 != f.SHA256 {
					t.Errorf("%s: lazy file differs from eager file", f.Filename)
				}
			}
		}
	}
	if n != 8 {
		t.Errorf("built %d files, want 8", n)
	}
	a := eager.Project("ALPHA")
	if a.Releases[0].Version.String() != "0.9" || !a.Releases[0].Yanked || a.Releases[0].YankedReason != "broken" {
		t.Errorf("0.9: %+v", a.Releases[0])
	}
	if !a.Releases[0].UploadTime.Equal(time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("upload time %v", a.Releases[0].UploadTime)
	}
	if got := strings.Join(a.Releases[1].RequiresDist, "|"); got != `beta>=2|gamma; extra == "x"` {
		t.Errorf("requires-dist %q", got)
	}
	if lazy.File("alpha-9.9-py3-none-any.whl") != nil {
		t.Error("lazy index serves a file it does not have")
	}
}

func TestFromSpecsServed(t *testing.T) {
	ix, err := FromSpecs(demoSpecs, SpecOptions{Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Serve(ix, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	page := get(t, s.SimpleURL()+"alpha/")
	links := anchorRE.FindAllStringSubmatch(string(page.body), -1)
	if page.status != 200 || len(links) != 6 {
		t.Fatalf("status %d, %d links:\n%s", page.status, len(links), page.body)
	}
	for _, l := range links {
		f := get(t, l[1])
		if f.status != 200 || sha256Hex(f.body) != l[2] {
			t.Errorf("%s: status %d, hash mismatch", l[1], f.status)
		}
	}
	if r := get(t, s.JSONURL()+"beta/json"); r.status != 200 || !strings.Contains(string(r.body), "beta-2.0-py3-none-any.whl") {
		t.Errorf("JSON API: %d %s", r.status, r.body)
	}
}

func TestFromSpecsErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		specs []Spec
		want  string
	}{
		{"no name", []Spec{{Releases: []ReleaseSpec{{Version: "1"}}}}, "project without a name"},
		{"bad version", []Spec{{Name: "a", Releases: []ReleaseSpec{{Version: "one"}}}}, `invalid version "one"`},
		{"twice", []Spec{{Name: "a", Releases: []ReleaseSpec{{Version: "1"}, {Version: "1.0"}}}}, "listed twice"},
		{"bad tag", []Spec{{Name: "a", Releases: []ReleaseSpec{{Version: "1", Files: []string{"py3"}}}}}, "invalid file"},
	} {
		_, err := FromSpecs(tc.specs, SpecOptions{Lazy: true})
		var de *DescriptionError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want a *DescriptionError containing %q", tc.name, err, tc.want)
		}
	}
}

func TestResolvelibSpecs(t *testing.T) {
	data := []byte(`{
 "9lives": {"1.0": {"dependencies": []}},
 "pkg": {
  "1.0": {"dependencies": ["dep (>=1.0)", "setuptools (>=18.5decorator)"]},
  "1.0.0": {"dependencies": []},
  "2004d": {"dependencies": []},
  "2.0": {"dependencies": ["dep[x]; python_version >= '3'"]}
 }
}`)
	specs, err := ResolvelibSpecs(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 2 || specs[0].Module != "_9lives" {
		t.Fatalf("specs %+v", specs)
	}
	pkg := specs[1]
	if len(pkg.Releases) != 2 || pkg.Releases[0].Version != "1.0" || pkg.Releases[1].Version != "2.0" {
		t.Fatalf("releases %+v", pkg.Releases)
	}
	if got := pkg.Releases[0].RequiresDist; len(got) != 1 || got[0] != "dep (>=1.0)" {
		t.Errorf("requires-dist %q", got)
	}
	if _, err := FromSpecs(specs, SpecOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ResolvelibSpecs([]byte("[")); err == nil {
		t.Error("invalid JSON accepted")
	}
}
