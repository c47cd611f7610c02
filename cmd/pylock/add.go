package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// addOptions are the inputs of `pylock add`.
type addOptions struct {
	*globals
	project.AddOptions
}

func newAddCmd(g *globals) *cobra.Command {
	opts := &addOptions{globals: g}
	cmd := &cobra.Command{
		Use:         "add REQ...",
		Annotations: largeHeapCommand(),
		Short:       "Add dependencies to pyproject.toml and lock",
		Long: `Add each requirement (PEP 508: "requests", "httpx[http2]>=0.27", "colorama; sys_platform == 'win32'")
to pyproject.toml, then lock as pylock lock does.

Without --group or --optional it goes to the main dependencies: [project] dependencies, or
[tool.poetry.dependencies] in a Poetry project. --group G adds to the dependency group G
([dependency-groups], or [tool.poetry.group.G.dependencies] in a Poetry project); --optional
EXTRA adds to the extra EXTRA ([project.optional-dependencies], or in a Poetry project an
optional = true dependency named in [tool.poetry.extras]). Missing tables are created.

A requirement without a version is locked first, then written with the locked version as its
lower bound: "requests>=2.31.0", or requests = "^2.31.0" in a Poetry project. A package the
list already holds (by normalized name) has its entry replaced in place; the same package in
another list is left alone. Everything else in pyproject.toml stays as written: comments, order,
quoting, indentation, trailing commas.

When locking fails (an unknown package, a conflict), pyproject.toml is put back byte for byte,
pylock.toml is not touched, and the resolver's explanation is printed.`,
		Example: `  pylock add requests
  pylock add "httpx[http2]>=0.27" "colorama; sys_platform == 'win32'"
  pylock add --group test pytest
  pylock add --optional socks pysocks`,
		Args: needArgs("a requirement"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneList(opts.Group, opts.Extra); err != nil {
				return err
			}
			opts.Requirements = args
			return runAdd(cmd.Context(), opts)
		},
	}
	addEditFlags(cmd, g, &opts.Group, &opts.Extra, &opts.LockOptions, "add to")
	return cmd
}

func runAdd(ctx context.Context, opts *addOptions) error {
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	res, err := p.Add(ctx, opts.AddOptions)
	var reqErr *project.RequirementArgError
	if errors.As(err, &reqErr) {
		return usageError{fmt.Errorf("%w; write it as PEP 508, e.g. \"requests>=2.31\"", err)}
	}
	return reportEdit(opts.globals, res, err)
}

// addEditFlags declares the flags add and remove share: the list to edit
// (completed with the project's groups and extras) and the lock policies.
func addEditFlags(cmd *cobra.Command, g *globals, group, extra *string, lock *project.LockOptions, verb string) {
	f := cmd.Flags()
	f.StringVar(group, "group", "", verb+" the dependency `GROUP`")
	f.StringVar(extra, "optional", "", verb+" the optional-dependency `EXTRA`")
	f.StringVar(&lock.Prerelease, "prerelease", "", "when to lock pre-releases, by `POLICY`: allow, disallow or if-necessary-or-explicit (default)")
	f.StringVar(&lock.Resolution, "resolution", "", "pick versions by `STRATEGY`: highest (default), lowest or lowest-direct")
	mustComplete(cmd, "group", completeSelections(g, false))
	mustComplete(cmd, "optional", completeSelections(g, true))
}

// oneList rejects --group with --optional as a usage error.
func oneList(group, extra string) error {
	if group != "" && extra != "" {
		return usageError{fmt.Errorf("--group %s and --optional %s cannot be used together: give one list to edit", group, extra)}
	}
	return nil
}

// needArgs rejects a command line without positional arguments as a usage
// error.
func needArgs(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return usageError{fmt.Errorf("%s needs %s; see `%s --help`", cmd.CommandPath(), what, cmd.CommandPath())}
		}
		return nil
	}
}

// reportEdit prints what add or remove changed, or turns its error into
// the command's.
func reportEdit(g *globals, res *project.EditResult, err error) error {
	var optErr *project.OptionError
	if errors.As(err, &optErr) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	for _, c := range res.Changes {
		g.logf(0, "%s", describeChange(c))
	}
	logLocked(g, res.Lock)
	return nil
}

// logLocked says what a lock resolved and whether it wrote the file.
func logLocked(g *globals, res *project.LockResult) {
	verb := "Wrote"
	if !res.Changed {
		verb = "Kept"
	}
	g.logf(0, "Resolved %d packages for Python %s", res.Packages, res.Python)
	g.logf(0, "%s %s", verb, res.Path)
}

// describeChange says one pyproject.toml change in words.
func describeChange(c project.EditChange) string {
	switch {
	case c.Old == "":
		return fmt.Sprintf("Added %s to %s", c.New, c.Section)
	case c.New == "":
		return fmt.Sprintf("Removed %s from %s", c.Old, c.Section)
	}
	return fmt.Sprintf("Changed %s to %s in %s", c.Old, c.New, c.Section)
}
