package main

import (
	"bytes"
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryCommandHasExample checks that `pylock help CMD` shows an example
// for every command, including cobra's help and completion.
func TestEveryCommandHasExample(t *testing.T) {
	var buf bytes.Buffer
	root := newRootCmd(&globals{streams: Streams{Out: &buf, Err: &buf}})
	var visit func(*cobra.Command)
	visit = func(cmd *cobra.Command) {
		for _, sub := range cmd.Commands() {
			if sub.Hidden || sub.Parent().Name() == "completion" {
				continue
			}
			if sub.Example == "" {
				t.Errorf("%s has no Example", sub.CommandPath())
			}
			visit(sub)
		}
	}
	visit(root)
	if len(root.Commands()) < 9 {
		t.Errorf("root has %d commands, want lock, check, install, update, export, tree, why, help and completion at least", len(root.Commands()))
	}
}
