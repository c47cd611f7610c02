package testindex

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// DescriptionError reports a problem in a project description file, naming
// the file and the line (0 when no single line is at fault).
type DescriptionError struct {
	File   string // path of the description file
	Line   int    // 1-based line, 0 if unknown
	Reason string
	Err    error // underlying TOML, version or requirement error, if any
}

func (e *DescriptionError) Error() string {
	msg := e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Line == 0 {
		return fmt.Sprintf("testindex: %s: %s", e.File, msg)
	}
	return fmt.Sprintf("testindex: %s:%d: %s", e.File, e.Line, msg)
}

// Unwrap returns the underlying error, if any.
func (e *DescriptionError) Unwrap() error { return e.Err }

// projectDesc is the TOML shape of one description file.
type projectDesc struct {
	Name    string        `toml:"name"`
	Summary string        `toml:"summary"`
	Module  string        `toml:"module"`
	Release []releaseDesc `toml:"release"`
}

// releaseDesc is the TOML shape of one [[release]] table.
type releaseDesc struct {
	Version        string              `toml:"version"`
	RequiresPython string              `toml:"requires-python"`
	RequiresDist   []string            `toml:"requires-dist"`
	Extras         map[string][]string `toml:"extras"`
	EntryPoints    map[string]string   `toml:"entry-points"`
	Yanked         any                 `toml:"yanked"`
	Files          []string            `toml:"files"`
	UploadTime     any                 `toml:"upload-time"`
	Module         string              `toml:"module"`
}

// defaultFiles are the files of a release that lists none.
var defaultFiles = []string{"py3-none-any", "sdist"}

// baseUploadTime is the upload time of the oldest release that gives none;
// each later release (in version order) gets one day more.
var baseUploadTime = time.Date(2023, 1, 1, 12, 0, 0, 0, time.UTC)

// LoadDir reads every *.toml file of dir (one project each), builds all
// their files, and returns the index. Errors are *DescriptionError values.
func LoadDir(dir string) (*Index, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.toml"))
	if err != nil {
		return nil, &DescriptionError{File: dir, Reason: "cannot list description files", Err: err}
	}
	if len(paths) == 0 {
		return nil, &DescriptionError{File: dir, Reason: "no *.toml description files"}
	}
	sort.Strings(paths)
	ix := &Index{byName: map[string]*Project{}, byFile: map[string]*File{}}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, &DescriptionError{File: path, Reason: "cannot read", Err: err}
		}
		p, err := parseProject(path, data)
		if err != nil {
			return nil, err
		}
		if err := ix.add(p); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

// parseProject decodes and validates one description file.
func parseProject(path string, data []byte) (*Project, error) {
	var desc projectDesc
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&desc); err != nil {
		return nil, tomlError(path, err)
	}
	return projectFromDesc(locator{path: path, lines: strings.Split(string(data), "\n")}, desc)
}

// projectFromDesc validates a decoded description; l finds the lines of
// offending values (it has none for in-memory specs).
func projectFromDesc(l locator, desc projectDesc) (*Project, error) {
	path := l.path
	name := desc.Name
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(path), ".toml")
	}
	if !pep508.ValidName(name) {
		return nil, l.errorf(name, "invalid project name %q", name)
	}
	if desc.Module != "" && !validModule(desc.Module) {
		return nil, l.errorf(desc.Module, "invalid module name %q", desc.Module)
	}
	p := &Project{Name: name, NormalizedName: pep508.NormalizeName(name), Summary: desc.Summary, Source: path}
	if len(desc.Release) == 0 {
		return nil, l.errorf("", "no [[release]] tables")
	}
	for i, rd := range desc.Release {
		r, err := parseRelease(l.release(i), rd, defaultModule(name, desc.Module))
		if err != nil {
			return nil, err
		}
		r.descIndex = i
		p.Releases = append(p.Releases, r)
	}
	slices.SortStableFunc(p.Releases, func(a, b *Release) int { return a.Version.Compare(b.Version) })
	for i := 1; i < len(p.Releases); i++ {
		if p.Releases[i].Version.Equal(p.Releases[i-1].Version) {
			r := p.Releases[i]
			return nil, l.release(r.descIndex).errorf("version", "version %s listed twice", r.Version)
		}
	}
	for i, r := range p.Releases {
		if r.UploadTime.IsZero() {
			r.UploadTime = baseUploadTime.AddDate(0, 0, i)
		}
	}
	return p, nil
}

