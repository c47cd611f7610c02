package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/pyproject"
	"github.com/pylock/pylock/resolver"
	"github.com/pylock/pylock/venv"
)

// Names of the resolver settings recorded in [tool.pylock].
const (
	settingEnvironment    = "environment"
	settingOptionalGroups = "optional-groups"
	// settingIndexes and settingSources record the project's declared
	// indexes (in search order) and package pins, for check.
	settingIndexes = "indexes"
	settingSources = "sources"
)

// listSeparator joins the entries of a list recorded as one setting; no
// canonical index or source entry holds it (URLs hold no spaces).
const listSeparator = ", "

// buildLock turns a resolution into a lock file: every package with its
// marker, index, requires-python, dependencies, and every file of its version
// with a sha256.
func (p *Project) buildLock(ctx context.Context, ip *indexProvider, ix *pypi.Indexes, proj *pyproject.Project,
	res *resolver.Resolution, origins []origin, sc scope) (*lockfile.File, error) {
	var markers map[string]string
	if !sc.universal() {
		markers = packageMarkers(res, origins, sc.target.Env)
	}
	deps := dependenciesOf(res)
	file := &lockfile.File{
		LockVersion:    lockfile.LockVersion,
		CreatedBy:      "pylock",
		RequiresPython: sc.requiresPython,
		Environments:   sc.lockEnvironments(),
		Pylock:         toolTable(proj.Inputs(), ix.URLs(), sc.environment(), ip.pol.settings),
	}
	for _, x := range proj.Extras {
		file.Extras = append(file.Extras, x.Name)
	}
	for _, g := range proj.Groups {
		file.DependencyGroups = append(file.DependencyGroups, g.Name)
	}
	p.progress.start(PhaseLocking, len(res.Packages))
	defer p.progress.done(PhaseLocking)
	for _, rp := range res.Packages {
		pkg, err := p.lockPackage(ctx, ip, ix, rp, sc.packageMarker(rp, markers))
		if err != nil {
			return nil, err
		}
		pkg.Dependencies = deps[rp.Name]
		file.Packages = append(file.Packages, pkg)
		p.progress.advance(PhaseLocking, rp.Name)
	}
	file.Sort()
	return file, nil
}

// lockPackage builds the [[packages]] entry of one resolved package.
func (p *Project) lockPackage(ctx context.Context, ip *indexProvider, ix *pypi.Indexes, rp resolver.ResolvedPackage, marker string) (lockfile.Package, error) {
	proj, err := ix.Project(ctx, rp.Name)
	if err != nil {
		return lockfile.Package{}, err
	}
	index, err := ix.IndexOf(ctx, rp.Name)
	if err != nil {
		return lockfile.Package{}, err
	}
	pkg := lockfile.Package{Name: rp.Name, Version: rp.Version.String(), Marker: marker, Index: index}
	rel, _ := proj.Release(rp.Version)
	pkg.RequiresPython = rel.RequiresPython.String()
	for _, f := range ip.files(rel.Files) {
		sha, err := fileHash(ctx, ix, rp.Name, f)
		if err != nil {
			return lockfile.Package{}, err
		}
		hashes := map[string]string{"sha256": sha}
		size := max(f.Size, 0)
		if f.Wheel {
			pkg.Wheels = append(pkg.Wheels, lockfile.Wheel{Name: f.Filename, URL: f.URL, Size: size, UploadTime: f.UploadTime, Hashes: hashes})
		} else if pkg.Sdist == nil {
			pkg.Sdist = &lockfile.Sdist{Name: f.Filename, URL: f.URL, Size: size, UploadTime: f.UploadTime, Hashes: hashes}
		}
	}
	if len(pkg.Wheels) == 0 && pkg.Sdist == nil {
		return lockfile.Package{}, fmt.Errorf("%s %s has no files on %s", rp.Name, rp.Version, index)
	}
	return pkg, nil
}

