package project

import "github.com/pylock/pylock/pyproject"

// Selections lists the dependency groups and the extras pyproject.toml
// declares, in file order, for shell completion of --with and --extras.
func (p *Project) Selections() (groups, extras []string, err error) {
	proj, err := pyproject.Load(p.PyprojectPath())
	if err != nil {
		return nil, nil, err
	}
	for _, g := range proj.Groups {
		groups = append(groups, g.Name)
	}
	for _, x := range proj.Extras {
		extras = append(extras, x.Name)
	}
	return groups, extras, nil
}
