package venv

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pylock/pylock/pep440"
)

// realAnswer is what the machine's python3 answers to the query script.
func realAnswer(t *testing.T) []byte {
	t.Helper()
	out, err := runQuery(findPython(t).Executable)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fakePython writes, at path, a script that counts its runs in <path>.runs and
// prints answer, the way a python running the query script would.
func fakePython(t *testing.T, path string, answer []byte) {
	t.Helper()
	ans := path + ".answer"
	if err := os.WriteFile(ans, answer, 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := exec.LookPath("cat")
	if err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\necho run >> " + shellQuote(path+".runs") + "\n" + cat + " " + shellQuote(ans) + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

func fakeRuns(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path + ".runs")
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "run")
}

func TestFactsCacheKeying(t *testing.T) {
	answer := realAnswer(t)
	dir := t.TempDir()
	py := filepath.Join(dir, "python")
	fakePython(t, py, answer)
	link := filepath.Join(dir, "python-link")
	if err := os.Symlink("python", link); err != nil {
		t.Fatal(err)
	}
	cacheDir := filepath.Join(dir, "cache")
	later := time.Now().Add(time.Hour)
	steps := []struct {
		name     string
		change   func() error
		path     string
		cacheDir string
		wantRuns int
	}{
		{"first query runs it", nil, py, cacheDir, 1},
		{"second query is cached", nil, py, cacheDir, 1},
		{"touching the binary re-queries", func() error { return os.Chtimes(py, later, later) }, py, cacheDir, 2},
		{"then cached again", nil, py, cacheDir, 2},
		{"another size re-queries", func() error {
			fh, err := os.OpenFile(py, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			if _, err := fh.WriteString("# longer\n"); err != nil {
				return err
			}
			if err := fh.Close(); err != nil {
				return err
			}
			return os.Chtimes(py, later, later)
		}, py, cacheDir, 3},
		{"another path to it is its own entry", nil, link, cacheDir, 4},
		{"which is cached too", nil, link, cacheDir, 4},
		{"another cache folder knows nothing", nil, py, filepath.Join(dir, "other"), 5},
		{"no cache folder always runs", nil, py, "", 6},
	}
	for _, s := range steps {
		if s.change != nil {
			if err := s.change(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		f := &Finder{CacheDir: s.cacheDir}
		got, err := f.Query(s.path)
		if err != nil {
			t.Fatalf("%s: Query: %v", s.name, err)
		}
		if got.Path != s.path || got.Version.String() == "" {
			t.Errorf("%s: Query = path %q version %q", s.name, got.Path, got.Version)
		}
		if n := fakeRuns(t, py); n != s.wantRuns {
			t.Errorf("%s: interpreter ran %d times, want %d", s.name, n, s.wantRuns)
		}
	}
}

func TestFactsCacheVenvConfig(t *testing.T) {
	answer := realAnswer(t)
	root := t.TempDir()
	bin := filepath.Join(root, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	py := filepath.Join(bin, "python")
	fakePython(t, py, answer)
	cfg := filepath.Join(root, "pyvenv.cfg")
	f := &Finder{CacheDir: filepath.Join(root, "cache")}
	for i, text := range []string{"home = /a\n", "", "home = /b/c\n"} {
		if text != "" {
			if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.Query(py); err != nil {
			t.Fatal(err)
		}
		if want := []int{1, 1, 2}[i]; fakeRuns(t, py) != want {
			t.Errorf("after pyvenv.cfg %q: %d runs, want %d", text, fakeRuns(t, py), want)
		}
	}
}

// TestCachedFindRunsNothing plants a cache entry for a "python" that cannot
// answer the query: Find succeeds only by not running it.
func TestCachedFindRunsNothing(t *testing.T) {
	answer := realAnswer(t)
	dir := t.TempDir()
	py := filepath.Join(dir, "python3")
	if err := os.WriteFile(py, []byte("#!/bin/sh\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Finder{}).Find(nil, py); err == nil {
		t.Fatal("the broken python answers without a cache")
	}
	f := &Finder{CacheDir: filepath.Join(dir, "cache")}
	key, resolved, ok := f.cacheKey(py)
	if !ok {
		t.Fatal("no cache key")
	}
	f.writeCache(key, cachedFacts{Path: py, Resolved: resolved, Answer: answer})
	got, err := f.Find(nil, py)
	if err != nil {
		t.Fatalf("cached Find: %v", err)
	}
	if got.Path != py || f.queries != 0 {
		t.Errorf("cached Find = %q after %d queries", got.Path, f.queries)
	}
}

func TestCachedFindReal(t *testing.T) {
	req, _ := pep440.ParseSpecifierSet(">=3.8")
	f := &Finder{CacheDir: t.TempDir()}
	first, err := f.Find(req, "")
	if err != nil {
		t.Fatal(err)
	}
	ran := f.queries
	second, err := f.Find(req, "")
	if err != nil || second.Executable != first.Executable || second.Version.String() != first.Version.String() {
		t.Fatalf("second Find = %+v, %v", second, err)
	}
	if ran == 0 || f.queries != ran {
		t.Errorf("queries: %d for the first Find, %d more for the second, want >0 and 0", ran, f.queries-ran)
	}
}

// TestOpenDerivesFacts checks that opening a virtualenv pylock made runs no
// python when the base interpreter's facts are cached, and that the derived
// facts are the ones its own python reports.
func TestOpenDerivesFacts(t *testing.T) {
	req, _ := pep440.ParseSpecifierSet(">=3.8")
	cache := t.TempDir()
	f := &Finder{CacheDir: cache}
	base, err := f.Find(req, "")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "env")
	if _, err := CreateWith(dir, base, CreateOptions{Finder: f}); err != nil {
		t.Fatal(err)
	}
	again := &Finder{CacheDir: cache}
	env, err := again.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.queries != 0 {
		t.Errorf("Open ran python %d times, want 0", again.queries)
	}
	queried, err := Query(filepath.Join(dir, "bin", "python"))
	if err != nil {
		t.Fatal(err)
	}
	got, want := env.Python, queried
	if got.Path != want.Path || got.Executable != want.Executable || got.Prefix != want.Prefix ||
		got.BasePrefix != want.BasePrefix || got.Version.String() != want.Version.String() ||
		!reflect.DeepEqual(got.Env, want.Env) || !reflect.DeepEqual(got.Tags, want.Tags) || got.Scheme != want.Scheme {
		t.Errorf("derived facts differ from the queried ones:\n got %+v\nwant %+v", got, want)
	}
}
