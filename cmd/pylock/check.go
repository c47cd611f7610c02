package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// checkOptions are the inputs of `pylock check`.
type checkOptions struct {
	*globals
	format string // "text" or "github"
	json   bool
}

func newCheckCmd(g *globals) *cobra.Command {
	opts := &checkOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Tell whether pylock.toml still matches pyproject.toml",
		Long: `Compare the requirements recorded in pylock.toml with pyproject.toml, without the network.

Exit status:
  0  the lock matches pyproject.toml
  1  the lock is stale: each difference is printed; run pylock lock. Or the lock cannot be
     trusted (hand-edited into a contradiction, a file without a sha256, ...): each problem
     is printed on stderr with its line in pylock.toml
  2  check cannot judge: no pylock.toml, or a file that does not parse

--format github writes each difference, and the summary, as a GitHub Actions annotation
(::error file=pyproject.toml,line=N::message, the file relative to the project folder), so a
pull request shows it on the line that changed, and each problem of an untrusted lock on its
line of pylock.toml. The exit status is the same.

--json writes one JSON document on stdout instead (the summary still goes to stderr), with the
same exit status:

  {"lock_file": "/home/me/demo/pylock.toml", "pyproject": "/home/me/demo/pyproject.toml",
   "fresh": false, "differences": [{"file": "/home/me/demo/pyproject.toml", "line": 6,
   "section": "[project.dependencies]", "message": "` + "`anyio>=4`" + ` was added to [project.dependencies]"}]}

line is 0 when the entry was removed. "problems" lists what makes the lock untrustworthy (exit 1),
each with its file, line, package, version, field, kind and message. When check cannot judge
(exit 2), stdout stays empty and the error goes to stderr.`,
		Example: `  pylock check
  pylock check --format github
  pylock check --json
  pylock --project services/api check`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCheck(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "text", "how to write the differences, by `FORMAT`: text or github (Actions annotations)")
	cmd.Flags().BoolVar(&opts.json, "json", false, "write the result as one JSON document on stdout")
	return cmd
}

func runCheck(_ context.Context, opts *checkOptions) error {
	if opts.format != "text" && opts.format != "github" {
		return usageError{fmt.Errorf("--format %s: the format must be text or github", opts.format)}
	}
	if opts.json && opts.format != "text" {
		return usageError{errors.New("--json and --format github cannot be used together; pick one")}
	}
	p, err := project.New(opts.settings())
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	res, err := p.Check()
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if opts.json {
		if err := opts.writeJSON(newCheckJSON(res)); err != nil {
			return err
		}
	}
	if len(res.Problems) > 0 {
		if opts.format == "github" {
			writeProblemAnnotations(opts, res)
		}
		return &exitError{code: exitFailure, err: &project.UntrustedLockError{LockPath: res.LockPath, Problems: res.Problems}}
	}
	if len(res.Differences) == 0 {
		opts.logf(0, "%s matches %s", res.LockPath, res.ProjectPath)
		return nil
	}
	summary := errors.New(staleMessage(res.LockPath, len(res.Differences)))
	switch {
	case opts.json:
		return &exitError{code: exitFailure, err: summary}
	case opts.format == "github":
		writeAnnotations(opts, res)
		return &exitError{code: exitFailure, err: summary}
	}
	for _, d := range res.Differences {
		fmt.Fprintln(opts.streams.Out, opts.ui.differenceLine(d))
	}
	return &exitError{code: exitFailure, err: summary}
}

// writeAnnotations writes each difference and the summary as GitHub
// Actions error annotations, with files relative to the project folder.
func writeAnnotations(opts *checkOptions, res *project.CheckResult) {
	dir := filepath.Dir(res.ProjectPath)
	for _, d := range res.Differences {
		message := differenceMessage(d)
		props := "file=" + escapeProperty(relativeTo(dir, d.File))
		if d.Line > 0 {
			props += fmt.Sprintf(",line=%d", d.Line)
		}
		fmt.Fprintf(opts.streams.Out, "::error %s::%s\n", props, escapeData(message))
	}
	lock := relativeTo(dir, res.LockPath)
	fmt.Fprintf(opts.streams.Out, "::error file=%s::%s\n",
		escapeProperty(lock), escapeData(staleMessage(lock, len(res.Differences))))
}

// writeProblemAnnotations writes each integrity problem of the lock as a
// GitHub Actions error annotation on the lock's line.
func writeProblemAnnotations(opts *checkOptions, res *project.CheckResult) {
	lock := escapeProperty(relativeTo(filepath.Dir(res.ProjectPath), res.LockPath))
	for _, pr := range res.Problems {
		props := "file=" + lock
		message := pr.Error()
		if pr.File != "" {
			at := pr.File
			if pr.Line > 0 {
				props += fmt.Sprintf(",line=%d", pr.Line)
				at += fmt.Sprintf(":%d", pr.Line)
			}
			message = strings.TrimPrefix(message, at+": ")
		}
		fmt.Fprintf(opts.streams.Out, "::error %s::%s\n", props, escapeData(message))
	}
}

// staleMessage is check's summary of a stale lock.
func staleMessage(lock string, n int) string {
	return fmt.Sprintf("%s is stale (%d %s); run `pylock lock`", lock, n, plural(n, "difference", "differences"))
}

// relativeTo is path relative to dir, or path itself when it cannot be.
func relativeTo(dir, path string) string {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

// escapeData escapes an annotation's message as GitHub's workflow commands
// require.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes an annotation property's value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
