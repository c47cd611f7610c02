package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// removeOptions are the inputs of `pylock remove`.
type removeOptions struct {
	*globals
	project.RemoveOptions
}

func newRemoveCmd(g *globals) *cobra.Command {
	opts := &removeOptions{globals: g}
	cmd := &cobra.Command{
		Use:         "remove NAME...",
		Annotations: largeHeapCommand(),
		Short:       "Remove dependencies from pyproject.toml and lock",
		Long: `Remove every entry of each named package (matched by normalized name, so "PyYAML" finds
"pyyaml>=6") from pyproject.toml, then lock as pylock lock does.

Without --group or --optional the packages are removed from the main dependencies ([project]
dependencies, or [tool.poetry.dependencies], and then from every [tool.poetry.extras] entry);
--group G removes from the dependency group G, --optional EXTRA from the extra EXTRA (in a
Poetry project: from [tool.poetry.extras] EXTRA, and the dependency itself when no other extra
names it). Everything else in pyproject.toml stays as written; a removed entry's comment goes
with it.

A package the list does not declare is an error that names the tables searched and those that
do declare it. When locking fails, pyproject.toml is put back byte for byte and pylock.toml is
not touched.`,
		Example: `  pylock remove requests
  pylock remove --group test pytest pytest-cov
  pylock remove --optional socks pysocks`,
		Args:              needArgs("a package name"),
		ValidArgsFunction: completeLocked(g, false),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneList(opts.Group, opts.Extra); err != nil {
				return err
			}
			opts.Packages = args
			return runRemove(cmd.Context(), opts)
		},
	}
	addEditFlags(cmd, g, &opts.Group, &opts.Extra, &opts.LockOptions, "remove from")
	return cmd
}

func runRemove(ctx context.Context, opts *removeOptions) error {
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	res, err := p.Remove(ctx, opts.RemoveOptions)
	var notDeclared *project.NotDeclaredError
	if errors.As(err, &notDeclared) && len(notDeclared.DeclaredIn) > 0 {
		return fmt.Errorf("%w\nname the list to remove it from with --group GROUP or --optional EXTRA", err)
	}
	return reportEdit(opts.globals, res, err)
}
