package main

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// lockOptions are the inputs of `pylock lock`.
type lockOptions struct {
	*globals
	project.LockOptions
	json bool
}

func newLockCmd(g *globals) *cobra.Command {
	opts := &lockOptions{globals: g}
	cmd := &cobra.Command{
		Use:         "lock",
		Annotations: largeHeapCommand(),
		Short:       "Resolve pyproject.toml's requirements and write pylock.toml",
		Long: `Resolve the project's dependencies, optional dependencies (extras) and dependency groups
against the package index, and write pylock.toml: a PEP 751 lock file with every package pinned,
its index, and every wheel (and the sdist) of the pinned version with its sha256.

The lock is universal: it serves every Python that requires-python allows, on every platform.
Where requirements diverge by marker (numpy>=2 for python_version >= "3.10", numpy<2 below),
the resolver forks and the lock holds one entry per (name, version) with the marker under which
it applies; pylock install picks exactly one version of each package for its interpreter.
[tool.pylock] environments = [...] in pyproject.toml narrows the lock to the environments listed.

Packages come from the package indexes: --extra-index-url ones first, then pyproject.toml's
[[tool.pylock.index]] (or [[tool.poetry.source]]) ones, then the default index (--index-url,
else the index marked default = true, else PyPI), then supplemental ones. Each package is
taken whole from the first index that has it, never mixing versions across indexes, unless
[tool.pylock.sources] pins it to a named index; explicit = true indexes serve only pinned
packages. The lock records each package's index. Credentials come from the index URL, from
PYLOCK_INDEX_<NAME>_USERNAME / _PASSWORD (NAME: the index name upper-cased, other characters
as "_"), or from ~/.netrc ($NETRC); they are sent only to that index's host and never written.

To lock for one target instead, name it: an interpreter on this machine (--python), or a CPython
version and platform described without one (--python-version, --python-platform).

When there is no pylock.toml yet but a poetry.lock, pdm.lock, uv.lock or pinned requirements*.txt
(looked for in that order), the versions pinned there are preferred, so moving from Poetry, PDM,
uv or pip-tools keeps them where pyproject.toml still allows; lock says which file it read and
lists each version it could not keep, and why.

The same pyproject.toml and the same index give a byte-identical pylock.toml. Versions the
existing pylock.toml pins are kept while they still satisfy the requirements (--upgrade drops
them), so a re-lock after an unrelated edit changes only what it must.

--prerelease, --resolution, --exclude-newer, --python-version and --python-platform are
recorded in [tool.pylock] settings; a later lock without the flag re-uses the recorded value
(give the default value, e.g. --resolution highest, to go back), and a lock with other values
does not keep the old pins. pylock check does not compare them: it judges pyproject.toml's
requirements, indexes and sources only. --allow-sdist, --no-build and --no-binary apply to one lock and are not
recorded.

--json writes what was locked as one JSON document on stdout (the lines still go to stderr):

  {"lock_file": "/home/me/demo/pylock.toml", "changed": true, "python": ">=3.9",
   "packages": [{"name": "idna", "versions": ["3.7"]}]}

changed is false when pylock.toml already held exactly this lock; python is requires-python
(or the one target's version); packages are sorted by name.`,
		Example: `  pylock lock
  pylock lock --python-version 3.12 --python-platform x86_64-manylinux_2_28
  pylock lock --resolution lowest-direct --exclude-newer 2024-06-01
  pylock --index-url https://pypi.example.com/simple lock
  pylock lock --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLock(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	o := &opts.LockOptions
	f.StringVar(&o.Python, "python", "", "lock for this interpreter only (`PATH` or X.Y), not universally")
	f.StringVar(&o.PythonVersion, "python-version", "", "resolve for this CPython `VERSION` (3.12 or 3.12.4) without running it")
	f.StringVar(&o.PythonPlatform, "python-platform", "", "the `PLATFORM` of --python-version: "+strings.Join(project.Platforms, ", ")+", or <arch>-manylinux_2_<minor> (default: this machine's)")
	f.StringVar(&o.Prerelease, "prerelease", "", "when to lock pre-releases, by `POLICY`: allow, disallow or if-necessary-or-explicit (default)")
	f.StringVar(&o.Resolution, "resolution", "", "pick versions by `STRATEGY`: highest (default), lowest or lowest-direct")
	f.StringVar(&o.ExcludeNewer, "exclude-newer", "", "ignore files uploaded after `TIME` (RFC 3339, or a date meaning its start in UTC)")
	f.BoolVar(&o.AllowSdist, "allow-sdist", false, "lock versions that only a source distribution provides for the target (pylock install builds them through PEP 517)")
	f.StringSliceVar(&o.NoBuild, "no-build", nil, "never use the source distributions of these `PACKAGES`")
	f.StringSliceVar(&o.NoBinary, "no-binary", nil, "never use the wheels of these `PACKAGES`")
	f.BoolVarP(&o.Upgrade, "upgrade", "U", false, "ignore the versions pylock.toml pins and take the newest allowed")
	f.BoolVar(&opts.json, "json", false, "write what was locked as one JSON document on stdout")
	return cmd
}

func runLock(ctx context.Context, opts *lockOptions) error {
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	res, err := p.Lock(ctx, opts.LockOptions)
	var optErr *project.OptionError
	var targetErr *project.TargetError
	if errors.As(err, &optErr) || errors.As(err, &targetErr) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	logLocked(opts.globals, res)
	if !opts.json {
		return nil
	}
	g, err := p.Graph()
	if err != nil {
		return err
	}
	return opts.writeJSON(newLockJSON(res, g))
}