// fileHash returns a file's sha256: the index's when it gave one, else the
// digest of the downloaded file.
func fileHash(ctx context.Context, ix *pypi.Indexes, name string, f pypi.File) (string, error) {
	if f.SHA256 != "" {
		return f.SHA256, nil
	}
	h := sha256.New()
	if err := ix.Download(ctx, name, f.URL, "", h); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// dependenciesOf lists, for every resolved package, the packages it requires.
func dependenciesOf(res *resolver.Resolution) map[string][]lockfile.Dependency {
	deps := map[string][]lockfile.Dependency{}
	for _, rp := range res.Packages {
		seen := map[string]bool{}
		for _, e := range rp.Dependents {
			if e.From == "" || seen[e.From] {
				continue
			}
			seen[e.From] = true
			deps[e.From] = append(deps[e.From], lockfile.Dependency{Name: rp.Name, Version: rp.Version.String()})
		}
	}
	return deps
}

// requiresPythonOf is the project's requires-python as PEP 751 writes it: one
// specifier set, or "" when the project allows every version or gives a
// union that no one set can spell (the union is kept in [tool.pylock]).
func requiresPythonOf(proj *pyproject.Project) string {
	if proj.RequiresPython.IsUnion() || proj.RequiresPython.IsAny() {
		return ""
	}
	return proj.RequiresPython.String()
}

// environmentMarker names the one environment this lock was resolved for:
// the interpreter's implementation, Python version, platform and machine.
func environmentMarker(py *venv.Interpreter) string {
	var parts []string
	for _, key := range []string{"implementation_name", "python_version", "sys_platform", "platform_machine"} {
		parts = append(parts, fmt.Sprintf("%s == '%s'", key, py.Env.Vars[key]))
	}
	return strings.Join(parts, " and ")
}

// toolTable records in [tool.pylock] what check compares later.
func toolTable(in pyproject.Inputs, indexURLs []string, environment string, settings map[string]string) lockfile.ToolPylock {
	t := lockfile.ToolPylock{
		RequiresPython: in.RequiresPython,
		IndexURLs:      indexURLs,
		Environments:   in.Environments,
		Settings:       map[string]string{},
		Sections:       []lockfile.Section{{Label: lockfile.LabelDependencies, Requirements: in.Dependencies}},
	}
	if environment != "" {
		t.Settings[settingEnvironment] = environment
	}
	maps.Copy(t.Settings, settings)
	if len(in.OptionalGroups) > 0 {
		t.Settings[settingOptionalGroups] = strings.Join(in.OptionalGroups, ",")
	}
	if len(in.Indexes) > 0 {
		t.Settings[settingIndexes] = strings.Join(in.Indexes, listSeparator)
	}
	if len(in.Sources) > 0 {
		t.Settings[settingSources] = strings.Join(in.Sources, listSeparator)
	}
	for _, name := range sortedKeys(in.Extras) {
		t.Sections = append(t.Sections, lockfile.Section{Label: lockfile.ExtraLabel(name), Requirements: in.Extras[name]})
	}
	for _, name := range sortedKeys(in.Groups) {
		t.Sections = append(t.Sections, lockfile.Section{Label: lockfile.GroupLabel(name), Requirements: in.Groups[name]})
	}
	return t
}

// inputsOf reads back the Inputs that toolTable recorded.
func inputsOf(t lockfile.ToolPylock) pyproject.Inputs {
	in := pyproject.Inputs{RequiresPython: t.RequiresPython, Environments: t.Environments, Extras: map[string][]string{}, Groups: map[string][]string{}}
	if og := t.Settings[settingOptionalGroups]; og != "" {
		in.OptionalGroups = strings.Split(og, ",")
	}
	if s := t.Settings[settingIndexes]; s != "" {
		in.Indexes = strings.Split(s, listSeparator)
	}
	if s := t.Settings[settingSources]; s != "" {
		in.Sources = strings.Split(s, listSeparator)
	}
	for _, s := range t.Sections {
		switch {
		case s.Label == lockfile.LabelDependencies:
			in.Dependencies = s.Requirements
		case strings.HasPrefix(s.Label, lockfile.ExtraLabel("")):
			in.Extras[strings.TrimPrefix(s.Label, lockfile.ExtraLabel(""))] = s.Requirements
		case strings.HasPrefix(s.Label, lockfile.GroupLabel("")):
			in.Groups[strings.TrimPrefix(s.Label, lockfile.GroupLabel(""))] = s.Requirements
		}
	}
	return in
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
