package lockfile

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

const head = "lock-version = \"1.0\"\ncreated-by = \"t\"\n"

const wheelLine = `wheels = [{ url = "https://x/attrs-1.0-py3-none-any.whl", hashes = { sha256 = "` + hashA + `" } }]`

func TestParseValid(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input string
		check func(*File) bool
	}{
		{"empty packages", head + "packages = []\n", func(f *File) bool { return f.Packages == nil && f.Extras == nil }},
		{"explicit empty extras", head + "extras = []\npackages = []\n", func(f *File) bool { return f.Extras != nil && len(f.Extras) == 0 }},
		{"wheel name from url", head + "[[packages]]\nname = \"attrs\"\nversion = \"1.0\"\n" + wheelLine + "\n",
			func(f *File) bool { return f.Packages[0].Wheels[0].Name == "attrs-1.0-py3-none-any.whl" }},
		{"non-normal version", head + "[[packages]]\nname = \"attrs\"\nversion = \"1.0.0\"\n" + wheelLine + "\n",
			func(f *File) bool { return f.Packages[0].Version == "1.0.0" }},
		{"array of tables style", head + "[[packages]]\nname = \"attrs\"\n[[packages.wheels]]\nname = \"attrs-1.0-py3-none-any.whl\"\n" +
			"upload-time = 2025-01-25T13:30:10.5+02:00\nurl = \"u\"\nsize = 7\nhashes = {sha256 = '" + hashA + "'}\n" +
			"[[packages.attestation-identities]]\nkind = \"GitHub\"\n",
			func(f *File) bool {
				w := f.Packages[0].Wheels[0]
				return w.UploadTime.Equal(time.Date(2025, 1, 25, 11, 30, 10, 5e8, time.UTC)) && w.UploadTime.Location() == time.UTC && w.Size == 7
			}},
		{"sdist from path", head + "[[packages]]\nname = \"x\"\nsdist = { path = \"dist\\\\x-1.tar.gz\", hashes = { sha512 = \"" + strings.Repeat("ab", 64) + "\" } }\n",
			func(f *File) bool { return f.Packages[0].Sdist.Name == "x-1.tar.gz" }},
		{"later minor version ignores unknown keys", "lock-version = \"1.3\"\ncreated-by = \"t\"\nnew-key = 1\n[[packages]]\nname = \"x\"\nfuture = true\n",
			func(f *File) bool { return f.LockVersion == "1.3" && len(f.Packages) == 1 }},
		{"tool tables kept", head + "packages = []\n[tool.other]\nx = 1.0\ny = nan\nd = 1979-05-27\n[tool.other.sub]\nz = [{a = 1}]\n",
			func(f *File) bool {
				o := f.Tool["other"].(map[string]any)
				return o["x"] == 1.0 && math.IsNaN(o["y"].(float64)) && o["sub"].(map[string]any)["z"] != nil
			}},
		{"pylock tool table", head + "packages = []\n[tool.pylock]\nformat-version = 1\n[[tool.pylock.sections]]\nlabel = \"dependencies\"\nrequirements = [\"b\", \"a>=1\"]\n",
			func(f *File) bool {
				return f.Tool == nil && reflect.DeepEqual(f.Pylock.Sections, []Section{{Label: "dependencies", Requirements: []string{"a>=1", "b"}}})
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := mustParse(t, "pylock.toml", []byte(tc.input))
			if !tc.check(f) {
				t.Fatalf("unexpected result: %#v", f)
			}
			out := f.Format()
			g := mustParse(t, "pylock.toml", out)
			if !bytes.Equal(out, g.Format()) {
				t.Fatalf("not stable:\n%s", out)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	pkg := head + "\n[[packages]]\nname = \"ok\"\n\n[[packages]]\n" // second package header on line 7
	for _, tc := range []struct {
		name  string
		input string
		line  int
		key   string
		msg   string
	}{
		{"toml syntax", head + "packages = [\n", 3, "", "invalid toml"},
		{"duplicate key", head + "created-by = \"u\"\n", 3, "", "invalid toml"},
		{"no lock-version", "created-by = \"t\"\npackages = []\n", 0, "lock-version", "missing required key"},
		{"major version 2", "lock-version = \"2.0\"\ncreated-by = \"t\"\npackages = []\n", 1, "lock-version", "major version must be 1"},
		{"bad lock-version", "lock-version = \"one\"\n", 1, "lock-version", "invalid lock-version"},
		{"no created-by", "lock-version = \"1.0\"\npackages = []\n", 0, "created-by", "missing required key"},
		{"no packages", head, 0, "packages", "missing required key"},
		{"bad requires-python", head + "requires-python = \"=>3.9\"\npackages = []\n", 3, "requires-python", "invalid specifier set"},
		{"bad environment", head + "environments = [\"os_name ==\"]\npackages = []\n", 3, "environments", "invalid marker"},
		{"extras not normalized", head + "extras = [\"Foo_Bar\"]\npackages = []\n", 3, "extras", "not normalized"},
		{"unknown top key", head + "packages = []\nbogus = 1\n", 4, "bogus", "unknown key"},
		{"name not normalized", pkg + "name = \"Attrs\"\n", 8, "packages[1].name", "not normalized"},
		{"no name", pkg + "version = \"1.0\"\n", 7, "packages[1].name", "missing required key"},
		{"bad version", pkg + "name = \"x\"\nversion = \"1.0foo\"\n", 9, "packages[1].version", "invalid version"},
		{"bad marker", pkg + "name = \"x\"\nmarker = \"python_version\"\n", 9, "packages[1].marker", "invalid marker"},
		{"version not string", pkg + "name = \"x\"\nversion = 1\n", 9, "packages[1].version", "expected a string"},
		{"short sha256", pkg + "name = \"x\"\nsdist = { url = \"u/x-1.tar.gz\", hashes = { sha256 = \"abc\" } }\n", 9, "packages[1].sdist.hashes.sha256", "want 64"},
		{"wheel for other package", pkg + "name = \"x\"\n" + wheelLine + "\n", 9, "packages[1].wheels[0].name", "is for package"},
		{"wheel for other version", pkg + "name = \"attrs\"\nversion = \"2.0\"\n" + wheelLine + "\n", 10, "packages[1].wheels[0].name", "is for version"},
		{"bad wheel name", pkg + "name = \"x\"\nwheels = [{ name = \"x.whl\", url = \"u\", hashes = { sha256 = \"" + hashA + "\" } }]\n", 9, "packages[1].wheels[0].name", "invalid wheel file name"},
		{"no url or path", pkg + "name = \"x\"\nsdist = { name = \"x-1.tar.gz\", hashes = { sha256 = \"" + hashA + "\" } }\n", 9, "packages[1].sdist.url", "one of url and path"},
		{"local upload-time", pkg + "name = \"x\"\nsdist = { url = \"u/x-1.tar.gz\", upload-time = 2025-01-01T00:00:00, hashes = { sha256 = \"" + hashA + "\" } }\n", 9, "packages[1].sdist.upload-time", "utc offset"},
		{"negative size", pkg + "name = \"x\"\nsdist = { url = \"u/x-1.tar.gz\", size = -1, hashes = { sha256 = \"" + hashA + "\" } }\n", 9, "packages[1].sdist.size", "negative size"},
		{"mixed sources", pkg + "name = \"x\"\ndirectory = { path = \".\" }\nsdist = { url = \"u/x-1.tar.gz\", hashes = { sha256 = \"" + hashA + "\" } }\n", 10, "packages[1].sdist", "mutually exclusive"},
		{"vcs without commit", pkg + "name = \"x\"\nvcs = { type = \"git\", url = \"u\" }\n", 9, "packages[1].vcs.commit-id", "missing required key"},
		{"unknown package key", pkg + "name = \"x\"\n\nwheel = []\n", 10, "packages[1].wheel", "unknown key"},
		{"attestation without kind", pkg + "name = \"x\"\n[[packages.attestation-identities]]\nrepository = \"r\"\n", 9, "packages[1].attestation-identities[0].kind", "missing required key"},
		{"dependency not normalized", pkg + "name = \"x\"\ndependencies = [{ name = \"Y\" }]\n", 9, "packages[1].dependencies[0].name", "not normalized"},
		{"bad pylock requirement", head + "packages = []\n\n[tool.pylock]\n[[tool.pylock.sections]]\nlabel = \"dependencies\"\nrequirements = [\"@@\"]\n", 8, "tool.pylock.sections[0].requirements", "invalid requirement"},
		{"pylock unknown key", head + "packages = []\n\n[tool.pylock]\nfoo = 1\n", 5, "tool.pylock.foo", "unknown key"},
		{"tool not a table", head + "packages = []\ntool = 3\n", 4, "tool", "expected a table"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("pylock.toml", []byte(tc.input))
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want *Error", err)
			}
			if le.File != "pylock.toml" || le.Line != tc.line || le.Key != tc.key || !strings.Contains(le.Error(), tc.msg) {
				t.Fatalf("got %q (line %d, key %q), want line %d key %q containing %q\ninput:\n%s",
					le.Error(), le.Line, le.Key, tc.line, tc.key, tc.msg, tc.input)
			}
			if le.Line > 0 && !strings.HasPrefix(le.Error(), "pylock.toml:") {
				t.Errorf("message lacks position: %q", le.Error())
			}
		})
	}
}
