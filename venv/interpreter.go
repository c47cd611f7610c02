// Package venv finds Python interpreters, creates virtual environments (PEP 405)
// and installs wheels into them (PEP 427/491, with installed-project records per
// PEP 376/627). It is the only pylock package that starts python.
//
// An interpreter is queried once, by a small embedded script that prints one JSON
// object (version, implementation, marker values, sysconfig install scheme, libc
// versions); the PEP 508 marker environment and the PEP 425 supported tags are
// computed from that answer. A Finder with a cache folder keeps each answer on
// disk, keyed by the interpreter's path, resolved path, modification time and
// size and the script's text, so an unchanged interpreter is never run twice.
// Interpreters are looked for on PATH, then in pyenv's versions; pyenv shims are
// resolved to the interpreter pyenv would select.
//
// The layout of a virtual environment on POSIX systems:
//
//	<dir>/pyvenv.cfg                   home, include-system-site-packages, version, executable, pylock
//	<dir>/bin/python, python3, python3.Y   symlinks to the base interpreter
//	<dir>/bin/activate                 for bash and zsh
//	<dir>/bin/activate.fish            for fish
//	<dir>/bin/activate.csh             for csh and tcsh
//	<dir>/lib/python3.Y/site-packages  purelib and platlib
package venv

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

//go:embed query.py
var queryScript string

// Interpreter is a Python interpreter as its query described it.
type Interpreter struct {
	Path           string             // how it was found (a PATH entry or the path given)
	Executable     string             // sys.executable with symlinks resolved: the real binary
	Version        pep440.Version     // python_full_version
	Implementation string             // sys.implementation.name, e.g. "cpython"
	Prefix         string             // sys.prefix
	BasePrefix     string             // sys.base_prefix (differs from Prefix inside a virtualenv)
	Env            pep508.Environment // the 11 PEP 508 marker variables
	Tags           []dist.Tag         // PEP 425 tags it supports, best first
	Scheme         Scheme             // install scheme of a virtualenv made from it, relative to its root
	Glibc          string             // glibc version, "" if none
	Musl           string             // musl libc version, "" if none
}

// Scheme holds the install directories of an environment, relative to its root,
// with forward slashes, as sysconfig's "venv" (or "posix_prefix"/"nt") scheme names them.
type Scheme struct {
	Purelib, Platlib, Scripts, Data, Include string
}

// queryResult is the JSON object query.py prints.
type queryResult struct {
	Executable  string            `json:"executable"`
	Prefix      string            `json:"prefix"`
	BasePrefix  string            `json:"base_prefix"`
	VersionInfo []int             `json:"version_info"`
	FullVersion string            `json:"full_version"`
	Impl        string            `json:"implementation"`
	Markers     map[string]string `json:"markers"`
	Platform    string            `json:"platform"`
	PointerBits int               `json:"pointer_bits"`
	SOABI       string            `json:"soabi"`
	ExtSuffix   string            `json:"ext_suffix"`
	PyDebug     string            `json:"py_debug"`
	GILDisabled string            `json:"gil_disabled"`
	Pymalloc    string            `json:"pymalloc"`
	Glibc       string            `json:"glibc"`
	Musl        string            `json:"musl"`
	MacOS       string            `json:"macos"`
	Paths       map[string]string `json:"paths"`
}

// markerNames are the PEP 508 environment markers the query must answer.
var markerNames = []string{
	"os_name", "sys_platform", "platform_machine", "platform_python_implementation",
	"platform_release", "platform_system", "platform_version", "python_version",
	"python_full_version", "implementation_name", "implementation_version",
}

// QueryError reports an interpreter that could not be run or whose answer was unusable.
type QueryError struct {
	Path   string // the interpreter
	Reason string // what went wrong
	Err    error  // underlying error, if any
}

// Error implements error.
func (e *QueryError) Error() string {
	return fmt.Sprintf("venv: cannot query interpreter %s: %s", e.Path, e.Reason)
}

// Unwrap returns the underlying error.
func (e *QueryError) Unwrap() error { return e.Err }

// Query runs the interpreter at path once and describes it; nothing is cached.
func Query(path string) (*Interpreter, error) {
	var f *Finder
	return f.Query(path)
}

// runQuery runs the query script with the interpreter at path and returns its answer.
func runQuery(path string) ([]byte, error) {
	cmd := exec.Command(path, "-E", "-s", "-c", queryScript)
	cmd.Env = queryEnv()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		return nil, &QueryError{Path: path, Reason: strings.TrimSpace(err.Error() + ": " + msg), Err: err}
	}
	return out, nil
}

