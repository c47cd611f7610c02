package pyproject

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// readMeta reads name, version and dynamic from [project], falling back to
// [tool.poetry] for name and version.
func (b *builder) readMeta() error {
	if _, err := b.src.table("project"); err != nil {
		return err
	}
	dynamic, _, err := b.src.strings("project", "dynamic")
	if err != nil {
		return err
	}
	b.p.Dynamic = dynamic
	b.dynamic = map[string]bool{}
	for i, field := range dynamic {
		if b.src.lookup("project", field) != nil {
			return b.src.fieldError([]string{"project", "dynamic", elem(i)},
				"%q is listed as dynamic but [project] also sets it", field)
		}
		b.dynamic[field] = true
	}
	for _, field := range []string{"name", "version"} {
		v, ok, err := b.src.str("project", field)
		if err != nil {
			return err
		}
		if !ok {
			if v, _, err = b.src.str("tool", "poetry", field); err != nil {
				return err
			}
		}
		if field == "name" {
			b.p.Name = v
		} else {
			b.p.Version = v
		}
	}
	return nil
}

// readMain reads the main dependencies: [project.dependencies] when it is
// declared, else [tool.poetry.dependencies].
func (b *builder) readMain() error {
	path := []string{"project", "dependencies"}
	if b.src.lookup(path...) == nil {
		if !b.hasPoetryMain && b.dynamic["dependencies"] {
			return b.dynamicError("dependencies")
		}
		b.p.Dependencies = b.poetryMain
		return nil
	}
	if b.hasPoetryMain && (len(b.poetryMain) > 0 || len(b.poetryOptional) > 0) {
		b.warn([]string{"tool", "poetry", "dependencies"},
			"[tool.poetry.dependencies] is ignored: [project.dependencies] is declared and takes precedence")
	}
	deps, err := b.pep508List(path, "[project.dependencies]")
	b.p.Dependencies = deps
	return err
}

func (b *builder) dynamicError(field string) error {
	return &DynamicError{File: b.src.file, Line: b.src.line("project", "dynamic"), Field: field}
}

// pep508List reads an array of PEP 508 strings.
func (b *builder) pep508List(path []string, section string) ([]Dependency, error) {
	texts, _, err := b.src.strings(path...)
	if err != nil {
		return nil, err
	}
	deps := make([]Dependency, 0, len(texts))
	for i, text := range texts {
		d, err := b.pep508Dep(text, section, sub(path, elem(i)))
		if err != nil {
			return nil, err
		}
		deps = append(deps, d)
	}
	return deps, nil
}

func (b *builder) pep508Dep(text, section string, path []string) (Dependency, error) {
	line := b.src.line(path...)
	r, err := pep508.ParseRequirement(text)
	if err != nil {
		return Dependency{}, &RequirementError{File: b.src.file, Line: line, Section: section, Text: text, Err: err}
	}
	return Dependency{Requirement: r, Text: text, Section: section, Line: line}, nil
}

// readRequiresPython reads project.requires-python, else Poetry's python.
func (b *builder) readRequiresPython() error {
	path := []string{"project", "requires-python"}
	text, ok, err := b.src.str(path...)
	if err != nil {
		return err
	}
	if ok {
		set, err := pep440.ParseSpecifierSet(text)
		if err != nil {
			return b.src.fieldError(path, "invalid specifier %q: %v", text, err)
		}
		if len(set) > 0 {
			b.p.RequiresPython = Constraint{set}
		}
		b.p.RequiresPythonLine = b.src.line(path...)
		if b.poetryPython != "" {
			b.warn([]string{"tool", "poetry", "dependencies", "python"},
				"python in [tool.poetry.dependencies] is ignored: project.requires-python takes precedence")
		}
		return nil
	}
	if b.poetryPython == "" {
		return nil
	}
	path = []string{"tool", "poetry", "dependencies", "python"}
	c, err := ParsePoetryConstraint(b.poetryPython)
	if err != nil {
		return b.src.fieldError(path, "%v", err)
	}
	b.p.RequiresPython = c
	b.p.RequiresPythonLine = b.src.line(path...)
	return nil
}

