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

// updateOptions are the inputs of `pylock update`.
type updateOptions struct {
	*globals
	project.UpdateOptions
	report   string
	exitCode bool
	json     bool
}

func newUpdateCmd(g *globals) *cobra.Command {
	opts := &updateOptions{globals: g}
	cmd := &cobra.Command{
		Use:         "update [PKG...]",
		Annotations: largeHeapCommand(),
		Short:       "Move locked packages to the newest versions the requirements allow",
		Long: `Resolve again, keeping the versions pylock.toml pins except those of the named packages
(every package when none is named), write pylock.toml, and print what changed: each package
added, removed, upgraded or downgraded, as "name old → new".

--report FILE writes the same list as Markdown (FILE ending in .md) or JSON (.json), e.g. for
a pull request's body. The JSON shape is:

  {"changed": true, "changes": [{"name": "idna", "kind": "upgraded", "old": ["3.6"], "new": ["3.7"]}]}

where kind is added, removed, upgraded, downgraded or changed (a universal lock's several
versions of one package changed as a set), and old / new list the versions before and after.

--json writes the same document on stdout, with two more fields, and the change lines on stderr:

  {"lock_file": "/home/me/demo/pylock.toml", "dry_run": false, "changed": true, "changes": [...]}

Exit status: 0 on success and 1 on failure. With --exit-code: 0 when the lock did not change,
1 when it changed, and 2 when the update failed, so a scheduled job can tell news from errors.`,
		Example: `  pylock update
  pylock update idna --dry-run
  pylock --refresh update --exit-code --report changes.md
  pylock update --dry-run --json`,
		ValidArgsFunction: completeLocked(g, false),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Packages = args
			return updateFailure(runUpdate(cmd.Context(), opts), opts.exitCode)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.DryRun, "dry-run", false, "print what would change, write nothing (a --report is still written)")
	f.StringVar(&opts.report, "report", "", "also write the changes to `FILE`: Markdown (.md) or JSON (.json)")
	f.BoolVar(&opts.exitCode, "exit-code", false, "exit 1 when the lock changed, 0 when not, 2 when the update failed")
	f.BoolVar(&opts.json, "json", false, "write the changes as one JSON document on stdout (the lines go to stderr)")
	return cmd
}

func runUpdate(ctx context.Context, opts *updateOptions) error {
	format, err := reportFormat(opts.report)
	if err != nil {
		return err
	}
	p, err := project.New(opts.settings())
	if err != nil {
		return err
	}
	res, err := p.Update(ctx, opts.UpdateOptions)
	var optErr *project.OptionError
	var notLocked *project.NotLockedError
	if errors.As(err, &optErr) || errors.As(err, &notLocked) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	printChanges(opts, res)
	if opts.json {
		if err := opts.writeJSON(updateJSON{LockFile: res.Path, DryRun: opts.DryRun, updateReport: newUpdateReport(res)}); err != nil {
			return err
		}
	}
	if format != nil {
		if err := project.WriteFile(opts.report, format(res)); err != nil {
			return err
		}
	}
	if opts.exitCode && res.Changed {
		return &exitError{code: exitFailure, err: errors.New("")}
	}
	return nil
}

// updateFailure gives a failed update exit status 2 under --exit-code,
// where 1 means "the lock changed".
func updateFailure(err error, exitCode bool) error {
	var exit *exitError
	if err == nil || !exitCode || errors.As(err, &exit) {
		return err
	}
	return &exitError{code: exitUsage, err: err}
}

// reportFormat picks the report writer by the file's extension.
func reportFormat(path string) (func(*project.UpdateResult) []byte, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case "":
		if path == "" {
			return nil, nil
		}
	case ".md":
		return markdownReport, nil
	case ".json":
		return jsonReport, nil
	}
	return nil, usageError{fmt.Errorf("--report %s: the file must end in .md or .json", path)}
}

// printChanges writes each change on stdout (on stderr with --json) and a
// summary on stderr.
func printChanges(opts *updateOptions, res *project.UpdateResult) {
	out, colour := opts.streams.Out, opts.ui.colorOut
	if opts.json {
		out, colour = opts.streams.Err, opts.ui.colorErr
	}
	for _, c := range res.Changes {
		fmt.Fprintf(out, "%s %s\n", paint(colour, updateColor(c.Kind), changeVerb(c.Kind)), c)
	}
	switch {
	case !res.Changed:
		opts.logf(0, "%s is up to date", res.Path)
	case opts.DryRun:
		opts.logf(0, "Would update %s (--dry-run: nothing written)", res.Path)
	default:
		opts.logf(0, "Updated %s", res.Path)
	}
}

// changeVerb is a change kind as a capitalised verb.
func changeVerb(kind string) string {
	if kind == "" {
		return ""
	}
	return strings.ToUpper(kind[:1]) + kind[1:]
}

// markdownReport is the changes as a Markdown table.
func markdownReport(res *project.UpdateResult) []byte {
	var b strings.Builder
	b.WriteString("## pylock update\n\n")
	if len(res.Changes) == 0 {
		b.WriteString("No locked package changed.\n")
		return []byte(b.String())
	}
	b.WriteString("| Package | Change | Old | New |\n|---|---|---|---|\n")
	for _, c := range res.Changes {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c.Name, c.Kind, strings.Join(c.Old, ", "), strings.Join(c.New, ", "))
	}
	return []byte(b.String())
}

// jsonChange is one change in the JSON report.
type jsonChange struct {
	Name string   `json:"name"`
	Kind string   `json:"kind"`
	Old  []string `json:"old"`
	New  []string `json:"new"`
}

// updateReport is the JSON report, in the shape update's help documents.
type updateReport struct {
	Changed bool         `json:"changed"`
	Changes []jsonChange `json:"changes"`
}

func newUpdateReport(res *project.UpdateResult) updateReport {
	report := updateReport{Changed: res.Changed, Changes: []jsonChange{}}
	for _, c := range res.Changes {
		report.Changes = append(report.Changes, jsonChange{Name: c.Name, Kind: c.Kind, Old: nonNil(c.Old), New: nonNil(c.New)})
	}
	return report
}

// jsonReport is the changes as JSON, in the shape update's help documents.
func jsonReport(res *project.UpdateResult) []byte {
	return marshalJSON(newUpdateReport(res))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
