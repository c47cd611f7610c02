package project

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// A project that has no pylock.toml yet but another tool's lock gets a first
// lock that keeps the versions pinned there: they become the resolver's
// preferences, as a previous pylock.toml's would be.

// migrationLocks are the other tools' lock files, in the order they are
// looked for; the first one found is read. Pinned requirements*.txt files
// come after them.
var migrationLocks = []string{"poetry.lock", "pdm.lock", "uv.lock"}

// requirementsGlob names the pip-tools style files read when no lock exists.
const requirementsGlob = "requirements*.txt"

// pin is one version another tool's file pinned.
type pin struct {
	name    string // normalized
	version pep440.Version
}

// migration is what a first lock starts from: the files read and the
// versions they pin.
type migration struct {
	files []string // base names, in the order read
	pins  []pin
}

// MigrationError reports a lock or requirements file that cannot be read.
type MigrationError struct {
	File   string
	Line   int // 1-based; 0 when unknown
	Reason string
	Err    error
}

func (e *MigrationError) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return fmt.Sprintf("%s: %s (fix or remove the file to lock without it)", where, e.Reason)
}

// Unwrap returns the underlying error.
func (e *MigrationError) Unwrap() error { return e.Err }

// startingLock is the lock a Lock starts from: pylock.toml when it exists;
// else, unless upgrade is set, the pins of another tool's lock file, whose
// migration is returned as well to be explained once resolved.
func (p *Project) startingLock(upgrade bool) (*lockfile.File, *migration, error) {
	if _, err := os.Stat(p.LockPath()); !errors.Is(err, fs.ErrNotExist) || upgrade {
		return p.previousLock(), nil, nil
	}
	m, err := p.findMigration()
	if err != nil || m == nil {
		return &lockfile.File{}, nil, err
	}
	p.log(0, "No %s yet: preferring the %d versions pinned in %s", LockName, len(m.pins), strings.Join(m.files, ", "))
	return m.lock(), m, nil
}

// findMigration reads the first migration source the project has; nil when
// it has none.
func (p *Project) findMigration() (*migration, error) {
	for _, name := range migrationLocks {
		data, err := os.ReadFile(filepath.Join(p.dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, &MigrationError{File: name, Reason: "cannot read it", Err: err}
		}
		pins, err := readTOMLLock(name, data)
		if err != nil {
			return nil, err
		}
		return &migration{files: []string{name}, pins: pins}, nil
	}
	return p.requirementsMigration()
}

// requirementsMigration reads the project's requirements*.txt files that
// pin at least one version; nil when none does.
func (p *Project) requirementsMigration() (*migration, error) {
	paths, err := filepath.Glob(filepath.Join(p.dir, requirementsGlob))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	m := &migration{}
	for _, path := range paths {
		name := filepath.Base(path)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, &MigrationError{File: name, Reason: "cannot read it", Err: err}
		}
		pins, err := readRequirementsPins(name, data)
		if err != nil {
			return nil, err
		}
		if len(pins) > 0 {
			m.files = append(m.files, name)
			m.pins = append(m.pins, pins...)
		}
	}
	if len(m.files) == 0 {
		return nil, nil
	}
	return m, nil
}

// lock presents the pins as a previous lock, for preferencesOf; of several
// versions of one package, the highest is preferred.
func (m *migration) lock() *lockfile.File {
	best := map[string]pep440.Version{}
	for _, pn := range m.pins {
		if v, ok := best[pn.name]; !ok || v.Compare(pn.version) < 0 {
			best[pn.name] = pn.version
		}
	}
	file := &lockfile.File{}
	for name, v := range best {
		file.Packages = append(file.Packages, lockfile.Package{Name: name, Version: v.String()})
	}
	sort.Slice(file.Packages, func(i, j int) bool { return file.Packages[i].Name < file.Packages[j].Name })
	return file
}

// tomlLock is what poetry.lock, pdm.lock and uv.lock share: a [[package]]
// array of tables with a name and a version, and a note of where each
// package came from.
type tomlLock struct {
	Package []struct {
		Name    string `toml:"name"`
		Version string `toml:"version"`
		// Source is Poetry's [package.source] (type = "legacy", "git",
		// "directory", ...) or uv's source = { registry = ... }.
		Source map[string]any `toml:"source"`
		// PDM marks packages not from an index with one of these.
		Git      string `toml:"git"`
		Path     string `toml:"path"`
		URL      string `toml:"url"`
		Editable bool   `toml:"editable"`
	} `toml:"package"`
}

