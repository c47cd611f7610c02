package dist

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pylock/pylock/pep508"
)

func tags(s ...string) []Tag {
	var out []Tag
	for _, t := range s {
		p := strings.Split(t, "-")
		out = append(out, Tag{p[0], p[1], p[2]})
	}
	return out
}

func TestParseWheelName(t *testing.T) {
	tests := []struct {
		in      string
		name    string
		norm    string
		version string
		build   string
		tags    []Tag
	}{
		{"requests-2.31.0-py3-none-any.whl", "requests", "requests", "2.31.0", "", tags("py3-none-any")},
		{"six-1.16.0-py2.py3-none-any.whl", "six", "six", "1.16.0", "", tags("py2-none-any", "py3-none-any")},
		{"typing_extensions-4.12.2-py3-none-any.whl", "typing_extensions", "typing-extensions", "4.12.2", "", tags("py3-none-any")},
		{"zope.interface-6.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "zope.interface", "zope-interface", "6.0", "",
			tags("cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64")},
		{"foo-1.0-1-py3-none-any.whl", "foo", "foo", "1.0", "1", tags("py3-none-any")},
		{"foo-1.0-12abc-py3-none-any.whl", "foo", "foo", "1.0", "12abc", tags("py3-none-any")},
		{"Foo_Bar-1.0rc1-PY3-NONE-ANY.whl", "Foo_Bar", "foo-bar", "1.0rc1", "", tags("py3-none-any")},
		{"numpy-1.26.4-cp312-cp312-macosx_10_9_x86_64.macosx_11_0_arm64.whl", "numpy", "numpy", "1.26.4", "",
			tags("cp312-cp312-macosx_10_9_x86_64", "cp312-cp312-macosx_11_0_arm64")},
		{"pkg-2.0.post1+local-py2.py3-cp27mu.none-any.whl", "pkg", "pkg", "2.0.post1+local", "",
			tags("py2-cp27mu-any", "py2-none-any", "py3-cp27mu-any", "py3-none-any")},
	}
	for _, tt := range tests {
		w, err := ParseWheelName(tt.in)
		if err != nil {
			t.Errorf("ParseWheelName(%q): %v", tt.in, err)
			continue
		}
		if w.Name != tt.name || w.NormalizedName() != tt.norm || w.Version.String() != tt.version || w.Build != tt.build || !slices.Equal(w.Tags, tt.tags) {
			t.Errorf("ParseWheelName(%q) = %q %q %q %q %v, want %q %q %q %q %v", tt.in,
				w.Name, w.NormalizedName(), w.Version, w.Build, w.Tags, tt.name, tt.norm, tt.version, tt.build, tt.tags)
		}
	}
}

func TestParseWheelNameErrors(t *testing.T) {
	bad := []string{
		"",
		"foo-1.0-py3-none-any.zip",
		"foo-1.0-py3-none.whl",
		"foo-1.0-1-2-py3-none-any.whl",
		"foo-bar-1.0-1-py3-none-any.whl",
		"foo-1.0-abc-py3-none-any.whl",
		"foo-notaversion-py3-none-any.whl",
		"-1.0-py3-none-any.whl",
		"f o-1.0-py3-none-any.whl",
		"foo-1.0-py3..py2-none-any.whl",
		"foo-1.0-py3--any.whl",
	}
	for _, in := range bad {
		_, err := ParseWheelName(in)
		var ne *NameError
		if !errors.As(err, &ne) || ne.Filename != in || ne.Kind != "wheel" {
			t.Errorf("ParseWheelName(%q) error = %v, want *NameError", in, err)
		}
	}
}

func TestBuildNumber(t *testing.T) {
	tests := []struct {
		build string
		n     int
		rest  string
	}{{"", -1, ""}, {"1", 1, ""}, {"12abc", 12, "abc"}, {"007_x", 7, "_x"}}
	for _, tt := range tests {
		n, rest := WheelName{Build: tt.build}.BuildNumber()
		if n != tt.n || rest != tt.rest {
			t.Errorf("BuildNumber(%q) = %d %q, want %d %q", tt.build, n, rest, tt.n, tt.rest)
		}
	}
}

