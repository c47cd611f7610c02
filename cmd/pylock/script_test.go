package main

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"pylock": func() {
			os.Exit(Main(os.Args[1:], Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
		},
	})
}

// TestScripts runs the txtar scripts in testdata/script, one behaviour each,
// against the real pylock binary and a real index on 127.0.0.1.
//
// Each script gets its own index: the descriptions under index/ in the
// script's archive when it has them, else the repository's testdata/index.
// PYLOCK_INDEX_URL points at it, and PYLOCK_CACHE_DIR at a fresh folder.
func TestScripts(t *testing.T) {
	root, err := conformance.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			dir := filepath.Join(env.WorkDir, "index")
			if _, err := os.Stat(dir); err != nil {
				dir = filepath.Join(root, "testdata", "index")
			}
			srv, err := testindex.Start(dir, testindex.Options{})
			if err != nil {
				return err
			}
			servers.Store(env.WorkDir, srv)
			env.Defer(func() {
				servers.Delete(env.WorkDir)
				srv.Close()
			})
			env.Setenv("PYLOCK_INDEX_URL", srv.SimpleURL())
			env.Setenv("INDEX_ROOT", srv.URL())
			env.Setenv("PYLOCK_CACHE_DIR", filepath.Join(env.WorkDir, ".cache"))
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("PATH", os.Getenv("PATH"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"reindex": reindex},
	})
}

// servers maps each running script's work folder to its index server.
var servers sync.Map

// reindex is the script command `reindex`: the script's index server reloads
// the descriptions under index/, as an index does after an upload.
func reindex(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 0 {
		ts.Fatalf("usage: reindex")
	}
	v, ok := servers.Load(ts.Getenv("WORK"))
	if !ok {
		ts.Fatalf("reindex: no index server for this script")
	}
	ix, err := testindex.LoadDir(ts.MkAbs("index"))
	ts.Check(err)
	v.(*testindex.Server).SetIndex(ix)
}