// queryEnv is the environment the query runs in: the caller's, minus variables
// that would make a venv's python pretend to be another one.
func queryEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PYTHON") || strings.HasPrefix(kv, "__PYVENV_LAUNCHER__=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func fromQuery(path string, q *queryResult) (*Interpreter, error) {
	if len(q.VersionInfo) < 2 {
		return nil, &QueryError{Path: path, Reason: "answer has no version"}
	}
	v, err := pep440.Parse(strings.TrimSuffix(q.FullVersion, "+"))
	if err != nil {
		return nil, &QueryError{Path: path, Reason: fmt.Sprintf("version %q does not parse", q.FullVersion), Err: err}
	}
	vars := make(map[string]string, len(markerNames))
	for _, name := range markerNames {
		val, ok := q.Markers[name]
		if !ok {
			return nil, &QueryError{Path: path, Reason: "answer lacks marker " + name}
		}
		vars[name] = val
	}
	exe := q.Executable
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	return &Interpreter{
		Path:           path,
		Executable:     exe,
		Version:        v,
		Implementation: q.Impl,
		Prefix:         q.Prefix,
		BasePrefix:     q.BasePrefix,
		Env:            pep508.Environment{Vars: vars},
		Tags:           supportedTags(q),
		Scheme:         schemeOf(q.Paths),
		Glibc:          q.Glibc,
		Musl:           q.Musl,
	}, nil
}

func schemeOf(p map[string]string) Scheme {
	get := func(k, def string) string {
		if v, ok := p[k]; ok && v != "" {
			return v
		}
		return def
	}
	return Scheme{
		Purelib: get("purelib", "lib/site-packages"),
		Platlib: get("platlib", get("purelib", "lib/site-packages")),
		Scripts: get("scripts", "bin"),
		Data:    get("data", "."),
		Include: get("include", "include"),
	}
}

// MinorVersion returns "X.Y" of the interpreter.
func (py *Interpreter) MinorVersion() string {
	return py.Env.Vars["python_version"]
}

// Refusal says why one interpreter found during a search was not chosen.
type Refusal struct {
	Path   string
	Reason string
}

// NotFoundError reports that no interpreter fits the request; Refused lists what
// was found and why each was refused.
type NotFoundError struct {
	Requires pep440.SpecifierSet
	Hint     string
	Refused  []Refusal
}

// Error implements error.
func (e *NotFoundError) Error() string {
	var b strings.Builder
	b.WriteString("venv: no python interpreter")
	if e.Hint != "" {
		fmt.Fprintf(&b, " for %q", e.Hint)
	}
	if len(e.Requires) > 0 {
		fmt.Fprintf(&b, " satisfying %q", e.Requires.String())
	}
	if len(e.Refused) == 0 {
		b.WriteString(" found")
		return b.String()
	}
	b.WriteString(":")
	for _, r := range e.Refused {
		fmt.Fprintf(&b, "\n  %s: %s", r.Path, r.Reason)
	}
	return b.String()
}

// maxMinor bounds the python3.Y names looked for on PATH.
const maxMinor = 20

// Find is Finder.Find without a cache.
func Find(requires pep440.SpecifierSet, hint string) (*Interpreter, error) {
	return (&Finder{}).Find(requires, hint)
}

// Find returns the first interpreter that satisfies requires. hint is "" (look
// on PATH for python3, then python3.Y from newest down, then python, then in
// pyenv's versions from newest down), a version "X.Y" (or "X.Y.Z"; pythonX.Y,
// python3 or python of that version on PATH, then pyenv's pythonX.Y), a path to
// an interpreter or to a virtualenv, or a command name looked up on PATH. A
// pyenv shim found on PATH stands for the interpreter pyenv would select.
func (fd *Finder) Find(requires pep440.SpecifierSet, hint string) (*Interpreter, error) {
	f := &finder{fd: fd, requires: requires, seen: map[string]bool{}}
	nf := &NotFoundError{Requires: requires, Hint: hint}
	var py *Interpreter
	switch {
	case hint == "":
		py = f.first(defaultNames())
		if py == nil {
			py = f.firstPath(fd.pyenvInterpreters(""))
		}
	case strings.ContainsRune(hint, os.PathSeparator) || strings.HasPrefix(hint, "."):
		py = f.try(pathHint(hint))
	case isVersionHint(hint):
		f.prefix = hint
		py = f.first(versionNames(hint))
		if py == nil {
			parts := strings.Split(hint, ".")
			if len(parts) >= 2 {
				py = f.firstPath(fd.pyenvInterpreters(parts[0] + "." + parts[1]))
			}
		}
	default:
		py = f.first([]string{hint})
	}
	if py != nil {
		return py, nil
	}
	nf.Refused = f.refused
	return nil, nf
}

