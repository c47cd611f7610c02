package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// installOptions are the inputs of `pylock install`.
type installOptions struct {
	*globals
	python    string
	venv      string
	groups    []string
	extras    []string
	allExtras bool
	frozen    bool
}

func newInstallCmd(g *globals) *cobra.Command {
	opts := &installOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "install",
		Short: "Create the virtualenv and install exactly the locked packages",
		Long: `Create .venv in the project (or --venv DIR) with an interpreter that satisfies
requires-python, and install exactly the packages pylock.toml locks for that interpreter:
the project's dependencies, plus the dependency groups named with --with and the extras
named with --extras. Every file's sha256 is checked against the lock before it is unpacked.
Installed packages that the lock does not select are removed.

Unless --frozen is given, a lock that no longer matches pyproject.toml stops the install.`,
		Example: `  pylock install
  pylock install --with dev --extras socks
  pylock install --python 3.11 --venv /tmp/env`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runInstall(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.python, "python", "", "the interpreter to use (`PATH` or X.Y)")
	f.StringVar(&opts.venv, "venv", "", "the virtualenv `folder` (default .venv in the project)")
	f.StringArrayVar(&opts.groups, "with", nil, "also install this dependency `group` (repeatable)")
	f.StringArrayVar(&opts.extras, "extras", nil, "also install this `extra` (repeatable)")
	f.BoolVar(&opts.allExtras, "all-extras", false, "install every extra")
	f.BoolVar(&opts.frozen, "frozen", false, "install from pylock.toml without checking it against pyproject.toml")
	return cmd
}

func runInstall(ctx context.Context, opts *installOptions) error {
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	res, err := p.Install(ctx, project.InstallOptions{
		Python:    opts.python,
		VenvDir:   opts.venv,
		Groups:    opts.groups,
		Extras:    opts.extras,
		AllExtras: opts.allExtras,
		Frozen:    opts.frozen,
	})
	if err != nil {
		return err
	}
	for _, change := range res.Changes {
		opts.logf(1, " %s", change)
	}
	opts.logf(0, "Installed %d, removed %d, unchanged %d in %s (Python %s)",
		res.Installed, res.Removed, res.Unchanged, res.Venv, res.Python)
	return nil
}
