package venv

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pylock/pylock/internal/atomicfile"
)

// Finder finds and queries interpreters, remembering what each query answered
// in CacheDir so that an interpreter that has not changed is never run again.
// The zero Finder caches nothing.
//
// A cached answer is keyed by the path asked for, the interpreter's resolved
// path, the binary's modification time and size, the query script's text and,
// when the interpreter sits in a virtualenv, that pyvenv.cfg's time and size:
// touching or replacing the binary re-queries it.
type Finder struct {
	CacheDir  string // folder of cached answers; "" disables the cache
	PyenvRoot string // pyenv's root; "" means $PYENV_ROOT, else ~/.pyenv

	queries int // interpreters actually run, for tests
}

// FactsCache returns a Finder that caches interpreter facts in dir.
func FactsCache(dir string) *Finder {
	return &Finder{CacheDir: dir}
}

// cachedFacts is one cache file.
type cachedFacts struct {
	Path     string          `json:"path"`
	Resolved string          `json:"resolved"`
	Answer   json.RawMessage `json:"answer"`
}

// Query describes the interpreter at path, from the cache when it holds an
// answer for this very binary, else by running it once.
func (f *Finder) Query(path string) (*Interpreter, error) {
	key, resolved, ok := f.cacheKey(path)
	if ok {
		if q := f.readCache(key); q != nil {
			return fromQuery(path, q)
		}
	}
	out, err := f.run(path)
	if err != nil {
		return nil, err
	}
	var q queryResult
	if err := json.Unmarshal(out, &q); err != nil {
		return nil, &QueryError{Path: path, Reason: "unreadable answer", Err: err}
	}
	py, err := fromQuery(path, &q)
	if err == nil && ok {
		f.writeCache(key, cachedFacts{Path: path, Resolved: resolved, Answer: out})
		// The same facts hold for the real binary itself, which is what a
		// virtualenv's pyvenv.cfg names (see Open).
		if exeKey, _, exeOK := f.cacheKey(py.Executable); exeOK && exeKey != key {
			f.writeCache(exeKey, cachedFacts{Path: py.Executable, Resolved: py.Executable, Answer: out})
		}
	}
	return py, err
}

// cacheKey names the cache entry of path; ok is false when caching is off or
// the binary cannot be looked at.
func (f *Finder) cacheKey(path string) (key, resolved string, ok bool) {
	if f == nil || f.CacheDir == "" {
		return "", "", false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", "", false
	}
	resolved, err = filepath.EvalSymlinks(abs)
	if err != nil {
		return "", "", false
	}
	fi, err := os.Stat(resolved)
	if err != nil || isShim(resolved) {
		return "", "", false
	}
	h := sha256.New()
	fmt.Fprintf(h, "interpreter-facts-v1\x00%s\x00%s\x00%d\x00%d\x00", abs, resolved, fi.ModTime().UnixNano(), fi.Size())
	h.Write([]byte(queryScript))
	cfg := filepath.Join(filepath.Dir(filepath.Dir(abs)), "pyvenv.cfg")
	if ci, err := os.Stat(cfg); err == nil {
		fmt.Fprintf(h, "\x00%d\x00%d", ci.ModTime().UnixNano(), ci.Size())
	}
	return hex.EncodeToString(h.Sum(nil)), resolved, true
}

func (f *Finder) readCache(key string) *queryResult {
	data, err := os.ReadFile(filepath.Join(f.CacheDir, key+".json"))
	if err != nil {
		return nil
	}
	var c cachedFacts
	if json.Unmarshal(data, &c) != nil {
		return nil
	}
	var q queryResult
	if json.Unmarshal(c.Answer, &q) != nil {
		return nil
	}
	return &q
}

// writeCache stores an entry atomically (temporary file, then rename); a
// cache that cannot be written is not an error, only slower next time.
func (f *Finder) writeCache(key string, c cachedFacts) {
	data, err := json.Marshal(c)
	if err != nil {
		return
	}
	_ = atomicfile.Write(filepath.Join(f.CacheDir, key+".json"), data, atomicfile.Options{MkdirAll: true, Perm: 0o644})
}

// run executes the query script with the interpreter at path.
func (f *Finder) run(path string) ([]byte, error) {
	if f != nil {
		f.queries++
	}
	return runQuery(path)
}

// isShim reports whether path is a pyenv shim: a script in a "shims" folder.
func isShim(path string) bool {
	if filepath.Base(filepath.Dir(path)) != "shims" {
		return false
	}
	fh, err := os.Open(path)
	if err != nil {
		return false
	}
	defer fh.Close()
	head := make([]byte, 2)
	n, _ := fh.Read(head)
	return strings.HasPrefix(string(head[:n]), "#!")
}