type finder struct {
	fd       *Finder
	requires pep440.SpecifierSet
	prefix   string // version prefix the hint asked for, "" if none
	seen     map[string]bool
	refused  []Refusal
}

// first looks each name up on PATH and returns the first that fits.
func (f *finder) first(names []string) *Interpreter {
	for _, name := range names {
		path, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		if reason := f.refuseName(name); reason != "" {
			f.refused = append(f.refused, Refusal{Path: path, Reason: reason})
			continue
		}
		if py := f.try(path); py != nil {
			return py
		}
	}
	return nil
}

// firstPath returns the first of the interpreter paths that fits.
func (f *finder) firstPath(paths []string) *Interpreter {
	for _, path := range paths {
		if reason := f.refuseName(filepath.Base(path)); reason != "" {
			f.refused = append(f.refused, Refusal{Path: path, Reason: reason})
			continue
		}
		if py := f.try(path); py != nil {
			return py
		}
	}
	return nil
}

// try queries one interpreter (a pyenv shim: the one it stands for) and
// returns it when it fits; else records why not.
func (f *finder) try(path string) *Interpreter {
	if real, ok := f.fd.resolveShim(path); ok {
		path = real
	}
	key := path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		key = real
	}
	if f.seen[key] {
		return nil
	}
	f.seen[key] = true
	py, err := f.fd.Query(path)
	if err != nil {
		var qe *QueryError
		reason := err.Error()
		if errors.As(err, &qe) {
			reason = qe.Reason
		}
		f.refused = append(f.refused, Refusal{Path: path, Reason: reason})
		return nil
	}
	if reason := f.refuse(py); reason != "" {
		f.refused = append(f.refused, Refusal{Path: path, Reason: reason})
		return nil
	}
	return py
}

func (f *finder) refuse(py *Interpreter) string {
	v := py.Version.String()
	if rel := py.Version.Release(); len(rel) == 0 || rel[0] < 3 {
		return "python " + v + " is not python 3"
	}
	if f.prefix != "" && !releaseHasPrefix(py.Version.Release(), f.prefix) {
		return "python " + v + " is not version " + f.prefix
	}
	if len(f.requires) > 0 && !f.requires.Contains(py.Version, pep440.PrereleasesAllow) {
		return "python " + v + " does not satisfy " + f.requires.String()
	}
	return ""
}

// refuseName refuses, without running it, a "pythonX.Y" whose name alone
// shows it cannot satisfy the requirement: no release X.Y.Z (Z < 100) nor
// pre-release of X.Y.0 is contained.
func (f *finder) refuseName(name string) string {
	minor, ok := strings.CutPrefix(name, "python")
	if !ok || strings.Count(minor, ".") != 1 || !isVersionHint(minor) || len(f.requires) == 0 {
		return ""
	}
	for _, v := range seriesVersions(minor) {
		if f.requires.Contains(v, pep440.PrereleasesAllow) {
			return ""
		}
	}
	return "python " + minor + " cannot satisfy " + f.requires.String()
}

// seriesVersions lists the versions a "X.Y" interpreter may have.
func seriesVersions(minor string) []pep440.Version {
	var out []pep440.Version
	add := func(s string) {
		if v, err := pep440.Parse(s); err == nil {
			out = append(out, v)
		}
	}
	for _, pre := range []string{"a", "b", "rc"} {
		for n := 0; n < 10; n++ {
			add(minor + ".0" + pre + strconv.Itoa(n))
		}
	}
	for patch := 0; patch < 100; patch++ {
		add(minor + "." + strconv.Itoa(patch))
	}
	return out
}

func defaultNames() []string {
	names := []string{"python3"}
	for minor := maxMinor; minor >= 0; minor-- {
		names = append(names, "python3."+strconv.Itoa(minor))
	}
	return append(names, "python")
}

func versionNames(hint string) []string {
	parts := strings.Split(hint, ".")
	var names []string
	if len(parts) >= 2 {
		names = append(names, "python"+parts[0]+"."+parts[1])
	}
	return append(names, "python"+parts[0], "python")
}

// releaseHasPrefix reports whether release starts with the dotted numbers of prefix.
func releaseHasPrefix(release []int, prefix string) bool {
	parts := strings.Split(prefix, ".")
	if len(parts) > len(release) {
		return false
	}
	for i, p := range parts {
		if n, err := strconv.Atoi(p); err != nil || n != release[i] {
			return false
		}
	}
	return true
}

func isVersionHint(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return false
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil || p == "" {
			return false
		}
	}
	return true
}

// pathHint turns a path hint into an interpreter path: a virtualenv directory
// stands for its python.
func pathHint(hint string) string {
	if fi, err := os.Stat(hint); err == nil && fi.IsDir() {
		return filepath.Join(hint, "bin", "python")
	}
	return hint
}
