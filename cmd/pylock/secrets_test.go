package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pylock/pylock/internal/conformance"
	"github.com/pylock/pylock/internal/testindex"
)

// The credentials of the private index of TestSecretsNeverLeak.
const (
	plantedUser   = "carol"
	plantedSecret = "pl4nted-S3CRET-b7e2"
)

// secretIndex is the private index's packages: one of its own, one that
// depends on the public index.
var secretIndex = map[string]string{
	"corp-lib.toml": "module = \"corp_lib\"\n\n[[release]]\nversion = \"2.0\"\nrequires-dist = [\"idna>=3\"]\n",
}

// secretProject is the project's pyproject.toml; PRIVATE_URL is the
// private index's URL as the mode writes it.
const secretProject = `[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["corp-lib", "idna"]

[[tool.pylock.index]]
name = "private"
url = "PRIVATE_URL"
`

// secretRun is one run of TestSecretsNeverLeak: a project whose private
// index takes its password from one place (the mode).
type secretRun struct {
	t       *testing.T
	r       *pylockRunner
	mode    string // "url", "env" or "netrc"
	work    string
	dir     string // the project
	private *testindex.Server
	public  *testindex.Server
	tokens  []string // what must appear nowhere

	mu        sync.Mutex
	credsSeen []string // requests to the public index that carried credentials
}

// sawAtPublic records a request to the public index that carries
// credentials, which belong to the private index's host only.
func (s *secretRun) sawAtPublic(r *http.Request) {
	if r.Header.Get("Authorization") == "" && r.URL.User == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.credsSeen = append(s.credsSeen, r.Method+" "+r.URL.Path)
}

// TestSecretsNeverLeak plants an index password in the index URL (in
// pyproject.toml, and in PYLOCK_EXTRA_INDEX_URL), in
// PYLOCK_INDEX_<NAME>_PASSWORD and in a netrc file, runs every command,
// on its happy path and on its error paths (a wrong password, an index that
// answers garbage, redirects or is down, a resolution failure, a download
// that fails its hash), and greps every output stream and every file under
// the project, the virtualenv, the cache and the temporary folder for the
// password and for the Authorization header that carries it. No command may
// panic either.
func TestSecretsNeverLeak(t *testing.T) {
	for _, mode := range []string{"url", "extra-index-url", "env", "netrc"} {
		t.Run(mode, func(t *testing.T) {
			s := newSecretRun(t, mode)
			s.happyPaths()
			s.errorPaths()
			s.checkFiles()
		})
	}
}

func newSecretRun(t *testing.T, mode string) *secretRun {
	root, err := conformance.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	privDir := filepath.Join(work, "private-index")
	for name, text := range secretIndex {
		writeFile(t, filepath.Join(mkdir(t, privDir), name), []byte(text))
	}
	s := &secretRun{t: t, mode: mode, work: work, dir: mkdir(t, filepath.Join(work, "app"))}
	s.public = startIndex(t, filepath.Join(root, "testdata", "index"), testindex.Options{OnRequest: s.sawAtPublic})
	s.private = startIndex(t, privDir, testindex.Options{BasicAuth: plantedUser + ":" + plantedSecret})
	auth := base64.StdEncoding.EncodeToString([]byte(plantedUser + ":" + plantedSecret))
	s.tokens = []string{plantedSecret, auth}
	env := append(os.Environ(), helperEnv+"=1", "PYLOCK_INDEX_URL="+s.public.SimpleURL(),
		"PYLOCK_CACHE_DIR="+filepath.Join(work, "cache"), "HOME="+work, "TMPDIR="+mkdir(t, filepath.Join(work, "tmp")),
		"NETRC="+filepath.Join(work, "netrc"), "NO_COLOR=1")
	s.r = &pylockRunner{t: t, env: env}
	s.setPassword(plantedSecret)
	return s
}