// readExtras reads [project.optional-dependencies] when declared, else
// [tool.poetry.extras].
func (b *builder) readExtras() error {
	path := []string{"project", "optional-dependencies"}
	tbl, err := b.src.table(path...)
	if err != nil {
		return err
	}
	if tbl == nil {
		if b.dynamic["optional-dependencies"] && b.src.lookup("tool", "poetry", "extras") == nil {
			return b.dynamicError("optional-dependencies")
		}
		return b.readPoetryExtras()
	}
	if b.src.lookup("tool", "poetry", "extras") != nil {
		b.warn([]string{"tool", "poetry", "extras"},
			"[tool.poetry.extras] is ignored: [project.optional-dependencies] is declared and takes precedence")
	}
	seen := map[string]string{}
	for _, name := range b.src.keys(path, tbl) {
		norm := pep508.NormalizeName(name)
		if prev, dup := seen[norm]; dup {
			return b.src.fieldError(sub(path, name), "extra %q is the same as %q once normalized", name, prev)
		}
		seen[norm] = name
		deps, err := b.pep508List(sub(path, name), fmt.Sprintf("[project.optional-dependencies.%s]", quoteKey(name)))
		if err != nil {
			return err
		}
		b.p.Extras = append(b.p.Extras, Extra{Name: norm, Dependencies: deps})
	}
	sortExtras(b.p.Extras)
	return nil
}

// readPoetryExtras builds extras from [tool.poetry.extras], whose entries
// name dependencies of [tool.poetry.dependencies] (usually optional ones).
func (b *builder) readPoetryExtras() error {
	path := []string{"tool", "poetry", "extras"}
	tbl, err := b.src.table(path...)
	if err != nil || tbl == nil {
		b.warnUnusedOptional(nil)
		return err
	}
	used := map[string]bool{}
	for _, name := range b.src.keys(path, tbl) {
		names, _, err := b.src.strings(sub(path, name)...)
		if err != nil {
			return err
		}
		extra := Extra{Name: pep508.NormalizeName(name)}
		for i, dep := range names {
			norm := pep508.NormalizeName(dep)
			found := append(slices.Clone(b.poetryOptional[norm]), b.mainNamed(norm)...)
			if len(found) == 0 {
				return b.src.fieldError(sub(path, name, elem(i)),
					"extra %q names %q, which [tool.poetry.dependencies] does not declare", name, dep)
			}
			used[norm] = true
			extra.Dependencies = append(extra.Dependencies, found...)
		}
		b.p.Extras = append(b.p.Extras, extra)
	}
	sortExtras(b.p.Extras)
	b.warnUnusedOptional(used)
	return nil
}

func (b *builder) mainNamed(norm string) []Dependency {
	var out []Dependency
	for _, d := range b.poetryMain {
		if d.Requirement.NormalizedName() == norm {
			out = append(out, d)
		}
	}
	return out
}

// warnUnusedOptional notes optional Poetry dependencies no extra names:
// Poetry never installs them.
func (b *builder) warnUnusedOptional(used map[string]bool) {
	for _, deps := range b.poetryOptional {
		for _, d := range deps {
			if !used[d.Requirement.NormalizedName()] {
				b.p.Warnings = append(b.p.Warnings, Warning{Line: d.Line, Message: fmt.Sprintf(
					"optional dependency %q is in no [tool.poetry.extras] entry, so it is never installed", d.Requirement.Name)})
			}
		}
	}
	slices.SortFunc(b.p.Warnings, func(x, y Warning) int {
		if x.Line != y.Line {
			return x.Line - y.Line
		}
		return strings.Compare(x.Message, y.Message)
	})
}
