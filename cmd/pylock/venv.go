package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// venvOptions are the inputs of `pylock venv`.
type venvOptions struct {
	*globals
	project.VenvOptions
}

func newVenvCmd(g *globals) *cobra.Command {
	opts := &venvOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "venv [flags] [DIR]",
		Short: "Create the project's virtualenv without installing anything",
		Long: `Create the project's virtualenv in DIR (default .venv in the project), as pylock install
does, but install nothing into it. The interpreter satisfies pylock.toml's requires-python
(pyproject.toml's when there is no lock yet); --python picks one (a path or X.Y).

A virtualenv already in DIR for the same interpreter is kept as it is, and one pylock made
for another interpreter is replaced. Any other folder that is not empty is refused unless
--force is given.`,
		Example: `  pylock venv
  pylock venv --python 3.12
  pylock venv --python /usr/bin/python3.11 /tmp/env`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError{fmt.Errorf("%s takes at most one folder, got %q", cmd.CommandPath(), args)}
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return runVenv(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Python, "python", "", "the interpreter to use (`PATH` or X.Y)")
	f.BoolVar(&opts.Force, "force", false, "replace the folder even when pylock did not make it")
	return cmd
}

func runVenv(opts *venvOptions) error {
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	res, err := p.CreateVenv(opts.VenvOptions)
	if err != nil {
		return err
	}
	verb := "Kept"
	switch {
	case res.Created:
		verb = "Created"
	case res.Replaced:
		verb = "Replaced"
	}
	opts.logf(0, "%s virtualenv %s (Python %s, %s)", verb, res.Dir, res.Python, res.Base)
	return nil
}