func defaultModule(name, module string) string {
	if module != "" {
		return module
	}
	return strings.ReplaceAll(pep508.NormalizeName(name), "-", "_")
}

// parseRelease validates one [[release]] table.
func parseRelease(l locator, rd releaseDesc, module string) (*Release, error) {
	v, err := pep440.Parse(rd.Version)
	if err != nil || rd.Version == "" {
		return nil, l.wrap(rd.Version, fmt.Sprintf("invalid version %q", rd.Version), err)
	}
	r := &Release{Version: v, Module: module, RequiresPython: rd.RequiresPython}
	if rd.Module != "" {
		r.Module = rd.Module
	}
	if !validModule(r.Module) {
		return nil, l.errorf(r.Module, "invalid module name %q", r.Module)
	}
	if _, err := pep440.ParseSpecifierSet(rd.RequiresPython); err != nil {
		return nil, l.wrap(rd.RequiresPython, fmt.Sprintf("invalid requires-python %q", rd.RequiresPython), err)
	}
	if err := r.setRequirements(l, rd); err != nil {
		return nil, err
	}
	if err := r.setEntryPoints(l, rd.EntryPoints); err != nil {
		return nil, err
	}
	if err := r.setYanked(l, rd.Yanked); err != nil {
		return nil, err
	}
	if err := r.setUploadTime(l, rd.UploadTime); err != nil {
		return nil, err
	}
	files := rd.Files
	if files == nil {
		files = defaultFiles
	}
	return r, r.setFileKinds(l, files)
}

// setRequirements parses requires-dist and the extras tables into
// Requires-Dist lines, each extra's requirements marked with `extra == "x"`.
func (r *Release) setRequirements(l locator, rd releaseDesc) error {
	for _, s := range rd.RequiresDist {
		req, err := pep508.ParseRequirement(s)
		if err != nil {
			return l.wrap(s, fmt.Sprintf("invalid requirement %q", s), err)
		}
		r.RequiresDist = append(r.RequiresDist, req.String())
		r.baseReqs = append(r.baseReqs, req.String())
	}
	r.extraReqs = map[string][]string{}
	extras := make([]string, 0, len(rd.Extras))
	for e := range rd.Extras {
		extras = append(extras, e)
	}
	sort.Strings(extras)
	for _, e := range extras {
		if !pep508.ValidName(e) {
			return l.errorf(e, "invalid extra name %q", e)
		}
		r.ProvidesExtra = append(r.ProvidesExtra, e)
		for _, s := range rd.Extras[e] {
			line, plain, err := extraRequirement(s, e)
			if err != nil {
				return l.wrap(s, fmt.Sprintf("invalid requirement %q in extra %q", s, e), err)
			}
			r.RequiresDist = append(r.RequiresDist, line)
			r.extraReqs[e] = append(r.extraReqs[e], plain)
		}
	}
	return nil
}

// extraRequirement returns the Requires-Dist line of requirement s offered by
// extra e: s's own marker, if any, joined with `extra == "e"`; and s in
// normal form, as pyproject.toml's optional-dependencies list it.
func extraRequirement(s, e string) (line, plain string, err error) {
	req, err := pep508.ParseRequirement(s)
	if err != nil {
		return "", "", err
	}
	plain = req.String()
	extra := "extra == " + strconv.Quote(e)
	if req.Marker.IsTrue() {
		return plain + "; " + extra, plain, nil
	}
	marker := req.Marker.String()
	req.Marker = pep508.Marker{}
	return req.String() + "; (" + marker + ") and " + extra, plain, nil
}

