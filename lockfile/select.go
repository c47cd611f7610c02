package lockfile

import (
	"fmt"
	"strings"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// SelectError reports why a lock file cannot be installed into an environment.
type SelectError struct {
	Package string // the package at fault; "" for the file as a whole
	Value   string // the offending requires-python, marker or version
	Msg     string
}

// Error formats e as "lockfile: [package: ]msg".
func (e *SelectError) Error() string {
	if e.Package == "" {
		return "lockfile: " + e.Msg
	}
	return "lockfile: " + e.Package + ": " + e.Msg
}

// Select reports whether p is to be installed in env: its marker is absent or
// true, with env.Extras and env.DependencyGroups giving the PEP 751 `extras`
// and `dependency_groups` marker variables. A marker that does not parse
// (which Parse never returns) selects nothing.
func (p *Package) Select(env pep508.Environment) bool {
	if p.Marker == "" {
		return true
	}
	m, err := pep508.ParseMarker(p.Marker)
	return err == nil && m.Evaluate(env)
}

// BestWheel returns the wheel whose tags rank best (lowest) in supported,
// which lists the environment's tags most preferred first; ties go to the
// wheel that sorts first by file name. It returns false when no wheel fits.
func (p *Package) BestWheel(supported []dist.Tag) (*Wheel, bool) {
	var best *Wheel
	bestRank := 0
	for i := range p.Wheels {
		w := &p.Wheels[i]
		wn, err := dist.ParseWheelName(w.Name)
		if err != nil {
			continue
		}
		rank, ok := dist.Supported(wn.Tags, supported)
		if !ok {
			continue
		}
		if best == nil || rank < bestRank || rank == bestRank && w.Name < best.Name {
			best, bestRank = w, rank
		}
	}
	return best, best != nil
}

// SelectPackages applies PEP 751's installation checks for env and returns
// the packages to install, in file order: the file's requires-python must
// hold for env's python_full_version, some environments marker (if any) must
// be true, and of the packages whose marker is true each must allow the
// Python version and no name may be selected twice. Set env.DependencyGroups
// to f.DefaultGroups for a default install.
func (f *File) SelectPackages(env pep508.Environment) ([]*Package, error) {
	py, err := pep440.Parse(env.Vars["python_full_version"])
	if err != nil {
		return nil, &SelectError{Value: env.Vars["python_full_version"], Msg: "environment has no valid python_full_version"}
	}
	if !allows(f.RequiresPython, py) {
		return nil, &SelectError{Value: f.RequiresPython, Msg: "python " + py.String() + " does not satisfy requires-python " + f.RequiresPython}
	}
	if !matchesEnvironments(f.Environments, env) {
		return nil, &SelectError{Value: strings.Join(f.Environments, " | "), Msg: fmt.Sprintf("the environment (%s %s on %s %s) matches none of the lock file's environments",
			env.Vars["implementation_name"], env.Vars["python_full_version"], env.Vars["sys_platform"], env.Vars["platform_machine"])}
	}
	var out []*Package
	seen := map[string]bool{}
	for i := range f.Packages {
		p := &f.Packages[i]
		if !p.Select(env) {
			continue
		}
		if !allows(p.RequiresPython, py) {
			return nil, &SelectError{Package: p.Name, Value: p.RequiresPython, Msg: "python " + py.String() + " does not satisfy requires-python " + p.RequiresPython}
		}
		if seen[p.Name] {
			return nil, &SelectError{Package: p.Name, Value: p.Version, Msg: "more than one entry selected for this environment"}
		}
		seen[p.Name] = true
		out = append(out, p)
	}
	return out, nil
}

// allows reports whether the specifier set spec ("" = any) contains py.
func allows(spec string, py pep440.Version) bool {
	if spec == "" {
		return true
	}
	s, err := pep440.ParseSpecifierSet(spec)
	return err == nil && s.Contains(py, pep440.PrereleasesAllow)
}

func matchesEnvironments(envs []string, env pep508.Environment) bool {
	if len(envs) == 0 {
		return true
	}
	for _, e := range envs {
		if m, err := pep508.ParseMarker(e); err == nil && m.Evaluate(env) {
			return true
		}
	}
	return false
}
