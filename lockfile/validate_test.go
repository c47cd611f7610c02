package lockfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// validLock is a consistent lock the cases of TestValidate break one way each.
const validLock = head + `extras = ["cli"]
dependency-groups = ["dev"]
default-groups = ["default"]

[[packages]]
name = "app"
version = "1.0"
dependencies = [{ name = "idna", version = "3.7" }]
sdist = { url = "https://x/app-1.0.tar.gz", hashes = { sha256 = "` + hashA + `" } }

[[packages]]
name = "click"
version = "8.1"
marker = "'cli' in extras or 'default' in dependency_groups"
wheels = [{ url = "https://x/click-8.1-py3-none-any.whl", hashes = { sha256 = "` + hashB + `" } }]

[[packages]]
name = "idna"
version = "3.7"
marker = "'dev' in dependency_groups"
` + idnaWheels + `
`

// idnaWheels is the last line of validLock.
const idnaWheels = `wheels = [{ url = "https://x/idna-3.7-py3-none-any.whl", hashes = { sha256 = "` + hashC + `" } }]`

func TestValidate(t *testing.T) {
	tests := []struct {
		name       string
		old, new   string // validLock with old replaced by new
		line       int
		kind       IntegrityKind
		pkg, field string
		msg        string
	}{
		{"sdist of another version", "app-1.0.tar.gz", "app-0.9.tar.gz", 11, Inconsistent, "app", "sdist.name", `sdist "app-0.9.tar.gz" is for version 0.9, not 1.0`},
		{"sdist of another project", "app-1.0.tar.gz", "other-1.0.tar.gz", 11, Inconsistent, "app", "sdist.name", `sdist "other-1.0.tar.gz" is not a source distribution of "app"`},
		{"duplicate entry", idnaWheels, idnaWheels + "\n[[packages]]\nname = \"idna\"\nversion = \"3.7\"\n" + idnaWheels, 25, Inconsistent, "idna", "name", "two entries for idna 3.7"},
		{"dependency on nothing", `{ name = "idna", version = "3.7" }`, `{ name = "idna", version = "3.6" }`, 10, Dangling, "app", "dependencies[0]", "depends on idna 3.6, which has no entry"},
		{"marker names an unknown extra", "'cli' in extras", "'socks' in extras", 16, Dangling, "click", "marker", `marker names extras "socks"`},
		{"marker names an unknown group", "'dev' in dependency_groups", "'test' in dependency_groups", 22, Dangling, "idna", "marker", `marker names dependency_groups "test"`},
		{"missing hashes", `, hashes = { sha256 = "` + hashB + `" }`, "", 17, Unhashed, "click", "wheels[0].hashes", "click-8.1-py3-none-any.whl has no hash"},
		{"empty hashes", `hashes = { sha256 = "` + hashA + `" }`, "hashes = {}", 11, Unhashed, "app", "sdist.hashes", "app-1.0.tar.gz has no hash"},
		{"no sha256", `sha256 = "` + hashC + `"`, `md5 = "0123456789abcdef0123456789abcdef"`, 23, Unhashed, "idna", "wheels[0].hashes", "has no sha256 hash"},
		{"no version", "version = \"8.1\"\n", "", 13, Missing, "click", "version", "needs its version"},
		{"no source", "wheels = [{ url = \"https://x/click-8.1-py3-none-any.whl\", hashes = { sha256 = \"" + hashB + "\" } }]\n", "", 13, Missing, "click", "wheels", "no source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.Replace(validLock, tt.old, tt.new, 1)
			if data == validLock {
				t.Fatalf("%q is not in the lock", tt.old)
			}
			errs := validateText(t, data)
			if len(errs) != 1 {
				t.Fatalf("got %d problems, want 1: %v", len(errs), errs)
			}
			e := errs[0]
			if e.Kind != tt.kind || e.Package != tt.pkg || e.Field != tt.field || e.Line != tt.line || !strings.Contains(e.Error(), tt.msg) {
				t.Errorf("got %v (kind %s, package %q, field %q, line %d)\nwant kind %s, package %q, field %q, line %d, message with %q",
					e, e.Kind, e.Package, e.Field, e.Line, tt.kind, tt.pkg, tt.field, tt.line, tt.msg)
			}
		})
	}
}

func TestValidateConsistent(t *testing.T) {
	if errs := validateText(t, validLock); errs != nil {
		t.Fatalf("a consistent lock has problems: %v", errs)
	}
}

func TestValidateFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := ValidateFile(filepath.Join(dir, "pylock.toml")); err == nil {
		t.Error("a missing file validated")
	}
	path := filepath.Join(dir, "pylock.toml")
	if err := os.WriteFile(path, []byte("lock-version = \"2.0\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ValidateFile(path); err == nil {
		t.Error("a file that does not parse validated")
	}
}

func TestIntegrityErrorFormat(t *testing.T) {
	e := &IntegrityError{File: "pylock.toml", Line: 7, Package: "idna", Version: "3.7", Field: "sdist.name", Msg: "m"}
	if got, want := e.Error(), "pylock.toml:7: package idna 3.7: sdist.name: m"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	bare := &IntegrityError{Package: "idna", Msg: "m"}
	if got, want := bare.Error(), "package idna: m"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for k, want := range map[IntegrityKind]string{Unhashed: "unhashed", Inconsistent: "inconsistent", Dangling: "dangling", Missing: "missing", 0: "kind(0)"} {
		if k.String() != want {
			t.Errorf("kind %d is %q, want %q", int(k), k, want)
		}
	}
}

// validateText writes data as a lock file and validates it.
func validateText(t *testing.T, data string) []*IntegrityError {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pylock.toml")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, err := ValidateFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

// FuzzValidate checks that validating any lock that parses neither panics
// nor reports a problem without its package, message, or a line in the file.
func FuzzValidate(f *testing.F) {
	f.Add([]byte(validLock))
	f.Add(sample().Format())
	f.Add([]byte(strings.Replace(validLock, idnaWheels, idnaWheels+"\n[[packages]]\nname = \"idna\"\nversion = \"3.7\"\n", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, errs, err := validateData("pylock.toml", data)
		if err != nil {
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, e := range errs {
			if e.Package == "" || e.Msg == "" || e.Field == "" || e.Line < 0 || e.Line > lines {
				t.Fatalf("incomplete problem %+v in:\n%s", e, data)
			}
		}
	})
}