func (r *Release) setEntryPoints(l locator, eps map[string]string) error {
	for script, target := range eps {
		mod, fn, ok := strings.Cut(target, ":")
		if script == "" || strings.ContainsAny(script, " =[]") || !ok || !validModule(mod) || !validModule(fn) {
			return l.errorf(target, "invalid entry point %q = %q (want \"module:function\")", script, target)
		}
		r.EntryPoints = append(r.EntryPoints, EntryPoint{Script: script, Target: target})
	}
	slices.SortFunc(r.EntryPoints, func(a, b EntryPoint) int { return strings.Compare(a.Script, b.Script) })
	return nil
}

func (r *Release) setYanked(l locator, y any) error {
	switch y := y.(type) {
	case nil:
	case bool:
		r.Yanked = y
	case string:
		r.Yanked, r.YankedReason = true, y
	default:
		return l.errorf("yanked", "yanked must be a boolean or a reason string, not %T", y)
	}
	return nil
}

func (r *Release) setUploadTime(l locator, t any) error {
	switch t := t.(type) {
	case nil:
	case time.Time:
		r.UploadTime = t.UTC()
	case toml.LocalDateTime:
		r.UploadTime = t.AsTime(time.UTC)
	case string:
		pt, err := time.Parse(time.RFC3339, t)
		if err != nil {
			return l.wrap(t, fmt.Sprintf("invalid upload-time %q", t), err)
		}
		r.UploadTime = pt.UTC()
	default:
		return l.errorf("upload-time", "upload-time must be a date-time, not %T", t)
	}
	return nil
}

// setFileKinds checks the files list: "sdist" or wheel tag triples.
func (r *Release) setFileKinds(l locator, files []string) error {
	if len(files) == 0 {
		return l.errorf("files", "files is empty")
	}
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f] {
			return l.errorf(f, "file %q listed twice", f)
		}
		seen[f] = true
		if f != "sdist" {
			if _, err := dist.ParseTag(f); err != nil {
				return l.wrap(f, fmt.Sprintf("invalid file %q (want \"sdist\" or a wheel tag)", f), err)
			}
		}
		r.fileKinds = append(r.fileKinds, f)
	}
	return nil
}

func validModule(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// tomlError converts a go-toml error into a *DescriptionError with its line.
func tomlError(path string, err error) error {
	var de *toml.DecodeError
	var se *toml.StrictMissingError
	switch {
	case errors.As(err, &se) && len(se.Errors) > 0:
		line, _ := se.Errors[0].Position()
		key := strings.Join(se.Errors[0].Key(), ".")
		return &DescriptionError{File: path, Line: line, Reason: fmt.Sprintf("unknown key %q", key)}
	case errors.As(err, &de):
		line, _ := de.Position()
		return &DescriptionError{File: path, Line: line, Reason: "invalid TOML", Err: err}
	}
	return &DescriptionError{File: path, Reason: "invalid TOML", Err: err}
}

// locator finds the line of an offending value in a description file: the
// first line at or after the start of the current [[release]] table that
// holds the value's text.
type locator struct {
	path  string
	lines []string
	from  int // 0-based line where the search starts
}

// release returns a locator that starts at the i-th [[release]] table.
func (l locator) release(i int) locator {
	n := -1
	for j, line := range l.lines {
		if strings.TrimSpace(line) == "[[release]]" {
			n++
			if n == i {
				l.from = j
				break
			}
		}
	}
	return l
}

// lineOf returns the 1-based line holding needle, or 0.
func (l locator) lineOf(needle string) int {
	if needle == "" {
		return 0
	}
	for j := l.from; j < len(l.lines); j++ {
		if strings.Contains(l.lines[j], needle) {
			return j + 1
		}
	}
	return 0
}

func (l locator) errorf(needle, format string, args ...any) error {
	return &DescriptionError{File: l.path, Line: l.lineOf(needle), Reason: fmt.Sprintf(format, args...)}
}

func (l locator) wrap(needle, reason string, err error) error {
	return &DescriptionError{File: l.path, Line: l.lineOf(needle), Reason: reason, Err: err}
}
