package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pylock/pylock/internal/project"
)

// A completion function of cobra: the values that complete a flag or an
// argument.
type completer = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective)

// completeSelections completes --with with the project's dependency
// groups, or, with extras set, --extras with its extras.
func completeSelections(g *globals, extras bool) completer {
	return func(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
		groups, extraNames, err := g.selections()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		names := groups
		if extras {
			names = extraNames
		}
		return withPrefix(names, prefix, nil), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeLocked completes with the names of the locked packages; only one
// value when single is set, else any number of distinct ones.
func completeLocked(g *globals, single bool) completer {
	return func(_ *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
		if single && len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		p, err := project.New(g.settings())
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		graph, err := p.Graph()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return withPrefix(graph.Names(), prefix, args), cobra.ShellCompDirectiveNoFileComp
	}
}

// withPrefix lists the names that start with prefix, except those given
// already.
func withPrefix(names []string, prefix string, given []string) []string {
	var out []string
	for _, name := range names {
		if strings.HasPrefix(name, prefix) && !slices.Contains(given, name) {
			out = append(out, name)
		}
	}
	return out
}

// selections reads the project's dependency groups and extras.
func (g *globals) selections() (groups, extras []string, err error) {
	p, err := project.New(g.settings())
	if err != nil {
		return nil, nil, err
	}
	return p.Selections()
}

// registerSelectionCompletion completes a command's --with and --extras.
func registerSelectionCompletion(cmd *cobra.Command, g *globals) {
	mustComplete(cmd, "with", completeSelections(g, false))
	mustComplete(cmd, "extras", completeSelections(g, true))
}

// mustComplete registers the completion of a flag the command defines.
func mustComplete(cmd *cobra.Command, flag string, complete completer) {
	if err := cmd.RegisterFlagCompletionFunc(flag, complete); err != nil {
		panic(err) // the command does not define the flag: a programming error
	}
}

// addHelpExamples adds cobra's own help and completion commands now, so
// that they get examples like every other command.
func addHelpExamples(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, cmd := range root.Commands() {
		switch cmd.Name() {
		case "help":
			cmd.Example = "  pylock help\n  pylock help lock"
		case "completion":
			cmd.Example = `  pylock completion bash > ~/.local/share/bash-completion/completions/pylock
  pylock completion zsh > "${fpath[1]}/_pylock"
  pylock completion fish > ~/.config/fish/completions/pylock.fish
  pylock completion powershell | Out-String | Invoke-Expression`
		}
	}
}
