package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
)

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		// A child standing in for the pylock binary (see TestPylockHelper)
		// needs none of testscript's set-up, whose temporary folder a
		// child that is killed would leave behind.
		os.Exit(m.Run())
	}
	testscript.Main(m, map[string]func(){
		"pylock": func() {
			// PYLOCK_TEST_TERMINAL makes a script's pylock take its streams
			// for terminals, to show colours and progress. Like the binary,
			// it tunes its memory before a command that resolves or installs.
			terminal := os.Getenv("PYLOCK_TEST_TERMINAL") != ""
			os.Exit(run(os.Args[1:], Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Terminal: terminal}, tuneMemory))
		},
	})
}

// TestScripts runs the txtar scripts in testdata/script, one behaviour each,
// against the real pylock binary and a real index on 127.0.0.1.
//
// Each script gets its own index: the descriptions under index/ in the
// script's archive when it has them, else the repository's testdata/index.
// PYLOCK_INDEX_URL points at it, and PYLOCK_CACHE_DIR at a fresh folder;
// REPO_ROOT is the repository, for fixtures kept outside the scripts.
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
			env.Setenv("REPO_ROOT", root)
			env.Setenv("PYLOCK_CACHE_DIR", filepath.Join(env.WorkDir, ".cache"))
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("PATH", os.Getenv("PATH"))
			return startExtraIndexes(env)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"reindex": reindex, "stopindex": stopindex, "cirecipe": ciRecipe,
			"fault": fault, "hostilewheel": hostilewheel},
	})
}

// Credentials of the private index a script may start (see startPrivateIndex).
const (
	privateUser     = "alice"
	privatePassword = "pr1vate-s3cret-9d2f"
)

// startExtraIndexes starts the scripts' other indexes. The descriptions
// under index-extra/, when the script's archive has them, are served on a
// second index, EXTRA_INDEX_URL. Those under index-private/ are served on an
// index that requires basic auth as privateUser with privatePassword:
// PRIVATE_INDEX_URL is its Simple API URL (without credentials),
// PRIVATE_INDEX_HOST its host:port, and PRIVATE_USER and PRIVATE_PASSWORD
// the credentials.
func startExtraIndexes(env *testscript.Env) error {
	extra, err := startIndexIn(env, "index-extra", testindex.Options{})
	if err != nil {
		return err
	}
	if extra != nil {
		env.Setenv("EXTRA_INDEX_URL", extra.SimpleURL())
	}
	private, err := startIndexIn(env, "index-private", testindex.Options{BasicAuth: privateUser + ":" + privatePassword})
	if err != nil || private == nil {
		return err
	}
	env.Setenv("PRIVATE_INDEX_URL", private.SimpleURL())
	env.Setenv("PRIVATE_INDEX_HOST", strings.TrimPrefix(private.URL(), "http://"))
	env.Setenv("PRIVATE_USER", privateUser)
	env.Setenv("PRIVATE_PASSWORD", privatePassword)
	return nil
}

// startIndexIn serves the script's folder dir, when it has one, until the
// script ends; nil when it has none.
func startIndexIn(env *testscript.Env, dir string, opts testindex.Options) (*testindex.Server, error) {
	path := filepath.Join(env.WorkDir, dir)
	if _, err := os.Stat(path); err != nil {
		return nil, nil
	}
	srv, err := testindex.Start(path, opts)
	if err != nil {
		return nil, err
	}
	env.Defer(func() { srv.Close() })
	return srv, nil
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

// stopindex is the script command `stopindex`: the script's index server
// stops, so that any later request to it fails.
func stopindex(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 0 {
		ts.Fatalf("usage: stopindex")
	}
	v, ok := servers.Load(ts.Getenv("WORK"))
	if !ok {
		ts.Fatalf("stopindex: no index server for this script")
	}
	ts.Check(v.(*testindex.Server).Close())
}
