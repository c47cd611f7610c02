package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// checkOptions are the inputs of `pylock check`.
type checkOptions struct {
	*globals
}

func newCheckCmd(g *globals) *cobra.Command {
	opts := &checkOptions{globals: g}
	return &cobra.Command{
		Use:   "check",
		Short: "Tell whether pylock.toml still matches pyproject.toml",
		Long: `Compare the requirements recorded in pylock.toml with pyproject.toml, without the network.

Exit status:
  0  the lock matches pyproject.toml
  1  the lock is stale: each difference is printed; run pylock lock
  2  check cannot judge: no pylock.toml, or a file that does not parse`,
		Example: `  pylock check
  pylock --project services/api check`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCheck(cmd.Context(), opts)
		},
	}
}

func runCheck(_ context.Context, opts *checkOptions) error {
	p, err := project.New(opts.settings())
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	res, err := p.Check()
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if len(res.Differences) == 0 {
		opts.logf(0, "%s matches %s", res.LockPath, res.ProjectPath)
		return nil
	}
	for _, d := range res.Differences {
		fmt.Fprintf(opts.streams.Out, "%s\n", d)
	}
	return &exitError{code: exitFailure, err: fmt.Errorf("%s is stale (%d %s); run `pylock lock`",
		res.LockPath, len(res.Differences), plural(len(res.Differences), "difference", "differences"))}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
