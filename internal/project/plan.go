package project

import (
	"fmt"
	"sort"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/venv"
)

// ChangeKind says what an install does to one package.
type ChangeKind int

// The kinds of change, in the order a plan lists them.
const (
	ChangeInstall   ChangeKind = iota // not installed: install To
	ChangeUpgrade                     // From installed, the lock has the newer To
	ChangeDowngrade                   // From installed, the lock has the older To
	ChangeRemove                      // From installed, not selected by the lock
	ChangeUnchanged                   // From installed, the lock has the same version
)

// Change is what an install does to one package.
type Change struct {
	Kind ChangeKind
	Name string // normalized
	From string // the installed version, "" when installing
	To   string // the locked version, "" when removing
}

// String is the plan's line for the change: "+ name 1.0", "- name 1.0",
// "~ name 1.0 -> 2.0", or "  name 1.0" when unchanged.
func (c Change) String() string {
	switch c.Kind {
	case ChangeInstall:
		return fmt.Sprintf("+ %s %s", c.Name, c.To)
	case ChangeRemove:
		return fmt.Sprintf("- %s %s", c.Name, c.From)
	case ChangeUpgrade, ChangeDowngrade:
		return fmt.Sprintf("~ %s %s -> %s", c.Name, c.From, c.To)
	}
	return fmt.Sprintf("  %s %s", c.Name, c.From)
}

// Plan is what an install will do, computed before anything is touched:
// every package the lock selects or the virtualenv holds, sorted by name.
type Plan struct {
	Changes []Change
}

// Count returns how many changes of kind the plan has.
func (p *Plan) Count(kind ChangeKind) int {
	n := 0
	for _, c := range p.Changes {
		if c.Kind == kind {
			n++
		}
	}
	return n
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool {
	return p.Count(ChangeUnchanged) == len(p.Changes)
}

// newPlan compares the installed distributions with the wanted versions
// (normalized name to locked version). Installed packages the lock does not
// select are removed unless inexact is set, when they are left alone and
// not listed.
func newPlan(installed []venv.Dist, wanted map[string]string, inexact bool) *Plan {
	plan := &Plan{}
	have := map[string]bool{}
	for _, d := range installed {
		name := pep508.NormalizeName(d.Name)
		have[name] = true
		to, ok := wanted[name]
		switch {
		case !ok && inexact:
		case !ok:
			plan.Changes = append(plan.Changes, Change{Kind: ChangeRemove, Name: name, From: d.Version})
		default:
			plan.Changes = append(plan.Changes, Change{Kind: compareVersions(d.Version, to), Name: name, From: d.Version, To: to})
		}
	}
	for name, to := range wanted {
		if !have[name] {
			plan.Changes = append(plan.Changes, Change{Kind: ChangeInstall, Name: name, To: to})
		}
	}
	sort.Slice(plan.Changes, func(i, j int) bool { return plan.Changes[i].Name < plan.Changes[j].Name })
	return plan
}

// compareVersions classifies going from the installed version to the
// locked one; a version that does not parse is replaced as an upgrade.
func compareVersions(from, to string) ChangeKind {
	vf, errF := pep440.Parse(from)
	vt, errT := pep440.Parse(to)
	if errF != nil || errT != nil {
		if from == to {
			return ChangeUnchanged
		}
		return ChangeUpgrade
	}
	switch vf.Compare(vt) {
	case 0:
		return ChangeUnchanged
	case 1:
		return ChangeDowngrade
	}
	return ChangeUpgrade
}
