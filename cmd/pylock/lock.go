package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// lockOptions are the inputs of `pylock lock`.
type lockOptions struct {
	*globals
	python string
}

func newLockCmd(g *globals) *cobra.Command {
	opts := &lockOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "lock",
		Short: "Resolve pyproject.toml's requirements and write pylock.toml",
		Long: `Resolve the project's dependencies, optional dependencies (extras) and dependency groups
against the package index, and write pylock.toml: a PEP 751 lock file with every package pinned,
its index, and every wheel of the pinned version with its sha256.

The same pyproject.toml and the same index give a byte-identical pylock.toml.`,
		Example: `  pylock lock
  pylock --index-url https://pypi.example.com/simple lock`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLock(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.python, "python", "", "resolve for this interpreter (`PATH` or X.Y)")
	return cmd
}

func runLock(ctx context.Context, opts *lockOptions) error {
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	res, err := p.Lock(ctx, project.LockOptions{Python: opts.python})
	if err != nil {
		return err
	}
	verb := "Wrote"
	if !res.Changed {
		verb = "Kept"
	}
	opts.logf(0, "Resolved %d packages for Python %s", res.Packages, res.Python)
	opts.logf(0, "%s %s", verb, res.Path)
	return nil
}
