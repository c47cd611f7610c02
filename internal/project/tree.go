package project

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep508"
)

// Graph is the dependency graph of a lock's packages, read from the
// `dependencies` entries of pylock.toml alone (no network).
type Graph struct {
	// Project is the project's name: pyproject.toml's, else its folder's.
	Project string
	// ProjectVersion is pyproject.toml's version; "" when absent or dynamic.
	ProjectVersion string
	// Roots are the names of the project's own requirements (every section
	// recorded in [tool.pylock]) that the lock holds, sorted; when none are
	// recorded, the packages no other package depends on.
	Roots []string
	// Nodes holds every locked package by normalized name.
	Nodes map[string]*GraphNode
}

// GraphNode is one locked package: every entry of that name merged.
type GraphNode struct {
	Name       string
	Version    string   // the locked versions, joined by ", " when several
	Deps       []string // names of the packages it depends on, sorted
	Dependents []string // names of the packages depending on it, sorted
}

// NotInLockError reports a package the lock does not hold.
type NotInLockError struct {
	Package  string
	LockPath string
}

func (e *NotInLockError) Error() string {
	return fmt.Sprintf("package %q is not in %s; run `pylock tree` to list the locked packages", e.Package, e.LockPath)
}

// Graph reads pylock.toml and returns its dependency graph.
func (p *Project) Graph() (*Graph, error) {
	lock, err := p.readLock()
	if err != nil {
		return nil, err
	}
	name, version := filepath.Base(p.dir), ""
	if proj := p.loadedProject(); proj != nil && proj.Name != "" {
		name, version = proj.Name, proj.Version
	}
	g := NewGraph(name, lock)
	g.ProjectVersion = version
	return g, nil
}

// NewGraph builds the dependency graph of lock for the project named name.
func NewGraph(name string, lock *lockfile.File) *Graph {
	g := &Graph{Project: name, Nodes: map[string]*GraphNode{}}
	for _, pkg := range lock.Packages {
		n := g.node(pkg.Name)
		if pkg.Version != "" && !slices.Contains(strings.Split(n.Version, ", "), pkg.Version) {
			n.Version = joinNonEmpty(n.Version, pkg.Version)
		}
		for _, d := range pkg.Dependencies {
			n.Deps = appendUnique(n.Deps, pep508.NormalizeName(d.Name))
		}
	}
	for _, n := range g.Nodes {
		for _, d := range n.Deps {
			if dep, ok := g.Nodes[d]; ok {
				dep.Dependents = appendUnique(dep.Dependents, n.Name)
			}
		}
	}
	for _, n := range g.Nodes {
		sort.Strings(n.Deps)
		sort.Strings(n.Dependents)
	}
	g.Roots = recordedRoots(lock, g.Nodes)
	if len(g.Roots) == 0 {
		for _, n := range g.Nodes {
			if len(n.Dependents) == 0 {
				g.Roots = append(g.Roots, n.Name)
			}
		}
		sort.Strings(g.Roots)
	}
	return g
}

// node returns the node named name, adding it when missing.
func (g *Graph) node(name string) *GraphNode {
	name = pep508.NormalizeName(name)
	n, ok := g.Nodes[name]
	if !ok {
		n = &GraphNode{Name: name}
		g.Nodes[name] = n
	}
	return n
}

// recordedRoots lists the locked packages the project requires directly.
func recordedRoots(lock *lockfile.File, nodes map[string]*GraphNode) []string {
	var roots []string
	for _, s := range lock.Pylock.Sections {
		for _, r := range s.Requirements {
			req, err := pep508.ParseRequirement(r)
			if err != nil {
				continue
			}
			if _, ok := nodes[req.NormalizedName()]; ok {
				roots = appendUnique(roots, req.NormalizedName())
			}
		}
	}
	sort.Strings(roots)
	return roots
}

// Find returns the locked package named name (any spelling), or a
// *NotInLockError naming lockPath.
func (g *Graph) Find(name, lockPath string) (*GraphNode, error) {
	n, ok := g.Nodes[pep508.NormalizeName(name)]
	if !ok {
		return nil, &NotInLockError{Package: name, LockPath: lockPath}
	}
	return n, nil
}

// Names returns the names of every locked package, sorted.
func (g *Graph) Names() []string {
	names := make([]string, 0, len(g.Nodes))
	for name := range g.Nodes {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Chains returns every path from the project to the package named name,
// each a list of package names starting at a root and ending at name, sorted.
func (g *Graph) Chains(name, lockPath string) ([][]string, error) {
	node, err := g.Find(name, lockPath)
	if err != nil {
		return nil, err
	}
	target := node.Name
	var chains [][]string
	var walk func(path []string)
	walk = func(path []string) {
		last := path[len(path)-1]
		if last == target {
			chains = append(chains, append([]string(nil), path...))
			return
		}
		for _, d := range g.Nodes[last].Deps {
			if _, ok := g.Nodes[d]; ok && !slices.Contains(path, d) {
				walk(append(path, d))
			}
		}
	}
	for _, r := range g.Roots {
		walk([]string{r})
	}
	sort.Slice(chains, func(i, j int) bool {
		return strings.Join(chains[i], " ") < strings.Join(chains[j], " ")
	})
	return chains, nil
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}
