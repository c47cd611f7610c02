// Package lockfile reads and writes PEP 751 lock files (pylock.toml).
//
// A lock file is TOML. Its top-level keys, in the order the specification
// lists them and Format writes them, are:
//
//	lock-version      = "1.0"                 required; major version must be 1
//	environments      = [marker, ...]         optional PEP 508 markers
//	requires-python   = specifier set         optional
//	extras            = [name, ...]           optional
//	dependency-groups = [name, ...]           optional
//	default-groups    = [name, ...]           optional
//	created-by        = "tool"                required
//	[[packages]]                              required (may be empty: packages = [])
//	[tool.*]                                  optional; [tool.pylock] is this tool's own
//
// Each [[packages]] entry holds, in order: name (normalized, required),
// version, marker, requires-python, dependencies (array of tables), one of
// vcs / directory / archive (a source tree or archive), or index with sdist
// and/or wheels (hashed files), attestation-identities (array of tables, each
// with a kind) and tool.
//
// The file name must be pylock.toml or pylock.<name>.toml (ValidFileName).
//
// Parse validates everything it reads and reports errors as *Error carrying
// the file name and line. Format writes a File deterministically: packages
// sorted by name, version and marker, wheels by file name, one wheel per line.
// For every File f that Parse returned, Parse(Format(f)) equals f and
// formatting again is byte-identical. Parse canonicalizes order, so a File
// built by hand round-trips exactly once it is in that order (see Sort).
package lockfile

import (
	"regexp"
	"sync"
	"time"
)

// FormatVersion is the version of the [tool.pylock] table this package writes.
const FormatVersion = 1

// LockVersion is the lock-version this package writes.
const LockVersion = "1.0"

// File is a parsed pylock.toml.
type File struct {
	LockVersion      string   // "1.0"
	CreatedBy        string   // "pylock"
	RequiresPython   string   // PEP 440 specifier set, "" if absent
	Environments     []string // PEP 508 markers; nil if absent
	Extras           []string // nil if absent, empty (non-nil) if written as []
	DependencyGroups []string // nil if absent, empty (non-nil) if written as []
	DefaultGroups    []string // nil if absent, empty (non-nil) if written as []
	Packages         []Package
	// Tool holds every [tool.*] table other than [tool.pylock], with values
	// as go-toml decodes them (string, int64, float64, bool, time.Time in
	// UTC, toml.LocalDate/LocalTime/LocalDateTime, []any, map[string]any).
	Tool   map[string]any
	Pylock ToolPylock // [tool.pylock]; the zero value is not written
}

// Package is one [[packages]] entry.
type Package struct {
	Name           string // normalized (PEP 503)
	Version        string // PEP 440, as written; "" if absent
	Marker         string // PEP 508 marker, as written; "" if absent
	RequiresPython string // PEP 440 specifier set; "" if absent
	Dependencies   []Dependency
	VCS            *VCS
	Directory      *Directory
	Archive        *Archive
	Index          string // simple-API base URL the files came from
	Sdist          *Sdist
	Wheels         []Wheel
	// AttestationIdentities are the [[packages.attestation-identities]]
	// tables, each with at least a string "kind"; values as in File.Tool.
	AttestationIdentities []map[string]any
	Tool                  map[string]any // [packages.tool]; values as in File.Tool
}

// Dependency identifies another [[packages]] entry that a package depends on.
// It is informational only (PEP 751 forbids installers from using it).
type Dependency struct {
	Name    string // normalized
	Version string // "" if absent
	// Keys holds any other identifying keys (marker, index, vcs, ...) as
	// decoded; nil if none.
	Keys map[string]any
}

// Wheel is one entry of packages.wheels.
type Wheel struct {
	Name       string    // file name; filled from URL or Path when absent
	URL        string    // one of URL and Path is set
	Path       string    // relative to the lock file's directory
	Size       int64     // bytes; 0 if unknown
	UploadTime time.Time // UTC; zero if unknown
	Hashes     map[string]string
}

// Sdist is packages.sdist.
type Sdist struct {
	Name       string // file name; filled from URL or Path when absent
	URL        string
	Path       string
	Size       int64
	UploadTime time.Time
	Hashes     map[string]string
}

// Archive is packages.archive: a direct reference to an archive file.
type Archive struct {
	URL          string
	Path         string
	Size         int64
	UploadTime   time.Time
	Hashes       map[string]string
	Subdirectory string
}

// VCS is packages.vcs: a source tree in a version control system.
type VCS struct {
	Type              string // "git", "hg", "bzr", "svn"
	URL               string
	Path              string
	RequestedRevision string
	CommitID          string // required
	Subdirectory      string
}

// Directory is packages.directory: a local source tree.
type Directory struct {
	Path         string // required
	Editable     bool
	Subdirectory string
}

// ToolPylock is the [tool.pylock] table: what `pylock check` needs to tell,
// without the network, whether the lock still matches its inputs. Empty
// slices and maps are the same as nil: Parse returns nil for them.
type ToolPylock struct {
	FormatVersion  int               // FormatVersion when written by this package; 0 = table absent
	RequiresPython string            // the project's requires-python at lock time
	IndexURLs      []string          // index URLs in priority order
	Environments   []string          // the project's environment markers at lock time, sorted
	Settings       map[string]string // resolver settings (e.g. "prereleases" = "allow"), by name
	Sections       []Section         // resolver inputs, sorted by label
}

// LabelDependencies is the Section label of [project] dependencies.
const LabelDependencies = "dependencies"

// ExtraLabel is the Section label of an optional-dependencies extra.
func ExtraLabel(extra string) string { return "optional-dependencies." + extra }

// GroupLabel is the Section label of a dependency group.
func GroupLabel(group string) string { return "dependency-groups." + group }

// Section is one group of resolver inputs as recorded at lock time.
type Section struct {
	// Label names the section: LabelDependencies, ExtraLabel(extra) or
	// GroupLabel(group).
	Label string
	// Requirements are the normalized PEP 508 requirement strings, sorted.
	Requirements []string
}

// IsZero reports whether t is the zero ToolPylock (and so is not written).
func (t ToolPylock) IsZero() bool {
	return t.FormatVersion == 0 && t.RequiresPython == "" && len(t.IndexURLs) == 0 && len(t.Environments) == 0 &&
		len(t.Settings) == 0 && len(t.Sections) == 0
}

var fileNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^pylock\.([^.]+\.)?toml$`) })

// ValidFileName reports whether base is a valid lock file name:
// "pylock.toml" or "pylock.<name>.toml".
func ValidFileName(base string) bool {
	return fileNameRE().MatchString(base)
}

// LockName returns the <name> of "pylock.<name>.toml", "" for "pylock.toml",
// and false for a name that is not a lock file name.
func LockName(base string) (string, bool) {
	m := fileNameRE().FindStringSubmatch(base)
	if m == nil {
		return "", false
	}
	if m[1] == "" {
		return "", true
	}
	return m[1][:len(m[1])-1], true
}
