package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// exitNotFound is the exit code of a run whose command does not exist, as
// shells use it.
const exitNotFound = 127

// runOptions are the inputs of `pylock run`: install's interpreter,
// virtualenv and selection flags, and --no-sync.
type runOptions struct {
	*installOptions
	noSync bool
}

func newRunCmd(g *globals) *cobra.Command {
	opts := &runOptions{installOptions: &installOptions{globals: g}}
	cmd := &cobra.Command{
		Use:         "run [flags] CMD [ARGS...]",
		Annotations: largeHeapCommand(),
		Short:       "Run a command in the project's virtualenv, synced with the lock first",
		Long: `Run CMD with its arguments inside the project's virtualenv (.venv, or --venv DIR).

First, unless --frozen is given, a lock that no longer matches pyproject.toml stops the run
with check's message. Then, unless --no-sync is given, the virtualenv is created or synced
when it lacks what pylock.toml selects (the project's dependencies, plus the groups named
with --with and the extras named with --extras), quietly, as pylock install would, except
that packages installed beyond the selection are kept. An existing virtualenv keeps its
interpreter unless --python names another.

CMD is looked up in the virtualenv's bin folder first, then on PATH. It runs with the
virtualenv's bin folder first on PATH, VIRTUAL_ENV set and PYTHONHOME unset, in the current
folder, with pylock's stdin, stdout and stderr. SIGINT and SIGTERM that pylock receives are
passed to it (Ctrl-C in a terminal reaches it directly), and pylock waits for it to end.
pylock exits with CMD's exit code, 128+N when a signal N killed it, or 127 when CMD
is not found.

Flags after CMD belong to CMD: pylock run pytest -x passes -x to pytest.`,
		Example: `  pylock run python -c 'import sys; print(sys.prefix)'
  pylock run --with dev pytest -x
  pylock run --frozen --no-sync mytool --help`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{fmt.Errorf("%s needs a command to run", cmd.CommandPath())}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd.Context(), opts, args)
		},
	}
	f := cmd.Flags()
	f.SetInterspersed(false)
	addSelectionFlags(cmd, opts.installOptions)
	f.BoolVar(&opts.noSync, "no-sync", false, "run in the virtualenv as it is, without syncing it")
	registerSelectionCompletion(cmd, g)
	return cmd
}

// addSelectionFlags registers the flags install and run share: the
// interpreter, the virtualenv, what to install from the lock, and --frozen.
func addSelectionFlags(cmd *cobra.Command, opts *installOptions) {
	f := cmd.Flags()
	f.StringVar(&opts.python, "python", "", "the interpreter to use (`PATH` or X.Y)")
	f.StringVar(&opts.venv, "venv", "", "the virtualenv `folder` (default .venv in the project)")
	f.StringArrayVar(&opts.groups, "with", nil, "also install this dependency `group` (repeatable)")
	f.StringArrayVar(&opts.extras, "extras", nil, "also install this `extra` (repeatable)")
	f.BoolVar(&opts.allExtras, "all-extras", false, "install every extra")
	f.BoolVar(&opts.frozen, "frozen", false, "use pylock.toml without checking it against pyproject.toml")
}

func runRun(ctx context.Context, opts *runOptions, argv []string) error {
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	prepared, err := p.PrepareRun(ctx, argv, project.RunOptions{Install: opts.projectOptions(), NoSync: opts.noSync})
	var notFound *project.CommandNotFoundError
	if errors.As(err, &notFound) {
		return &exitError{code: exitNotFound, err: err}
	}
	if err != nil {
		return err
	}
	if res := prepared.Sync; res != nil {
		opts.logf(1, "Synced %s (Python %s): installed %d, unchanged %d", res.Venv, res.Python, res.Installed, res.Unchanged)
	}
	cmd := prepared.Cmd
	cmd.Stdin, cmd.Stdout, cmd.Stderr = opts.streams.In, opts.streams.Out, opts.streams.Err
	code, err := runForwarding(cmd)
	if err != nil {
		return err
	}
	if code != exitOK {
		return &exitError{code: code, err: errors.New("")}
	}
	return nil
}

// forwardedSignals are the signals pylock passes on to the command it runs.
var forwardedSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// runForwarding starts cmd, passes it the signals pylock receives until it
// ends, and returns its exit code: 128+N when signal N killed it.
func runForwarding(cmd *exec.Cmd) (int, error) {
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, forwardedSignals...)
	defer signal.Stop(signals)
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	for {
		select {
		case sig := <-signals:
			if !childGotIt(sig) {
				_ = cmd.Process.Signal(sig) // it may have just ended
			}
		case err := <-waited:
			return exitCode(err)
		}
	}
}

// exitCode turns Wait's error into the command's exit code.
func exitCode(err error) (int, error) {
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return exitOK, err
	}
	if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return 128 + int(status.Signal()), nil
	}
	return exit.ExitCode(), nil
}
