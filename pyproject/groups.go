package pyproject

import (
	"fmt"
	"slices"
	"sort"

	"github.com/pylock/pylock/pep508"
)

// rawGroup is a group before include expansion.
type rawGroup struct {
	name     string // as first written
	line     int
	optional bool
	deps     []Dependency
	includes []include
}

type include struct {
	group string // normalized
	line  int
}

// readGroups reads [dependency-groups], [tool.poetry.group.*] and
// [tool.poetry.dev-dependencies], then expands includes.
func (b *builder) readGroups() error {
	groups := map[string]*rawGroup{}
	steps := []func(map[string]*rawGroup) error{b.readPEP735, b.readPoetryGroups, b.readPoetryDev}
	for _, step := range steps {
		if err := step(groups); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(groups))
	for n := range groups {
		names = append(names, n)
	}
	sort.Strings(names)
	e := expander{src: b.src, groups: groups, done: map[string][]Dependency{}}
	for _, n := range names {
		deps, err := e.expand(n, nil)
		if err != nil {
			return err
		}
		g := groups[n]
		inc := make([]string, len(g.includes))
		for i, in := range g.includes {
			inc[i] = in.group
		}
		b.p.Groups = append(b.p.Groups, Group{Name: n, Optional: g.optional, Includes: inc, Dependencies: deps})
	}
	return nil
}

func groupFor(groups map[string]*rawGroup, name string, line int) *rawGroup {
	norm := pep508.NormalizeName(name)
	g, ok := groups[norm]
	if !ok {
		g = &rawGroup{name: name, line: line}
		groups[norm] = g
	}
	return g
}