// readTOMLLock reads the index packages a Poetry, PDM or uv lock pins;
// packages from a folder, a VCS or a URL (and uv's entry for the project
// itself) are skipped, since no index serves their version.
func readTOMLLock(name string, data []byte) ([]pin, error) {
	var lock tomlLock
	if err := toml.Unmarshal(data, &lock); err != nil {
		e := &MigrationError{File: name, Reason: "not a TOML lock file: " + err.Error(), Err: err}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			e.Line, _ = de.Position()
			e.Reason = "not a TOML lock file: " + de.Error()
		}
		return nil, e
	}
	var pins []pin
	for _, pkg := range lock.Package {
		if pkg.Git != "" || pkg.Path != "" || pkg.URL != "" || pkg.Editable || !fromIndex(pkg.Source) {
			continue
		}
		v, err := pep440.Parse(pkg.Version)
		if err != nil || pkg.Name == "" {
			return nil, &MigrationError{File: name, Reason: fmt.Sprintf("package %q has no valid version %q", pkg.Name, pkg.Version), Err: err}
		}
		pins = append(pins, pin{name: pep508.NormalizeName(pkg.Name), version: v})
	}
	return pins, nil
}

// fromIndex reports whether a package's source table names an index: no
// table, Poetry's type = "legacy", or uv's registry.
func fromIndex(source map[string]any) bool {
	if len(source) == 0 {
		return true
	}
	if kind, ok := source["type"]; ok {
		return kind == "legacy"
	}
	_, ok := source["registry"]
	return ok
}

// readRequirementsPins reads the name==version lines of a requirements
// file: comments, line continuations, --hash and other options, extras and
// markers are allowed; lines that pin nothing (name>=1, paths, URLs,
// -r/-e/--index-url options) are skipped.
func readRequirementsPins(name string, data []byte) ([]pin, error) {
	var pins []pin
	for _, line := range logicalLines(data) {
		text := requirementPart(line.text)
		if text == "" || strings.HasPrefix(text, "-") || looksLikePath(text) {
			continue
		}
		req, err := pep508.ParseRequirement(text)
		if err != nil {
			return nil, &MigrationError{File: name, Line: line.number, Reason: "not a requirement: " + err.Error(), Err: err}
		}
		if len(req.Specifier) != 1 || req.URL != "" {
			continue
		}
		spec := req.Specifier[0]
		if (spec.Op != "==" && spec.Op != "===") || strings.HasSuffix(spec.Version, ".*") {
			continue
		}
		v, err := pep440.Parse(spec.Version)
		if err != nil {
			continue
		}
		pins = append(pins, pin{name: pep508.NormalizeName(req.Name), version: v})
	}
	return pins, nil
}

// logicalLine is a requirements line with its continuations joined.
type logicalLine struct {
	number int // the line it starts on, 1-based
	text   string
}

// logicalLines splits a requirements file into lines, joining a line that
// ends with a backslash to the next, as pip does.
func logicalLines(data []byte) []logicalLine {
	var out []logicalLine
	var cur strings.Builder
	start := 0
	for i, raw := range strings.Split(string(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))), "\n") {
		if cur.Len() == 0 {
			start = i + 1
		}
		if strings.HasSuffix(raw, `\`) {
			cur.WriteString(strings.TrimSuffix(raw, `\`))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(raw)
		out = append(out, logicalLine{number: start, text: cur.String()})
		cur.Reset()
	}
	if cur.Len() > 0 {
		out = append(out, logicalLine{number: start, text: cur.String()})
	}
	return out
}

// requirementPart strips a line's comment (a # at its start or after
// whitespace) and its options (from the first " -" on, e.g. --hash=...).
func requirementPart(line string) string {
	fields := strings.Fields(line)
	for i, f := range fields {
		if strings.HasPrefix(f, "#") || (i > 0 && strings.HasPrefix(f, "-")) {
			fields = fields[:i]
			break
		}
	}
	return strings.Join(fields, " ")
}

// looksLikePath reports a requirement given as a path or URL, which pip
// accepts and which pins no index version.
func looksLikePath(text string) bool {
	return strings.HasPrefix(text, ".") || strings.HasPrefix(text, "/") ||
		(strings.Contains(text, "://") && !strings.Contains(text, "@"))
}
