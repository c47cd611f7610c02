package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// treeOptions are the inputs of `pylock tree`.
type treeOptions struct {
	*globals
	depth   int
	invert  bool
	pkg     string
	json    bool
	printed map[string]bool
}

func newTreeCmd(g *globals) *cobra.Command {
	opts := &treeOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "tree",
		Short: "Print the locked dependency tree",
		Long: `Print the dependency tree of the project's locked packages, read from pylock.toml alone
(no network). A package whose subtree was already printed is marked (*).

--json writes the same tree as one JSON document:

  {"project": "demo", "project_version": "0.1.0", "invert": false,
   "roots": [{"name": "httpx", "version": "0.27.0", "repeated": false, "children": [...]}]}

roots are the project's requirements (with --package or --invert, the packages at the top),
children the packages each depends on (with --invert, those depending on it), and repeated
marks a package whose children were given earlier in the document.`,
		Example: `  pylock tree
  pylock tree --depth 1
  pylock tree --invert --package idna
  pylock tree --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTree(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.depth, "depth", -1, "print at most `N` levels below the top (-1: all)")
	cmd.Flags().BoolVar(&opts.invert, "invert", false, "print each package under the packages it depends on (who needs it)")
	cmd.Flags().StringVar(&opts.pkg, "package", "", "print only the tree of `PACKAGE`")
	cmd.Flags().BoolVar(&opts.json, "json", false, "write the tree as one JSON document on stdout")
	mustComplete(cmd, "package", completeLocked(g, true))
	return cmd
}

func runTree(_ context.Context, opts *treeOptions) error {
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	g, err := p.Graph()
	if err != nil {
		return err
	}
	tops, err := treeTops(g, opts, p.LockPath())
	if err != nil {
		return err
	}
	opts.printed = map[string]bool{}
	whole := opts.pkg == "" && !opts.invert
	roots := []*treeNode{}
	if whole {
		roots = opts.children(g, tops, 1)
	} else {
		for _, name := range tops {
			opts.printed[name] = true
			n := g.Nodes[name]
			roots = append(roots, &treeNode{Name: n.Name, Version: n.Version, Children: opts.children(g, opts.next(n), 1)})
		}
	}
	if opts.json {
		return opts.writeJSON(treeJSON{Project: g.Project, ProjectVersion: g.ProjectVersion, Invert: opts.invert, Roots: roots})
	}
	if whole {
		top := g.Project
		if g.ProjectVersion != "" {
			top += " v" + g.ProjectVersion
		}
		fmt.Fprintln(opts.streams.Out, top)
		writeTree(opts.streams.Out, roots, "")
		return nil
	}
	for _, n := range roots {
		fmt.Fprintf(opts.streams.Out, "%s v%s\n", n.Name, n.Version)
		writeTree(opts.streams.Out, n.Children, "")
	}
	return nil
}

// treeNode is one line of the tree and the lines under it.
type treeNode struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Repeated marks a package whose subtree was given earlier: its
	// children are left out.
	Repeated bool        `json:"repeated"`
	Children []*treeNode `json:"children"`
}

// treeJSON is tree's --json document.
type treeJSON struct {
	Project        string      `json:"project"`
	ProjectVersion string      `json:"project_version"`
	Invert         bool        `json:"invert"`
	Roots          []*treeNode `json:"roots"`
}

// treeTops lists the packages at the top of the tree.
func treeTops(g *project.Graph, opts *treeOptions, lockPath string) ([]string, error) {
	if opts.pkg != "" {
		n, err := g.Find(opts.pkg, lockPath)
		if err != nil {
			return nil, err
		}
		return []string{n.Name}, nil
	}
	if !opts.invert {
		return g.Roots, nil
	}
	var leaves []string
	for _, name := range g.Names() {
		if len(g.Nodes[name].Deps) == 0 {
			leaves = append(leaves, name)
		}
	}
	return leaves, nil
}

// next lists the packages printed under n.
func (opts *treeOptions) next(n *project.GraphNode) []string {
	if opts.invert {
		return n.Dependents
	}
	return n.Deps
}

// children builds the nodes under one node, at level (1 below the top),
// down to --depth; a package whose subtree was built before is repeated
// without its children.
func (opts *treeOptions) children(g *project.Graph, names []string, level int) []*treeNode {
	if opts.depth >= 0 && level > opts.depth {
		return []*treeNode{}
	}
	nodes := []*treeNode{}
	for _, name := range names {
		n, ok := g.Nodes[name]
		if !ok {
			continue
		}
		sub := opts.next(n)
		node := &treeNode{Name: n.Name, Version: n.Version, Repeated: opts.printed[name] && len(sub) > 0, Children: []*treeNode{}}
		nodes = append(nodes, node)
		if node.Repeated {
			continue
		}
		opts.printed[name] = true
		node.Children = opts.children(g, sub, level+1)
	}
	return nodes
}

// writeTree prints nodes as branches under prefix.
func writeTree(w io.Writer, nodes []*treeNode, prefix string) {
	for i, n := range nodes {
		branch, indent := "├── ", "│   "
		if i == len(nodes)-1 {
			branch, indent = "└── ", "    "
		}
		mark := ""
		if n.Repeated {
			mark = " (*)"
		}
		fmt.Fprintf(w, "%s%s v%s%s\n", prefix+branch, n.Name, n.Version, mark)
		writeTree(w, n.Children, prefix+indent)
	}
}