// readPEP735 reads [dependency-groups]: arrays of PEP 508 strings and
// {include-group = "name"} tables.
func (b *builder) readPEP735(groups map[string]*rawGroup) error {
	path := []string{"dependency-groups"}
	tbl, err := b.src.table(path...)
	if err != nil || tbl == nil {
		return err
	}
	for _, name := range b.src.keys(path, tbl) {
		gp := sub(path, name)
		if !pep508.ValidName(name) {
			return b.src.fieldError(gp, "%q is not a valid group name", name)
		}
		if _, dup := groups[pep508.NormalizeName(name)]; dup {
			return b.src.fieldError(gp, "group %q is the same as %q once normalized", name, groups[pep508.NormalizeName(name)].name)
		}
		arr, ok := tbl[name].([]any)
		if !ok {
			return b.src.fieldError(gp, "must be an array, not %s", typeName(tbl[name]))
		}
		g := groupFor(groups, name, b.src.line(gp...))
		section := fmt.Sprintf("[dependency-groups.%s]", quoteKey(name))
		for i, e := range arr {
			if err := b.pep735Entry(g, e, sub(gp, elem(i)), section); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *builder) pep735Entry(g *rawGroup, e any, path []string, section string) error {
	switch e := e.(type) {
	case string:
		d, err := b.pep508Dep(e, section, path)
		g.deps = append(g.deps, d)
		return err
	case map[string]any:
		name, ok := e["include-group"].(string)
		if !ok || len(e) != 1 || !pep508.ValidName(name) {
			return b.src.fieldError(path, `a table entry must be exactly {include-group = "<group name>"}`)
		}
		g.includes = append(g.includes, include{group: pep508.NormalizeName(name), line: b.src.line(path...)})
		return nil
	}
	return b.src.fieldError(path, "must be a requirement string or an include-group table, not %s", typeName(e))
}

// readPoetryGroups reads [tool.poetry.group.<name>]: dependencies, optional
// and include-groups.
func (b *builder) readPoetryGroups(groups map[string]*rawGroup) error {
	path := []string{"tool", "poetry", "group"}
	tbl, err := b.src.table(path...)
	if err != nil || tbl == nil {
		return err
	}
	for _, name := range b.src.keys(path, tbl) {
		gp := sub(path, name)
		if _, err := b.src.table(gp...); err != nil {
			return err
		}
		if pep508.NormalizeName(name) == "main" {
			if err := b.readPoetryMainGroup(gp); err != nil {
				return err
			}
			continue
		}
		g := groupFor(groups, name, b.src.line(gp...))
		if v := b.src.lookup(sub(gp, "optional")...); v != nil {
			opt, ok := v.(bool)
			if !ok {
				return b.src.fieldError(sub(gp, "optional"), "must be a boolean, not %s", typeName(v))
			}
			g.optional = opt
		}
		incs, _, err := b.src.strings(sub(gp, "include-groups")...)
		if err != nil {
			return err
		}
		for i, in := range incs {
			g.includes = append(g.includes, include{group: pep508.NormalizeName(in), line: b.src.line(sub(gp, "include-groups", elem(i))...)})
		}
		section := fmt.Sprintf("[tool.poetry.group.%s.dependencies]", quoteKey(name))
		deps, err := b.poetryTableDeps(sub(gp, "dependencies"), section)
		if err != nil {
			return err
		}
		g.deps = append(g.deps, deps...)
	}
	return nil
}

// readPoetryMainGroup reads [tool.poetry.group.main.dependencies], which
// Poetry treats as main dependencies.
func (b *builder) readPoetryMainGroup(gp []string) error {
	deps, err := b.poetryTableDeps(sub(gp, "dependencies"), "[tool.poetry.group.main.dependencies]")
	if err != nil || len(deps) == 0 {
		return err
	}
	if b.src.lookup("project", "dependencies") != nil {
		b.warn(gp, "[tool.poetry.group.main] is ignored: [project.dependencies] is declared and takes precedence")
		return nil
	}
	b.p.Dependencies = append(b.p.Dependencies, deps...)
	return nil
}

// readPoetryDev reads the legacy [tool.poetry.dev-dependencies] as group "dev".
func (b *builder) readPoetryDev(groups map[string]*rawGroup) error {
	path := []string{"tool", "poetry", "dev-dependencies"}
	if b.src.lookup(path...) == nil {
		return nil
	}
	deps, err := b.poetryTableDeps(path, "[tool.poetry.dev-dependencies]")
	if err != nil {
		return err
	}
	g := groupFor(groups, "dev", b.src.line(path...))
	g.deps = append(g.deps, deps...)
	return nil
}

// poetryTableDeps reads a table of Poetry dependencies (no python entry).
func (b *builder) poetryTableDeps(path []string, section string) ([]Dependency, error) {
	tbl, err := b.src.table(path...)
	if err != nil || tbl == nil {
		return nil, err
	}
	var out []Dependency
	for _, name := range b.src.keys(path, tbl) {
		deps, err := b.poetryDeps(name, sub(path, name), section)
		if err != nil {
			return nil, err
		}
		out = append(out, deps...)
	}
	return out, nil
}

// expander expands group includes with cycle detection.
type expander struct {
	src    *source
	groups map[string]*rawGroup
	done   map[string][]Dependency
}

func (e *expander) expand(name string, stack []string) ([]Dependency, error) {
	if deps, ok := e.done[name]; ok {
		return deps, nil
	}
	g := e.groups[name]
	stack = append(stack, name)
	deps := slices.Clone(g.deps)
	for _, in := range g.includes {
		if _, ok := e.groups[in.group]; !ok {
			return nil, &GroupError{File: e.src.file, Line: in.line, Group: name, Unknown: in.group}
		}
		if i := slices.Index(stack, in.group); i >= 0 {
			cycle := append(slices.Clone(stack[i:]), in.group)
			return nil, &GroupError{File: e.src.file, Line: in.line, Group: in.group, Cycle: cycle}
		}
		sub, err := e.expand(in.group, stack)
		if err != nil {
			return nil, err
		}
		for _, d := range sub {
			if !containsDep(deps, d) {
				deps = append(deps, d)
			}
		}
	}
	e.done[name] = deps
	return deps, nil
}

// containsDep reports whether deps holds the very same declaration.
func containsDep(deps []Dependency, d Dependency) bool {
	return slices.ContainsFunc(deps, func(x Dependency) bool {
		return x.Section == d.Section && x.Line == d.Line && x.Text == d.Text
	})
}