func mkdir(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func startIndex(t *testing.T, dir string, opts testindex.Options) *testindex.Server {
	t.Helper()
	srv, err := testindex.Start(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// setPassword gives the private index's password where the mode keeps it.
func (s *secretRun) setPassword(password string) {
	host := strings.TrimPrefix(s.private.URL(), "http://")
	url := s.private.SimpleURL()
	netrc := ""
	project := secretProject
	switch s.mode {
	case "url":
		url = "http://" + plantedUser + ":" + password + "@" + host + "/simple/"
	case "extra-index-url":
		project, _, _ = strings.Cut(secretProject, "\n[[tool.pylock.index]]")
		s.r.env = append(s.r.env, "PYLOCK_EXTRA_INDEX_URL=http://"+plantedUser+":"+password+"@"+host+"/simple/")
	case "env":
		s.r.env = append(s.r.env, "PYLOCK_INDEX_PRIVATE_USERNAME="+plantedUser, "PYLOCK_INDEX_PRIVATE_PASSWORD="+password)
	case "netrc":
		netrc = fmt.Sprintf("machine %s\n  login %s\n  password %s\n", host, plantedUser, password)
	}
	writeFile(s.t, filepath.Join(s.work, "netrc"), []byte(netrc))
	writeFile(s.t, filepath.Join(s.dir, "pyproject.toml"), []byte(strings.Replace(project, "PRIVATE_URL", url, 1)))
}

// pylock runs pylock in the project, checks its output for the tokens and
// for a panic, and checks that it succeeded (ok) or failed (!ok).
func (s *secretRun) pylock(ok bool, args ...string) string {
	s.t.Helper()
	cmd := s.r.command(append([]string{"--project", s.dir}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	what := "pylock " + strings.Join(args, " ")
	s.t.Logf("%s: %s", what, time.Since(start).Round(time.Millisecond))
	for name, out := range map[string][]byte{"stdout": stdout.Bytes(), "stderr": stderr.Bytes()} {
		s.checkClean(what+" "+name, out)
		if panicRE.Match(out) {
			s.t.Errorf("%s panicked:\n%s", what, out)
		}
	}
	if ok != (err == nil) {
		s.t.Fatalf("%s: exit %v, want success %v\nstdout:\n%s\nstderr:\n%s", what, err, ok, &stdout, &stderr)
	}
	return stderr.String()
}

// panicRE matches what a Go panic prints.
var panicRE = regexp.MustCompile(`(?m)^(panic: |goroutine \d+ \[)`)

// checkClean fails when data holds a token.
func (s *secretRun) checkClean(where string, data []byte) {
	s.t.Helper()
	for _, tok := range s.tokens {
		if i := bytes.Index(data, []byte(tok)); i >= 0 {
			lo, hi := max(0, i-80), min(len(data), i+len(tok)+40)
			s.t.Errorf("%s holds the planted secret: ...%s...", where, data[lo:hi])
		}
	}
}

// happyPaths runs every command as it is meant to be used.
func (s *secretRun) happyPaths() {
	s.pylock(true, "-vvv", "lock")
	s.pylock(true, "lock", "--json", "--refresh")
	s.pylock(true, "-vv", "check")
	s.pylock(true, "check", "--json")
	s.pylock(true, "check", "--format", "github")
	s.pylock(true, "-vvv", "install")
	s.pylock(true, "install", "--json", "--dry-run")
	s.pylock(true, "-vv", "update")
	s.pylock(true, "update", "--json", "--dry-run", "idna")
	s.pylock(true, "export")
	s.pylock(true, "export", "-o", filepath.Join(s.dir, "requirements.txt"))
	s.pylock(true, "tree")
	s.pylock(true, "tree", "--json")
	s.pylock(true, "why", "idna")
	s.pylock(true, "-v", "venv", filepath.Join(s.work, "other-venv"))
	s.pylock(true, "-v", "run", "--", "python", "-c", "import corp_lib")
	s.pylock(true, "-vv", "add", "sniffio")
	s.pylock(true, "-vv", "remove", "sniffio")
}

// errorPaths runs the commands into each failure they report.
func (s *secretRun) errorPaths() {
	s.setPassword("wrong-" + plantedSecret)
	s.pylock(false, "-vvv", "lock", "--refresh")
	s.pylock(false, "-vv", "update")
	s.pylock(false, "-vv", "add", "anyio")
	s.setPassword(plantedSecret)

	s.private.Inject("/", testindex.Fault{Kind: testindex.FaultStatus, Status: 503, Times: 1})
	s.pylock(true, "-vvv", "lock", "--refresh")
	s.private.Inject("/", testindex.Fault{Kind: testindex.FaultMalformed})
	s.pylock(false, "-vvv", "lock", "--refresh")
	s.private.ClearFaults()
	s.private.Inject("/", testindex.Fault{Kind: testindex.FaultRedirect, Location: s.public.URL()})
	s.pylock(false, "-vvv", "lock", "--refresh")
	s.private.ClearFaults()

	s.pylock(false, "-vv", "add", "corp-lib==99")
	s.pylock(false, "-vv", "why", "no-such-package")

	lock := filepath.Join(s.dir, "pylock.toml")
	good := readFile(s.t, lock)
	tampered := regexp.MustCompile(`sha256 = "[0-9a-f]{64}"`).ReplaceAll(good, []byte(`sha256 = "`+strings.Repeat("0", 64)+`"`))
	writeFile(s.t, lock, tampered)
	removeAll(s.t, filepath.Join(s.work, "cache", "wheels-v1"), filepath.Join(s.work, "cache", "unpacked-v1"), filepath.Join(s.dir, ".venv"))
	s.pylock(false, "-vvv", "install")
	writeFile(s.t, lock, good)
	s.pylock(true, "install")

	if s.mode == "url" { // one mode is enough: the client retries for seconds
		s.private.Close()
		s.pylock(false, "-vvv", "lock", "--refresh")
	}
}

func removeAll(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
	}
}

// checkFiles greps every file under the project, the virtualenvs, the
// cache and the temporary folder for the tokens. With the password in the
// index URL, pyproject.toml holds it because the user wrote it there.
func (s *secretRun) checkFiles() {
	s.t.Helper()
	s.mu.Lock()
	if len(s.credsSeen) > 0 {
		s.t.Errorf("the public index was sent credentials: %v", s.credsSeen)
	}
	s.mu.Unlock()
	dirs := []string{s.dir, filepath.Join(s.work, "other-venv"), filepath.Join(s.work, "cache"), filepath.Join(s.work, "tmp")}
	files := 0
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && strings.HasPrefix(d.Name(), "testscript-main") {
				return filepath.SkipDir // the test harness's copy of this test binary
			}
			s.checkClean("the name "+path, []byte(path))
			if !d.Type().IsRegular() || s.mode == "url" && path == filepath.Join(s.dir, "pyproject.toml") {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			s.checkClean(path, data)
			return nil
		})
		if err != nil {
			s.t.Fatal(err)
		}
	}
	if files < 40 {
		s.t.Fatalf("only %d files were written; the commands did not run", files)
	}
}
