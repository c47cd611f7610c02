package project

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/pypi"
	"github.com/pylock/pylock/pyproject"
)

// unkept is a pinned version the first lock could not keep, and why.
type unkept struct {
	pin
	reason string
	locked []string // the versions locked instead; nil when none
}

func (u unkept) String() string {
	s := fmt.Sprintf("%s %s: %s", u.name, u.version, u.reason)
	if len(u.locked) > 0 {
		s += "; locked " + strings.Join(u.locked, ", ")
	}
	return s
}

// releaseLookup answers which versions an index has of a package.
type releaseLookup interface {
	Project(ctx context.Context, name string) (*pypi.Project, error)
}

// explainMigration logs how many of the migration's pins the new lock kept
// and, for every one it could not keep, why. m may be nil (no migration).
func (p *Project) explainMigration(ctx context.Context, m *migration, file *lockfile.File) {
	if m == nil {
		return
	}
	proj := p.loadedProject()
	ix, err := p.indexes(proj)
	var lookup releaseLookup
	if err == nil {
		lookup = ix
	}
	missed := unkeptPins(ctx, m.pins, file, proj, lookup)
	source := strings.Join(m.files, ", ")
	if len(missed) == 0 {
		p.log(0, "Kept all %d versions pinned in %s", len(m.pins), source)
		return
	}
	p.log(0, "Kept %d of the %d versions pinned in %s; could not keep:", len(m.pins)-len(missed), len(m.pins), source)
	for _, u := range missed {
		p.log(0, "  %s", u)
	}
}

// unkeptPins lists the pins the lock does not hold, with the reason of
// each: no longer required, excluded by a requirement of pyproject.toml,
// not on the index (lookup may be nil: then not asked), or in conflict with
// the other requirements.
func unkeptPins(ctx context.Context, pins []pin, file *lockfile.File, proj *pyproject.Project, lookup releaseLookup) []unkept {
	locked := map[string][]string{}
	for _, pkg := range file.Packages {
		locked[pkg.Name] = append(locked[pkg.Name], pkg.Version)
	}
	var out []unkept
	for _, pn := range pins {
		if contains(locked[pn.name], pn.version.String()) {
			continue
		}
		u := unkept{pin: pn, locked: locked[pn.name]}
		u.reason = pinReason(ctx, pn, u.locked, proj, lookup)
		out = append(out, u)
	}
	return out
}

// pinReason says why a pin was not kept.
func pinReason(ctx context.Context, pn pin, locked []string, proj *pyproject.Project, lookup releaseLookup) string {
	if len(locked) == 0 {
		return "no longer required by " + PyprojectName
	}
	if dep, ok := excludingDependency(proj, pn); ok {
		return fmt.Sprintf("no longer satisfies `%s` (%s:%d)", dep.Text, PyprojectName, dep.Line)
	}
	if lookup != nil {
		if why := indexReason(ctx, lookup, pn); why != "" {
			return why
		}
	}
	return "conflicts with the other requirements"
}

// excludingDependency finds a dependency of the project, in any extra or
// group, that the pinned version does not satisfy.
func excludingDependency(proj *pyproject.Project, pn pin) (pyproject.Dependency, bool) {
	if proj == nil {
		return pyproject.Dependency{}, false
	}
	origins, err := originsOf(proj)
	if err != nil {
		return pyproject.Dependency{}, false
	}
	for _, o := range origins {
		for _, d := range o.deps {
			if pep508.NormalizeName(d.Requirement.Name) == pn.name && !d.Range().Contains(pn.version) {
				return d, true
			}
		}
	}
	return pyproject.Dependency{}, false
}

// indexReason says what the index holds against a pinned version: not
// there, or yanked; "" when it serves it.
func indexReason(ctx context.Context, lookup releaseLookup, pn pin) string {
	proj, err := lookup.Project(ctx, pn.name)
	var notFound *pypi.NotFoundError
	if errors.As(err, &notFound) {
		return "not on the index"
	}
	if err != nil {
		return ""
	}
	for _, rel := range proj.Releases() {
		if rel.Version.Compare(pn.version) == 0 {
			if rel.Yanked {
				return "yanked on the index"
			}
			return ""
		}
	}
	return "not on the index"
}
