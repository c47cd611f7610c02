package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// exportOptions are the inputs of `pylock export`.
type exportOptions struct {
	*globals
	format    string
	groups    []string
	extras    []string
	allExtras bool
	output    string
}

// formatRequirements is the only export format.
const formatRequirements = "requirements.txt"

func newExportCmd(g *globals) *cobra.Command {
	opts := &exportOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the lock as a pinned, hashed requirements.txt",
		Long: `Write pylock.toml's packages for the project's dependencies, plus the dependency groups
named with --with and the extras named with --extras, as a requirements.txt for
pip install --require-hashes -r: one name==version line per package, a --hash for each of
its files (wheels and sdist), and its environment marker. Reads the lock alone (no network).

PEP 751's extras and dependency_groups marker variables mean nothing to pip, so they are
resolved by the selection: a package is written only when selected for the chosen groups
and extras, with the rest of its marker (the part about the environment).`,
		Example: `  pylock export --format requirements.txt -o requirements.txt
  pylock export --format requirements.txt --with test --extras cli`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExport(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.format, "format", formatRequirements, "the output `format` (only requirements.txt)")
	f.StringArrayVar(&opts.groups, "with", nil, "also export this dependency `group` (repeatable)")
	f.StringArrayVar(&opts.extras, "extras", nil, "also export this `extra` (repeatable)")
	f.BoolVar(&opts.allExtras, "all-extras", false, "export every extra")
	f.StringVarP(&opts.output, "output", "o", "", "write to `FILE` instead of stdout")
	registerSelectionCompletion(cmd, g)
	return cmd
}

func runExport(_ context.Context, opts *exportOptions) error {
	if opts.format != formatRequirements {
		return usageError{fmt.Errorf("unknown --format %q; the only format is %s", opts.format, formatRequirements)}
	}
	if opts.allExtras && len(opts.extras) > 0 {
		return usageError{errors.New("--all-extras and --extras cannot be used together; drop one of them")}
	}
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	out, err := p.ExportRequirements(project.ExportOptions{Groups: opts.groups, Extras: opts.extras, AllExtras: opts.allExtras})
	if err != nil {
		return err
	}
	if opts.output == "" {
		_, err = opts.streams.Out.Write(out)
		return err
	}
	if err := project.WriteFile(opts.output, out); err != nil {
		return err
	}
	opts.logf(0, "Wrote %s", opts.output)
	return nil
}
