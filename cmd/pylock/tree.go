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
	printed map[string]bool
}

func newTreeCmd(g *globals) *cobra.Command {
	opts := &treeOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "tree",
		Short: "Print the locked dependency tree",
		Long: `Print the dependency tree of the project's locked packages, read from pylock.toml alone
(no network). A package whose subtree was already printed is marked (*).`,
		Example: `  pylock tree
  pylock tree --depth 1
  pylock tree --invert --package idna`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTree(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.depth, "depth", -1, "print at most `N` levels below the top (-1: all)")
	cmd.Flags().BoolVar(&opts.invert, "invert", false, "print each package under the packages it depends on (who needs it)")
	cmd.Flags().StringVar(&opts.pkg, "package", "", "print only the tree of `PACKAGE`")
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
	if opts.pkg == "" && !opts.invert {
		top := g.Project
		if g.ProjectVersion != "" {
			top += " v" + g.ProjectVersion
		}
		fmt.Fprintln(opts.streams.Out, top)
		opts.children(g, tops, "", 1)
		return nil
	}
	for _, name := range tops {
		n := g.Nodes[name]
		fmt.Fprintf(opts.streams.Out, "%s v%s\n", n.Name, n.Version)
		opts.printed[name] = true
		opts.children(g, opts.next(n), "", 1)
	}
	return nil
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

// children prints the packages under one node, indented by prefix.
func (opts *treeOptions) children(g *project.Graph, names []string, prefix string, level int) {
	if opts.depth >= 0 && level > opts.depth {
		return
	}
	var known []string
	for _, name := range names {
		if _, ok := g.Nodes[name]; ok {
			known = append(known, name)
		}
	}
	for i, name := range known {
		branch, indent := "├── ", "│   "
		if i == len(known)-1 {
			branch, indent = "└── ", "    "
		}
		n := g.Nodes[name]
		sub := opts.next(n)
		repeated := opts.printed[name] && len(sub) > 0
		writeTreeLine(opts.streams.Out, prefix+branch, n, repeated)
		if repeated {
			continue
		}
		opts.printed[name] = true
		opts.children(g, sub, prefix+indent, level+1)
	}
}

func writeTreeLine(w io.Writer, lead string, n *project.GraphNode, repeated bool) {
	mark := ""
	if repeated {
		mark = " (*)"
	}
	fmt.Fprintf(w, "%sv%s%s\n", lead+n.Name+" ", n.Version, mark)
}
