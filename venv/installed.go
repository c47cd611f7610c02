package venv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep508"
)

// Dist is one installed distribution.
type Dist struct {
	Name     string // as its METADATA spells it
	Version  string // as its METADATA spells it
	DistInfo string // absolute path of its .dist-info directory
}

// NotInstalledError reports an Uninstall of a distribution that is not installed.
type NotInstalledError struct {
	Name string
}

// Error implements error.
func (e *NotInstalledError) Error() string {
	return fmt.Sprintf("venv: %q is not installed", e.Name)
}

func isNotInstalled(err error) bool {
	var ni *NotInstalledError
	return errors.As(err, &ni)
}

// UninstallError reports an installed distribution that cannot be removed safely.
type UninstallError struct {
	Name   string
	Path   string // the offending RECORD path, "" if none
	Reason string
	Err    error
}

// Error implements error.
func (e *UninstallError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("venv: cannot uninstall %s: %s", e.Name, e.Reason)
	}
	return fmt.Sprintf("venv: cannot uninstall %s: %s: %q", e.Name, e.Reason, e.Path)
}

// Unwrap returns the underlying error.
func (e *UninstallError) Unwrap() error { return e.Err }

// siteDirs are the directories that hold .dist-info directories.
func (e *Env) siteDirs() []string {
	pure, plat := e.path(e.Python.Scheme.Purelib), e.path(e.Python.Scheme.Platlib)
	if pure == plat {
		return []string{pure}
	}
	if rp, err := filepath.EvalSymlinks(pure); err == nil {
		if rl, err := filepath.EvalSymlinks(plat); err == nil && rp == rl {
			return []string{pure}
		}
	}
	return []string{pure, plat}
}

// Installed lists the distributions installed in the environment, sorted by
// normalized name.
func (e *Env) Installed() ([]Dist, error) {
	var out []Dist
	for _, dir := range e.siteDirs() {
		entries, err := os.ReadDir(dir)
		if err != nil && !os.IsNotExist(err) {
			return nil, &EnvError{Dir: dir, Reason: "cannot list site-packages", Err: err}
		}
		for _, ent := range entries {
			if ent.IsDir() && strings.HasSuffix(ent.Name(), ".dist-info") {
				out = append(out, readDist(filepath.Join(dir, ent.Name())))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return pep508.NormalizeName(out[i].Name) < pep508.NormalizeName(out[j].Name)
	})
	return out, nil
}

// readDist names a .dist-info directory from its METADATA, or from its own name
// when METADATA is missing or unreadable.
func readDist(dir string) Dist {
	stem := strings.TrimSuffix(filepath.Base(dir), ".dist-info")
	name, version, _ := strings.Cut(stem, "-")
	d := Dist{Name: name, Version: version, DistInfo: dir}
	data, err := os.ReadFile(filepath.Join(dir, "METADATA"))
	if err != nil {
		return d
	}
	if m, err := dist.ParseMetadata(data); err == nil && m.Name != "" && m.Version != "" {
		d.Name, d.Version = m.Name, m.Version
	}
	return d
}

// Uninstall removes the distribution called name (any spelling that normalizes
// alike): exactly the files its RECORD lists, the bytecode Python compiled from
// them, its .dist-info directory, and directories left empty. A RECORD path
// outside the environment refuses the whole uninstall before anything is removed.
func (e *Env) Uninstall(name string) error {
	d, err := e.find(name)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(d.DistInfo, "RECORD"))
	if err != nil {
		return &UninstallError{Name: d.Name, Reason: "no RECORD", Err: err}
	}
	record, err := ParseRecord(data)
	if err != nil {
		return &UninstallError{Name: d.Name, Reason: "malformed RECORD", Err: err}
	}
	site := filepath.Dir(d.DistInfo)
	var paths []string
	for _, r := range record {
		p := filepath.Clean(filepath.Join(site, filepath.FromSlash(r.Path)))
		if filepath.IsAbs(filepath.FromSlash(r.Path)) {
			p = filepath.Clean(r.Path)
		}
		if !within(e.Dir, p) || p == e.Dir || e.protected(p) {
			return &UninstallError{Name: d.Name, Path: r.Path, Reason: "RECORD path outside the environment"}
		}
		paths = append(paths, p)
	}
	for _, p := range paths {
		if err := removeFile(p); err != nil {
			return &UninstallError{Name: d.Name, Path: p, Reason: "cannot remove", Err: err}
		}
	}
	if err := os.RemoveAll(d.DistInfo); err != nil {
		return &UninstallError{Name: d.Name, Path: d.DistInfo, Reason: "cannot remove", Err: err}
	}
	e.prune(paths)
	return nil
}

func (e *Env) find(name string) (Dist, error) {
	dists, err := e.Installed()
	if err != nil {
		return Dist{}, err
	}
	want := pep508.NormalizeName(name)
	for _, d := range dists {
		if pep508.NormalizeName(d.Name) == want {
			return d, nil
		}
	}
	return Dist{}, &NotInstalledError{Name: name}
}

// removeFile removes p (a missing file is fine) and, for a .py file, its
// compiled __pycache__ files.
func removeFile(p string) error {
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return err
	}
	if !strings.HasSuffix(p, ".py") {
		return nil
	}
	stem := strings.TrimSuffix(filepath.Base(p), ".py")
	pyc, _ := filepath.Glob(filepath.Join(filepath.Dir(p), "__pycache__", globEscape(stem)+".*.pyc"))
	for _, c := range pyc {
		if err := os.Remove(c); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

func globEscape(s string) string {
	return strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`).Replace(s)
}

// prune removes directories that the removed files left empty, stopping at the
// environment's own directories.
func (e *Env) prune(paths []string) {
	keep := map[string]bool{e.Dir: true}
	s := e.Python.Scheme
	for _, d := range []string{s.Purelib, s.Platlib, s.Scripts, s.Data, s.Include} {
		for p := e.path(d); within(e.Dir, p) && !keep[p]; p = filepath.Dir(p) {
			keep[p] = true
		}
	}
	for _, p := range paths {
		for dir := filepath.Dir(p); within(e.Dir, dir) && !keep[dir]; dir = filepath.Dir(dir) {
			os.Remove(filepath.Join(dir, "__pycache__"))
			if os.Remove(dir) != nil {
				break
			}
		}
	}
}
