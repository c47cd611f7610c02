package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// whyOptions are the inputs of `pylock why`.
type whyOptions struct {
	*globals
	pkg string
}

func newWhyCmd(g *globals) *cobra.Command {
	opts := &whyOptions{globals: g}
	return &cobra.Command{
		Use:   "why PACKAGE",
		Short: "Print every chain of dependencies from the project to a locked package",
		Long: `Print every chain of dependencies from the project to PACKAGE, read from pylock.toml alone
(no network), one line each: demo → httpx 0.27.0 → anyio 4.4.0 → idna 3.7`,
		Example: `  pylock why idna`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("%s takes one package name, got %d arguments; e.g. `pylock why idna`", cmd.CommandPath(), len(args))}
			}
			return nil
		},
		ValidArgsFunction: completeLocked(g, true),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.pkg = args[0]
			return runWhy(cmd.Context(), opts)
		},
	}
}

func runWhy(_ context.Context, opts *whyOptions) error {
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	g, err := p.Graph()
	if err != nil {
		return err
	}
	chains, err := g.Chains(opts.pkg, p.LockPath())
	if err != nil {
		return err
	}
	if len(chains) == 0 {
		return fmt.Errorf("package %q is locked but no chain of dependencies leads to it from %s; run `pylock lock` to drop it, or `pylock tree --invert --package %s` to see what needs it", opts.pkg, g.Project, opts.pkg)
	}
	for _, chain := range chains {
		parts := []string{g.Project}
		for _, name := range chain {
			parts = append(parts, name+" "+g.Nodes[name].Version)
		}
		fmt.Fprintln(opts.streams.Out, strings.Join(parts, " → "))
	}
	return nil
}
