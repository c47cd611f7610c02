package lockfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// IntegrityKind classifies an IntegrityError.
type IntegrityKind int

// The kinds of integrity problem Validate finds.
const (
	// Unhashed: a file (sdist, wheel or archive) without a sha256 hash, the
	// digest pylock checks every download against.
	Unhashed IntegrityKind = iota + 1
	// Inconsistent: entries that contradict each other, such as an sdist
	// whose file name has another version than its package, or two entries
	// for one name and version.
	Inconsistent
	// Dangling: a dependency or marker that refers to nothing the lock
	// has.
	Dangling
	// Missing: a package without a field an install needs (a version for
	// files from an index, or any source at all).
	Missing
)

// String names the kind in lowercase.
func (k IntegrityKind) String() string {
	switch k {
	case Unhashed:
		return "unhashed"
	case Inconsistent:
		return "inconsistent"
	case Dangling:
		return "dangling"
	case Missing:
		return "missing"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// IntegrityError is a lock file that parses but cannot be trusted as it
// is: its entries contradict each other or leave out what an install needs.
type IntegrityError struct {
	File    string // the lock file's name, when known
	Line    int    // 1-based; 0 when unknown
	Package string // the package entry's name
	Version string // the package entry's version, "" when absent
	Field   string // the offending key in the entry, e.g. "sdist.name" or "dependencies[0]"
	Value   string // the offending value, "" when the field is absent
	Kind    IntegrityKind
	Msg     string // lowercase description
	// nth is which entry of Package and Version is meant (0 = the first),
	// to locate the second of two duplicates.
	nth int
}

// Error formats e as "file:line: package name version: field: msg".
func (e *IntegrityError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	b.WriteString("package " + strings.TrimSpace(e.Package+" "+e.Version) + ": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Validate checks what Parse cannot check one entry at a time: that the
// entries agree with each other and hold what an install needs. It returns
// every problem found, in package order, or nil. Parse's own checks (a
// wheel's file name against its package, hashes that are hexadecimal of
// the right length, required keys) are not repeated.
func (f *File) Validate() []*IntegrityError {
	var errs []*IntegrityError
	seen, entries := map[string]int{}, f.entries()
	for i := range f.Packages {
		p := &f.Packages[i]
		key := p.Name + " " + p.Version
		errs = append(errs, validatePackage(f, entries, p, seen[key])...)
		if seen[key]++; seen[key] == 2 {
			errs = append(errs, pkgError(p, seen[key]-1, Inconsistent, "name", p.Name,
				"two entries for %s %s: a lock has one entry per name and version", p.Name, p.Version))
		}
	}
	return errs
}

// validatePackage checks one entry, the nth of its name and version.
func validatePackage(f *File, entries map[string]bool, p *Package, nth int) []*IntegrityError {
	var errs []*IntegrityError
	add := func(kind IntegrityKind, field, value, format string, args ...any) {
		errs = append(errs, pkgError(p, nth, kind, field, value, format, args...))
	}
	hasFiles := p.Sdist != nil || len(p.Wheels) > 0
	switch {
	case !hasFiles && p.VCS == nil && p.Directory == nil && p.Archive == nil:
		add(Missing, "wheels", "", "no source: one of vcs, directory, archive, sdist or wheels is required")
	case hasFiles && p.Version == "":
		add(Missing, "version", "", "a package with an sdist or wheels needs its version")
	}
	if p.Sdist != nil {
		if msg := sdistMismatch(p); msg != "" {
			add(Inconsistent, "sdist.name", p.Sdist.Name, "%s", msg)
		}
		checkHashed(add, "sdist", p.Sdist.Name, p.Sdist.Hashes)
	}
	for i, w := range p.Wheels {
		field := "wheels[" + strconv.Itoa(i) + "]"
		checkHashed(add, field, w.Name, w.Hashes)
	}
	if p.Archive != nil {
		checkHashed(add, "archive", p.Archive.URL+p.Archive.Path, p.Archive.Hashes)
	}
	for i, d := range p.Dependencies {
		if !entries[entryKey(d.Name, d.Version)] {
			add(Dangling, "dependencies["+strconv.Itoa(i)+"]", d.Name,
				"depends on %s, which has no entry in the lock", strings.TrimSpace(d.Name+" "+d.Version))
		}
	}
	for _, ref := range selectionRefs(p.Marker) {
		if known := f.selectable(ref.variable); !contains(known, ref.name) {
			add(Dangling, "marker", ref.name, "marker names %s %q, which the lock's %s do not list",
				ref.variable, ref.name, selectableKeys[ref.variable])
		}
	}
	return errs
}

func pkgError(p *Package, nth int, kind IntegrityKind, field, value, format string, args ...any) *IntegrityError {
	return &IntegrityError{Package: p.Name, Version: p.Version, Field: field, Value: value, Kind: kind,
		Msg: fmt.Sprintf(format, args...), nth: nth}
}

// checkHashed reports a file without a sha256 hash.
func checkHashed(add func(IntegrityKind, string, string, string, ...any), field, name string, hashes map[string]string) {
	if hashes["sha256"] != "" {
		return
	}
	if len(hashes) == 0 {
		add(Unhashed, field+".hashes", name, "%s has no hash, so a download cannot be checked", name)
		return
	}
	add(Unhashed, field+".hashes", name, "%s has no sha256 hash, the digest pylock checks downloads against", name)
}

// wheelMismatch says how the wheel file name disagrees with its package's
// name or version, or returns "" when it agrees.
func wheelMismatch(p *Package, want *pep440.Version, name string) string {
	wn, err := dist.ParseWheelName(name)
	if err != nil {
		return fmt.Sprintf("invalid wheel file name %q", name)
	}
	if n := pep508.NormalizeName(wn.Name); n != p.Name {
		return fmt.Sprintf("wheel %q is for package %q, not %q", name, n, p.Name)
	}
	return versionMismatch("wheel", name, wn.Version, want, p.Version)
}

// sdistMismatch says how the sdist file name disagrees with its package's
// name or version, or returns "" when it agrees.
func sdistMismatch(p *Package) string {
	sn, err := dist.ParseSdistNameFor(p.Sdist.Name, p.Name)
	if err != nil {
		return fmt.Sprintf("sdist %q is not a source distribution of %q", p.Sdist.Name, p.Name)
	}
	return versionMismatch("sdist", p.Sdist.Name, sn.Version, packageVersion(p), p.Version)
}

// versionMismatch says that the file is for another version than want
// (written wantText in the lock), or returns "" when it is not or want is
// nil.
func versionMismatch(kind, name string, got pep440.Version, want *pep440.Version, wantText string) string {
	if want == nil || got.Equal(*want) {
		return ""
	}
	return fmt.Sprintf("%s %q is for version %s, not %s", kind, name, got, wantText)
}

// packageVersion is p's version, parsed once to check its files' names
// against: nil when p has none or it does not parse (which Parse reports).
func packageVersion(p *Package) *pep440.Version {
	v, err := pep440.Parse(p.Version)
	if p.Version == "" || err != nil {
		return nil
	}
	return &v
}

// entries is the set of the lock's entries, each under entryKey(name, "")
// and entryKey(name, version), so that checking every dependency of a
// large lock stays linear (a scan per dependency made check quadratic:
// a fifth of its time on a lock of 657 packages).
func (f *File) entries() map[string]bool {
	set := make(map[string]bool, 2*len(f.Packages))
	for _, p := range f.Packages {
		set[entryKey(p.Name, "")], set[entryKey(p.Name, p.Version)] = true, true
	}
	return set
}

// entryKey is the key of name (and version, when it is not "") in entries.
func entryKey(name, version string) string {
	if version == "" {
		return name
	}
	return name + " " + version
}

// selectable returns the names the lock lists for a selection variable:
// its extras, or its dependency groups and (synthetic, in PEP 751's words)
// default groups.
func (f *File) selectable(variable string) []string {
	if variable == "extras" {
		return f.Extras
	}
	return append(append([]string{}, f.DependencyGroups...), f.DefaultGroups...)
}

// selectableKeys names the top-level keys that list the values of each
// selection variable.
var selectableKeys = map[string]string{"extras": "extras", "dependency_groups": "dependency-groups and default-groups"}

// selectionRef is a value a marker compares a selection variable with.
type selectionRef struct {
	variable string // "extras" or "dependency_groups"
	name     string
}

// selectionRefs lists the extras and groups a marker refers to (with
// `"name" in extras` or `"name" not in dependency_groups`), extras first.
func selectionRefs(marker string) []selectionRef {
	if marker == "" {
		return nil
	}
	m, err := pep508.ParseMarker(marker)
	if err != nil {
		return nil
	}
	extras, groups := m.SelectionNames()
	var refs []selectionRef
	for _, name := range extras {
		refs = append(refs, selectionRef{variable: "extras", name: name})
	}
	for _, name := range groups {
		refs = append(refs, selectionRef{variable: "dependency_groups", name: name})
	}
	return refs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ValidateFile reads, parses and validates the lock file at path. A file
// that cannot be read or parsed is an error (an *Error); the integrity
// problems of one that parses are returned with their lines.
func ValidateFile(path string) (*File, []*IntegrityError, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, &Error{File: path, Msg: "cannot read lock file", Err: err}
	}
	return validateData(path, data)
}

// validateData is ValidateFile of the contents data of the file at path.
func validateData(path string, data []byte) (*File, []*IntegrityError, error) {
	f, err := Parse(filepath.Base(path), data)
	if err != nil {
		return nil, nil, err
	}
	errs := f.Validate()
	for _, e := range errs {
		e.File = path
		e.Line = locateIntegrity(data, e)
	}
	return f, errs, nil
}

// locateIntegrity finds the line of an integrity problem: in the entry it
// names, the line holding its value, else its key, else the entry's header.
func locateIntegrity(data []byte, e *IntegrityError) int {
	lines := strings.Split(string(data), "\n")
	nth := e.nth
	for pkg := 0; ; pkg++ {
		start, end := region(lines, pkg)
		if start < 0 {
			return 0
		}
		if entryIs(lines[start:end], e.Package, e.Version) {
			if nth == 0 {
				key, _, _ := strings.Cut(e.Field, "[")
				return locate(data, &fieldError{pkg: pkg, key: key, value: quoteValue(e.Value)})
			}
			nth--
		}
	}
}

// quoteValue is how a value appears in the file, or "" for none.
func quoteValue(v string) string {
	if v == "" {
		return ""
	}
	return strconv.Quote(v)
}

// entryIs reports whether the lines of a [[packages]] entry are those of
// name and version.
func entryIs(lines []string, name, version string) bool {
	var gotName, gotVersion string
	for _, l := range lines {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		val, err := strconv.Unquote(strings.TrimSpace(v))
		if err != nil {
			continue
		}
		switch strings.TrimSpace(k) {
		case "name":
			if gotName == "" {
				gotName = val
			}
		case "version":
			if gotVersion == "" {
				gotVersion = val
			}
		}
	}
	return gotName == name && gotVersion == version
}
