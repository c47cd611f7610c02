package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// Exit codes shared by every command.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and failed (or, for check, the lock is stale)
	exitUsage   = 2 // bad flags or arguments, or check cannot judge
)

// version is set at link time with -ldflags "-X main.version=...".
var version = "dev"

// Streams are the input and output streams a command uses; tests inject
// their own.
type Streams struct {
	In       io.Reader
	Out, Err io.Writer
	// Terminal treats Out and Err as terminals whatever they are, as tests
	// do to see colours and progress; otherwise a stream is a terminal when
	// it is a character device.
	Terminal bool
}

// globals holds the flags every command shares.
type globals struct {
	streams  Streams
	project  string
	indexURL string
	extraURL []string
	cacheDir string
	verbose  int
	quiet    bool
	color    string // --color: auto, always or never
	ui       *ui
	// prepare, when set, runs before a command annotated largeHeap.
	prepare func()
	// offline, refresh and concurrency shape every request to the index.
	offline     bool
	refresh     bool
	concurrency int
}

// exitError carries an exit code out of a command's run function, with a
// message that has already been written (or none).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// Main runs pylock with the given arguments and returns its exit code.
func Main(args []string, streams Streams) int { return run(args, streams, nil) }

// run is Main with prepare, which the binary sets to tuneMemory.
func run(args []string, streams Streams, prepare func()) int {
	g := &globals{streams: streams, ui: newUI(streams, colorAuto, false), prepare: prepare}
	root := newRootCmd(g)
	root.SetArgs(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := root.ExecuteContext(ctx)
	g.ui.finish()
	if err == nil {
		return exitOK
	}
	var exit *exitError
	if errors.As(err, &exit) {
		if exit.err != nil && exit.err.Error() != "" {
			g.ui.errLine(g.ui.errorLine(exit.err))
			g.ui.hint(exit.err)
		}
		return exit.code
	}
	g.ui.errLine(g.ui.errorLine(err))
	g.ui.hint(err)
	if isUsageError(err) {
		return exitUsage
	}
	return exitFailure
}

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:           "pylock",
		Short:         "Lock a Python project's dependencies and install exactly the locked set",
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(g.streams.In)
	root.SetOut(g.streams.Out)
	root.SetErr(g.streams.Err)
	root.SetVersionTemplate("pylock {{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w; see `%s --help`", err, cmd.CommandPath())}
	})
	root.Args = unknownCommand
	root.SuggestionsMinimumDistance = 2
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	flags := root.PersistentFlags()
	flags.StringVar(&g.project, "project", ".", "the project `folder` (holding pyproject.toml)")
	flags.StringVar(&g.indexURL, "index-url", os.Getenv("PYLOCK_INDEX_URL"),
		"the default package index's Simple API `URL`, replacing pyproject.toml's default index and "+project.DefaultIndexURL+" (env PYLOCK_INDEX_URL)")
	flags.StringArrayVar(&g.extraURL, "extra-index-url", strings.Fields(os.Getenv("PYLOCK_EXTRA_INDEX_URL")),
		"another index `URL`, searched before the others (repeatable; env PYLOCK_EXTRA_INDEX_URL, space-separated)")
	flags.StringVar(&g.cacheDir, "cache-dir", os.Getenv("PYLOCK_CACHE_DIR"), "the cache `folder` (env PYLOCK_CACHE_DIR; default the XDG cache folder)")
	flags.CountVarP(&g.verbose, "verbose", "v", "say more (repeat for more)")
	flags.BoolVarP(&g.quiet, "quiet", "q", false, "say only errors, and draw no progress bar")
	flags.StringVar(&g.color, "color", colorAuto, "when to colour the output, by `WHEN`: auto (on a terminal, unless NO_COLOR is set), always or never")
	flags.BoolVar(&g.offline, "offline", false, "make no network request: answer from the cache only")
	flags.BoolVar(&g.refresh, "refresh", false, "revalidate every cached index page with the index, however fresh")
	flags.IntVar(&g.concurrency, "concurrency", project.DefaultConcurrency, "the most index requests in flight at once (`N`)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if err := g.check(); err != nil {
			return err
		}
		if g.prepare != nil && cmd.Annotations[largeHeap] != "" {
			g.prepare()
		}
		g.ui = newUI(g.streams, g.color, g.quiet)
		g.logStart()
		return nil
	}
	root.AddCommand(newLockCmd(g), newCheckCmd(g), newInstallCmd(g), newUpdateCmd(g), newExportCmd(g), newTreeCmd(g), newWhyCmd(g), newRunCmd(g), newVenvCmd(g), newAddCmd(g), newRemoveCmd(g))
	addHelpExamples(root)
	return root
}

// usageError marks an error in the command line itself.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func isUsageError(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

// versionString is "VERSION (commit C, goX.Y.Z)": the version set at link
// time, else the module version `go install ...@vX` records; the commit from
// the build's VCS stamp (with "+dirty" for a modified tree), else "unknown".
func versionString() string {
	v, commit, dirty := version, "unknown", ""
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision":
				commit = s.Value
			case s.Key == "vcs.modified" && s.Value == "true":
				dirty = "+dirty"
			}
		}
	}
	if commit != "unknown" {
		commit += dirty
	}
	return fmt.Sprintf("%s (commit %s, %s)", v, commit, runtime.Version())
}

// check rejects contradictory or out-of-range global flags.
func (g *globals) check() error {
	switch {
	case g.concurrency < 1:
		return usageError{fmt.Errorf("--concurrency must be at least 1, got %d", g.concurrency)}
	case g.offline && g.refresh:
		return usageError{errors.New("--offline and --refresh cannot be used together: refreshing needs the network; drop one of them")}
	case g.color != colorAuto && g.color != colorAlways && g.color != colorNever:
		return usageError{fmt.Errorf("--color %s: give auto, always or never", g.color)}
	}
	return nil
}

// settings turns the global flags into the workflows' settings.
func (g *globals) settings() project.Settings {
	return project.Settings{
		Dir:            g.project,
		IndexURL:       g.indexURL,
		ExtraIndexURLs: g.extraURL,
		CacheDir:       g.cacheDir,
		Log:            g.logf,

		Offline:     g.offline,
		Refresh:     g.refresh,
		Concurrency: g.concurrency,
		Progress:    g.ui.progress(),
	}
}

// logf writes a progress line to stderr unless -q was given.
func (g *globals) logf(level int, format string, args ...any) {
	if g.quiet || level > g.verbose {
		return
	}
	g.ui.errLine(fmt.Sprintf(format, args...))
}

// logStart logs, with -v, what produces this run's output: pylock's
// version and the indexes searched, without credentials.
func (g *globals) logStart() {
	if g.verbose < 1 || g.quiet {
		return
	}
	g.logf(1, "pylock %s", versionString())
	p, err := project.New(g.settings())
	if err != nil {
		return
	}
	for _, u := range p.IndexURLs() {
		g.logf(1, "index %s", u)
	}
}

// noArgs rejects positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("%s takes no arguments, got %q; see `%s --help`", cmd.CommandPath(), args[0], cmd.CommandPath())}
	}
	return nil
}

// unknownCommand rejects a first argument that names no command, as a
// usage error that suggests the nearest commands.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	next := "run `pylock help` to list the commands"
	if near := cmd.SuggestionsFor(args[0]); len(near) > 0 {
		next = "did you mean `pylock " + strings.Join(near, "` or `pylock ") + "`?"
	}
	return usageError{fmt.Errorf("unknown command %q; %s", args[0], next)}
}
