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
	inexact   bool
	dryRun    bool
	linkMode  string
	force     bool
	noBuild   bool
	noRoot    bool
	unhashed  bool
	json      bool
}

func newInstallCmd(g *globals) *cobra.Command {
	opts := &installOptions{globals: g}
	cmd := &cobra.Command{
		Use:         "install",
		Annotations: largeHeapCommand(),
		Short:       "Create the virtualenv and install exactly the locked packages",
		Long: `Create .venv in the project (or --venv DIR) with an interpreter that satisfies
requires-python (an existing venv keeps its interpreter while the lock allows it; --python
picks another), and install exactly the packages pylock.toml locks for that interpreter:
the project's dependencies, plus the dependency groups named with --with and the extras
named with --extras. Every file's sha256 is checked against the lock before it is unpacked.
Installed packages that the lock does not select are removed, unless --inexact is given.

Before changing anything, install prints its plan: "+ name 1.0" to install, "- name 1.0"
to remove, "~ name 1.0 -> 2.0" to upgrade or downgrade (with -v also the unchanged
packages). --dry-run prints the plan and changes nothing, not even creating the virtualenv.

Each wheel is unpacked once into the cache and hard-linked from there into virtualenvs
(copied where links fail, or always with --link-mode copy).

A locked package with no wheel for the interpreter is built from its source distribution
(checked against the lock's sha256) through its PEP 517 build backend in a temporary build
virtualenv; the built wheel is cached by the sdist's sha256, so it is built once. --no-build
refuses to build instead.

When pyproject.toml has a [build-system], the project itself is installed editable (PEP 660)
the same way, through its backend's build_editable hook; --no-root skips it.

Unless --frozen is given, a lock that no longer matches pyproject.toml stops the install.

--json writes the plan and its outcome as one JSON document on stdout (the plan lines still go
to stderr):

  {"venv": "/home/me/demo/.venv", "python": "3.11.7", "dry_run": false, "created_venv": true,
   "changes": [{"name": "idna", "action": "install", "from": "", "to": "3.7"}],
   "installed": 1, "removed": 0, "unchanged": 0, "upgraded": 0, "downgraded": 0, "built": []}

action is install, upgrade, downgrade, remove or unchanged (every package the lock selects is
listed); from is the installed version, to the locked one; built lists the packages built from
their source distribution by this install.`,
		Example: `  pylock install
  pylock install --with dev --extras socks
  pylock install --python 3.11 --venv /tmp/env
  pylock install --dry-run
  pylock install --dry-run --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runInstall(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	addSelectionFlags(cmd, opts)
	f.BoolVar(&opts.inexact, "inexact", false, "keep installed packages that the lock does not select")
	f.BoolVar(&opts.dryRun, "dry-run", false, "print the plan and change nothing")
	f.StringVar(&opts.linkMode, "link-mode", "hardlink", "how files go from the cache into the virtualenv: `hardlink` or copy")
	f.BoolVar(&opts.noBuild, "no-build", false, "refuse to build packages that have only a source distribution")
	f.BoolVar(&opts.noRoot, "no-root", false, "do not install the project itself")
	f.BoolVar(&opts.unhashed, "allow-unhashed", false, "install files the lock has no sha256 for, unchecked")
	f.BoolVar(&opts.force, "force", false, "replace the venv folder even when pylock did not make it")
	f.BoolVar(&opts.json, "json", false, "write the plan and its outcome as one JSON document on stdout")
	registerSelectionCompletion(cmd, g)
	return cmd
}

func runInstall(ctx context.Context, opts *installOptions) error {
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	res, err := p.Install(ctx, opts.projectOptions())
	if err != nil {
		return err
	}
	printPlan(opts, res)
	if opts.json {
		return opts.writeJSON(newInstallJSON(res, opts.dryRun))
	}
	return nil
}

// projectOptions are the flags as the install workflow takes them.
func (opts *installOptions) projectOptions() project.InstallOptions {
	return project.InstallOptions{
		Python:    opts.python,
		VenvDir:   opts.venv,
		Groups:    opts.groups,
		Extras:    opts.extras,
		AllExtras: opts.allExtras,
		Frozen:    opts.frozen,
		Inexact:   opts.inexact,
		DryRun:    opts.dryRun,
		LinkMode:  opts.linkMode,
		Force:     opts.force,
		NoBuild:   opts.noBuild,
		NoRoot:    opts.noRoot,

		AllowUnhashed: opts.unhashed,
	}
}

// printPlan writes the plan, one line per change (-v: also the unchanged
// packages), then the summary.
func printPlan(opts *installOptions, res *project.InstallResult) {
	if opts.dryRun && res.CreatedVenv {
		opts.logf(0, "Would create virtualenv %s (Python %s)", res.Venv, res.Python)
	}
	for _, b := range res.Built {
		opts.logf(0, "Built %s from its source distribution", b)
	}
	for _, c := range res.Plan.Changes {
		level := 0
		if c.Kind == project.ChangeUnchanged {
			level = 1
		}
		opts.logf(level, "%s", opts.ui.planLine(c))
	}
	up, down := res.Plan.Count(project.ChangeUpgrade), res.Plan.Count(project.ChangeDowngrade)
	if opts.dryRun {
		opts.logf(0, "Would install %d (%d upgraded, %d downgraded), remove %d, leave %d unchanged in %s (Python %s)",
			res.Installed, up, down, res.Removed, res.Unchanged, res.Venv, res.Python)
		return
	}
	opts.logf(0, "Installed %d, removed %d, unchanged %d in %s (Python %s); %d upgraded, %d downgraded",
		res.Installed, res.Removed, res.Unchanged, res.Venv, res.Python, up, down)
}