func TestParseTag(t *testing.T) {
	tests := []struct {
		in   string
		want []Tag
		ok   bool
	}{
		{"py3-none-any", tags("py3-none-any"), true},
		{"py2.py3-none-any", tags("py2-none-any", "py3-none-any"), true},
		{"cp311-abi3.none-linux_x86_64", tags("cp311-abi3-linux_x86_64", "cp311-none-linux_x86_64"), true},
		{"py3.py3-none-any", tags("py3-none-any"), true},
		{"py3-none", nil, false},
		{"py3-none-any-x", nil, false},
		{"py3.-none-any", nil, false},
	}
	for _, tt := range tests {
		got, err := ParseTag(tt.in)
		if (err == nil) != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("ParseTag(%q) = %v, %v; want %v (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
		var te *TagError
		if err != nil && (!errors.As(err, &te) || te.Tag != tt.in) {
			t.Errorf("ParseTag(%q) error %v is not a *TagError", tt.in, err)
		}
	}
	if s := (Tag{"cp311", "cp311", "manylinux_2_17_x86_64"}).String(); s != "cp311-cp311-manylinux_2_17_x86_64" {
		t.Errorf("Tag.String() = %q", s)
	}
}

func TestSupported(t *testing.T) {
	supported := tags("cp311-cp311-manylinux_2_17_x86_64", "cp311-abi3-manylinux_2_17_x86_64", "cp311-none-any", "py3-none-any", "py2.py3-none-any")
	tests := []struct {
		wheel string
		rank  int
		ok    bool
	}{
		{"py3-none-any", 3, true},
		{"py2.py3-none-any", 3, true},
		{"cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64", 0, true},
		{"CP311-ABI3-MANYLINUX_2_17_X86_64", 1, true},
		{"cp312-cp312-manylinux_2_17_x86_64", 0, false},
		{"py2-none-any", 0, false},
	}
	for _, tt := range tests {
		wt, err := ParseTag(tt.wheel)
		if err != nil {
			t.Fatal(err)
		}
		rank, ok := Supported(wt, supported)
		if rank != tt.rank || ok != tt.ok {
			t.Errorf("Supported(%s) = %d %v, want %d %v", tt.wheel, rank, ok, tt.rank, tt.ok)
		}
	}
}

func TestParseSdistName(t *testing.T) {
	tests := []struct {
		in, project   string // project "" uses ParseSdistName
		name, version string
		ok            bool
	}{
		{"requests-2.31.0.tar.gz", "", "requests", "2.31.0", true},
		{"foo_bar-1.0.zip", "", "foo_bar", "1.0", true},
		{"python-dateutil-2.8.2.tar.gz", "", "python-dateutil", "2.8.2", true},
		{"zope.interface-6.0.tar.gz", "", "zope.interface", "6.0", true},
		{"foo-1.0rc1.tar.gz", "", "foo", "1.0rc1", true},
		{"foo-1.0.tar.bz2", "", "", "", false},
		{"foo.tar.gz", "", "", "", false},
		{"foo-bar.tar.gz", "", "", "", false},
		{"-1.0.tar.gz", "", "", "", false},
		{"python-dateutil-2.8.2.tar.gz", "python_dateutil", "python-dateutil", "2.8.2", true},
		{"foo-1.0-1.tar.gz", "foo", "foo", "1.0.post1", true},
		{"Foo.Bar-2.0.zip", "foo-bar", "Foo.Bar", "2.0", true},
		{"foo-bar-1.0.tar.gz", "foo", "", "", false},
		{"foo-1.0.tar.gz", "bar", "", "", false},
		{"foo-1.0-x.tar.gz", "foo", "", "", false},
	}
	for _, tt := range tests {
		var s SdistName
		var err error
		if tt.project == "" {
			s, err = ParseSdistName(tt.in)
		} else {
			s, err = ParseSdistNameFor(tt.in, tt.project)
		}
		if (err == nil) != tt.ok {
			t.Errorf("parse %q (project %q): err = %v, want ok %v", tt.in, tt.project, err, tt.ok)
			continue
		}
		if err != nil {
			var ne *NameError
			if !errors.As(err, &ne) || ne.Kind != "sdist" {
				t.Errorf("parse %q: error %v is not an sdist *NameError", tt.in, err)
			}
			continue
		}
		if s.Name != tt.name || s.Version.String() != tt.version {
			t.Errorf("parse %q (project %q) = %q %q, want %q %q", tt.in, tt.project, s.Name, s.Version, tt.name, tt.version)
		}
	}
	if n := (SdistName{Name: "Foo.Bar"}).NormalizedName(); n != "foo-bar" {
		t.Errorf("NormalizedName = %q", n)
	}
}

func FuzzParseWheelName(f *testing.F) {
	for _, s := range []string{"requests-2.31.0-py3-none-any.whl", "foo-1.0-1-py2.py3-none-any.whl", "a-b-c-d-e-f-g.whl", "x.whl"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWheelName(s)
		if err != nil {
			return
		}
		if len(w.Tags) == 0 || w.Name == "" || strings.Contains(w.Name, "-") {
			t.Errorf("ParseWheelName(%q) = %+v", s, w)
		}
		for _, tag := range w.Tags {
			again := w.Name + "-" + w.Version.String() + "-" + tag.String() + ".whl"
			a, err := ParseWheelName(again)
			if err != nil || a.Name != w.Name || !a.Version.Equal(w.Version) || len(a.Tags) != 1 || a.Tags[0] != tag {
				t.Fatalf("ParseWheelName(%q) = %+v, %v; from %q", again, a, err, s)
			}
		}
	})
}

func FuzzParseSdistName(f *testing.F) {
	for _, s := range []string{"requests-2.31.0.tar.gz", "python-dateutil-2.8.2.zip", "foo-1.0-1.tar.gz", ".tar.gz"} {
		f.Add(s, "python-dateutil")
	}
	f.Fuzz(func(t *testing.T, s, project string) {
		if n, err := ParseSdistName(s); err == nil && n.Name == "" {
			t.Errorf("ParseSdistName(%q) gave an empty name", s)
		}
		if n, err := ParseSdistNameFor(s, project); err == nil && n.NormalizedName() != pep508.NormalizeName(project) {
			t.Errorf("ParseSdistNameFor(%q, %q) = %q", s, project, n.Name)
		}
	})
}
