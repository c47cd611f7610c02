package venv

import (
	"errors"
	"reflect"
	"testing"

	"github.com/pylock/pylock/pep440"
)

func TestParseRecord(t *testing.T) {
	tests := []struct {
		in      string
		want    []RecordEntry
		wantErr bool
	}{
		{"a.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\nx.dist-info/RECORD,,\n",
			[]RecordEntry{{"a.py", "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", 0}, {"x.dist-info/RECORD", "", -1}}, false},
		{"\"a,b.py\",,\n", []RecordEntry{{"a,b.py", "", -1}}, false},
		{"a.py,md5=abc,1\n", nil, true},
		{"a.py,sha256=short,1\n", nil, true},
		{"a.py,,x\n", nil, true},
		{"a.py,,-1\n", nil, true},
		{"a.py\n", nil, true},
		{",,\n", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseRecord([]byte(tt.in))
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseRecord(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		var re *RecordError
		if err != nil && !errors.As(err, &re) {
			t.Errorf("ParseRecord(%q) error type %T", tt.in, err)
		}
		if err == nil && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseRecord(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestRecordRoundTrip(t *testing.T) {
	in := []RecordEntry{{"a,b.py", recordHash([]byte("x")), 1}, {"../../../bin/x", "", -1}}
	got, err := ParseRecord(formatRecord(in))
	if err != nil || !reflect.DeepEqual(got, in) {
		t.Fatalf("round trip = %v, %v", got, err)
	}
}

func TestParseWheelFile(t *testing.T) {
	tests := []struct {
		in      string
		want    WheelFile
		wantErr bool
	}{
		{"Wheel-Version: 1.0\nGenerator: x 1\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
			WheelFile{Version: "1.0", Generator: "x 1", RootIsPurelib: true, Tags: []string{"py3-none-any"}}, false},
		{"Wheel-Version: 1.9\r\nRoot-Is-Purelib: false\r\n", WheelFile{Version: "1.9"}, false},
		{"Wheel-Version: 2.0\n", WheelFile{}, true},
		{"Root-Is-Purelib: true\n", WheelFile{}, true},
		{"Wheel-Version 1.0\n", WheelFile{}, true},
	}
	for _, tt := range tests {
		got, err := ParseWheelFile([]byte(tt.in))
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseWheelFile(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseWheelFile(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseEntryPoints(t *testing.T) {
	tests := []struct {
		in      string
		want    []EntryPoint
		wantErr bool
	}{
		{"[console_scripts]\nhello = pkg.cli:main\n# c\n\n[gui_scripts]\ng=pkg:app.run [gui, x]\n",
			[]EntryPoint{
				{Group: "console_scripts", Name: "hello", Module: "pkg.cli", Attr: "main"},
				{Group: "gui_scripts", Name: "g", Module: "pkg", Attr: "app.run", Extras: []string{"gui", "x"}},
			}, false},
		{"[x]\nmod = pkg.mod\n", []EntryPoint{{Group: "x", Name: "mod", Module: "pkg.mod"}}, false},
		{"hello = a:b\n", nil, true},
		{"[console_scripts]\nhello = a:b; import os\n", nil, true},
		{"[console_scripts]\nhello = 1a:b\n", nil, true},
		{"[console_scripts]\nhello = a:b [x\n", nil, true},
		{"[console_scripts\n", nil, true},
		{"[console_scripts]\n= a:b\n", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseEntryPoints([]byte(tt.in))
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseEntryPoints(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseEntryPoints(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseCfg(t *testing.T) {
	got, err := ParseCfg([]byte("home = /usr/bin\n# c\nInclude-System-Site-Packages=false\nversion = 3.11.7\n"))
	want := map[string]string{"home": "/usr/bin", "include-system-site-packages": "false", "version": "3.11.7"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseCfg = %v, %v", got, err)
	}
	if _, err := ParseCfg([]byte("home\n")); err == nil {
		t.Error("ParseCfg accepted a line without '='")
	}
}

func TestRewriteShebang(t *testing.T) {
	tests := []struct{ in, python, want string }{
		{"#!python\nprint(1)\n", "/v/bin/python", "#!/v/bin/python\nprint(1)\n"},
		{"#!pythonw -u\r\nx\n", "/v/bin/python", "#!/v/bin/python -u\nx\n"},
		{"#!/bin/sh\necho\n", "/v/bin/python", "#!/bin/sh\necho\n"},
		{"#!python\n", "/a b/bin/python", "#!/bin/sh\n'''exec' '/a b/bin/python' \"$0\" \"$@\"\n' '''\n"},
	}
	for _, tt := range tests {
		got, _ := rewriteShebang([]byte(tt.in), tt.python)
		if string(got) != tt.want {
			t.Errorf("rewriteShebang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseRecord(f *testing.F) {
	f.Add([]byte("a.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\nx.dist-info/RECORD,,\n"))
	f.Add([]byte("\"a\"\"b\",,\n"))
	f.Add([]byte("a,b\n"))
	f.Add([]byte("\""))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ParseRecord(data)
		if err != nil {
			return
		}
		again, err := ParseRecord(formatRecord(entries))
		if err != nil || len(again) != len(entries) {
			t.Fatalf("reformatted RECORD does not parse back: %v", err)
		}
	})
}

func FuzzParseWheelFile(f *testing.F) {
	f.Add([]byte("Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
	f.Add([]byte("Wheel-Version: 2.0\n"))
	f.Add([]byte(":\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := ParseWheelFile(data)
		if err == nil && w.Version == "" {
			t.Fatal("accepted a WHEEL file without Wheel-Version")
		}
	})
}

func FuzzParseEntryPoints(f *testing.F) {
	f.Add([]byte("[console_scripts]\nhello = pkg.cli:main [x]\n"))
	f.Add([]byte("[a]\nb=c\n;x\n"))
	f.Add([]byte("[]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		eps, err := ParseEntryPoints(data)
		if err != nil {
			return
		}
		for _, ep := range eps {
			if !dottedName().MatchString(ep.Module) || ep.Attr != "" && !dottedName().MatchString(ep.Attr) {
				t.Fatalf("accepted unsafe reference %+v", ep)
			}
		}
	})
}

func FuzzParseCfg(f *testing.F) {
	f.Add([]byte("home = /usr/bin\nversion = 3.11.7\n"))
	f.Add([]byte("# c\n=x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseCfg(data)
		if err == nil && cfg == nil {
			t.Fatal("nil map without error")
		}
	})
}

func TestRefuseName(t *testing.T) {
	tests := []struct {
		requires, name string
		refused        bool
	}{
		{">=3.9", "python3.8", true},
		{">=3.9", "python3.9", false},
		{">=3.11.5", "python3.11", false},
		{"<3.11", "python3.11", true},
		{"==3.14.0rc2", "python3.14", false},
		{"", "python3.1", false},
		{">=99", "python3", false},
		{">=99", "pypy3.10", false},
	}
	for _, tt := range tests {
		req, err := pep440.ParseSpecifierSet(tt.requires)
		if err != nil {
			t.Fatal(err)
		}
		f := &finder{requires: req}
		if got := f.refuseName(tt.name) != ""; got != tt.refused {
			t.Errorf("requires %q, refuseName(%q) = %v, want %v", tt.requires, tt.name, got, tt.refused)
		}
	}
}

func TestHints(t *testing.T) {
	if got := versionNames("3.11"); !reflect.DeepEqual(got, []string{"python3.11", "python3", "python"}) {
		t.Errorf("versionNames = %v", got)
	}
	for s, want := range map[string]bool{"3": true, "3.11": true, "3.11.7": true, "3.": false, "python3": false, "1.2.3.4": false} {
		if isVersionHint(s) != want {
			t.Errorf("isVersionHint(%q) != %v", s, want)
		}
	}
	for _, tt := range []struct {
		release []int
		prefix  string
		want    bool
	}{{[]int{3, 11, 7}, "3.11", true}, {[]int{3, 11, 7}, "3.1", false}, {[]int{3, 1}, "3.1.2", false}} {
		if got := releaseHasPrefix(tt.release, tt.prefix); got != tt.want {
			t.Errorf("releaseHasPrefix(%v, %q) = %v", tt.release, tt.prefix, got)
		}
	}
}
