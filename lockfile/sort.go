package lockfile

import (
	"bytes"
	"slices"
	"sort"
	"strings"

	"github.com/pylock/pylock/pep440"
)

// Sort puts f in canonical order, the order Parse returns and Format writes:
// environments, extras and groups sorted; packages by name, then version (PEP
// 440 order), then marker, then their formatted text; each package's
// dependencies by name and version and its wheels by file name; [tool.pylock]
// sections by label with their requirements sorted. Index URLs keep their
// (priority) order.
func (f *File) Sort() {
	for _, l := range [][]string{f.Environments, f.Extras, f.DependencyGroups, f.DefaultGroups, f.Pylock.Environments} {
		sort.Strings(l)
	}
	for i := range f.Packages {
		sortPackage(&f.Packages[i])
	}
	sort.SliceStable(f.Packages, func(i, j int) bool {
		return comparePackages(&f.Packages[i], &f.Packages[j]) < 0
	})
	delete(f.Tool, "pylock")
	for i := range f.Pylock.Sections {
		sort.Strings(f.Pylock.Sections[i].Requirements)
	}
	sort.SliceStable(f.Pylock.Sections, func(i, j int) bool {
		return f.Pylock.Sections[i].Label < f.Pylock.Sections[j].Label
	})
}

// canonical returns a sorted copy of f that shares no slice f sorts.
func (f *File) canonical() *File {
	c := *f
	c.Environments = slices.Clone(f.Environments)
	c.Pylock.Environments = slices.Clone(f.Pylock.Environments)
	c.Extras = slices.Clone(f.Extras)
	c.DependencyGroups = slices.Clone(f.DependencyGroups)
	c.DefaultGroups = slices.Clone(f.DefaultGroups)
	c.Packages = slices.Clone(f.Packages)
	for i := range c.Packages {
		c.Packages[i].Dependencies = slices.Clone(c.Packages[i].Dependencies)
		c.Packages[i].Wheels = slices.Clone(c.Packages[i].Wheels)
	}
	if _, ok := f.Tool["pylock"]; ok {
		c.Tool = make(map[string]any, len(f.Tool))
		for k, v := range f.Tool {
			c.Tool[k] = v
		}
	}
	c.Pylock.Sections = slices.Clone(f.Pylock.Sections)
	for i := range c.Pylock.Sections {
		c.Pylock.Sections[i].Requirements = slices.Clone(c.Pylock.Sections[i].Requirements)
	}
	c.Sort()
	return &c
}

func sortPackage(p *Package) {
	sort.SliceStable(p.Wheels, func(i, j int) bool {
		a, b := &p.Wheels[i], &p.Wheels[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.URL != b.URL {
			return a.URL < b.URL
		}
		return a.Path < b.Path
	})
	sort.SliceStable(p.Dependencies, func(i, j int) bool {
		a, b := p.Dependencies[i], p.Dependencies[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if c := compareVersions(a.Version, b.Version); c != 0 {
			return c < 0
		}
		return dependencyInline(a) < dependencyInline(b)
	})
}

// compareVersions orders PEP 440 versions, unparsable ones after the rest,
// and equal versions by their spelling.
func compareVersions(a, b string) int {
	if a == b {
		return 0
	}
	va, errA := pep440.Parse(a)
	vb, errB := pep440.Parse(b)
	switch {
	case errA == nil && errB == nil:
		if c := va.Compare(vb); c != 0 {
			return c
		}
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}

func comparePackages(a, b *Package) int {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	if c := compareVersions(a.Version, b.Version); c != 0 {
		return c
	}
	if c := strings.Compare(a.Marker, b.Marker); c != 0 {
		return c
	}
	var ba, bb bytes.Buffer
	writePackage(&ba, a)
	writePackage(&bb, b)
	return bytes.Compare(ba.Bytes(), bb.Bytes())
}
