package venv

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pylock/pylock/pep440"
)

// pyenvRoot is the folder pyenv keeps its versions in: PyenvRoot, else
// $PYENV_ROOT, else ~/.pyenv when it has versions, else the root of a pyenv
// shims folder on PATH.
func (f *Finder) pyenvRoot() string {
	if f != nil && f.PyenvRoot != "" {
		return f.PyenvRoot
	}
	if root := os.Getenv("PYENV_ROOT"); root != "" {
		return root
	}
	if home, err := os.UserHomeDir(); err == nil {
		if fi, err := os.Stat(filepath.Join(home, ".pyenv", "versions")); err == nil && fi.IsDir() {
			return filepath.Join(home, ".pyenv")
		}
	}
	return shimsRootOnPath()
}

// shimsRootOnPath returns the pyenv root whose shims folder is on PATH, "" if none.
func shimsRootOnPath() string {
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if filepath.Base(dir) != "shims" {
			continue
		}
		root := filepath.Dir(dir)
		if fi, err := os.Stat(filepath.Join(root, "versions")); err == nil && fi.IsDir() {
			return root
		}
	}
	return ""
}

// pyenvInterpreters lists pyenv's pythonX.Y binaries, newest version first;
// minor, when not "", keeps only that "X.Y".
func (f *Finder) pyenvInterpreters(minor string) []string {
	root := f.pyenvRoot()
	if root == "" {
		return nil
	}
	paths, _ := filepath.Glob(filepath.Join(root, "versions", "*", "bin", "python3.*"))
	type found struct {
		path string
		v    pep440.Version
	}
	var list []found
	for _, p := range paths {
		name := filepath.Base(p)
		m := strings.TrimPrefix(name, "python")
		if !isVersionHint(m) || strings.Count(m, ".") != 1 || (minor != "" && m != minor) {
			continue
		}
		v, err := pep440.Parse(filepath.Base(filepath.Dir(filepath.Dir(p))))
		if err != nil {
			continue
		}
		list = append(list, found{p, v})
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].v.Compare(list[j].v) > 0 })
	out := make([]string, len(list))
	for i, fd := range list {
		out[i] = fd.path
	}
	return out
}

// resolveShim turns a pyenv shim into the interpreter it would run, by reading
// the selected version (PYENV_VERSION, a .python-version file from the working
// folder up, or pyenv's global version file) and looking in that version's bin
// folder. ok is false when the shim cannot be resolved this cheaply.
func (f *Finder) resolveShim(path string) (string, bool) {
	if !isShim(path) {
		return path, true
	}
	root := filepath.Dir(filepath.Dir(path))
	for _, v := range pyenvSelected(root) {
		if v == "system" {
			return path, false
		}
		exe := filepath.Join(root, "versions", v, "bin", filepath.Base(path))
		if fi, err := os.Stat(exe); err == nil && !fi.IsDir() {
			return exe, true
		}
	}
	return path, false
}

// pyenvSelected returns the versions pyenv would select, in order.
func pyenvSelected(root string) []string {
	if env := os.Getenv("PYENV_VERSION"); env != "" {
		return strings.Split(env, ":")
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if vs := readVersionFile(filepath.Join(dir, ".python-version")); vs != nil {
				return vs
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	return readVersionFile(filepath.Join(root, "version"))
}

func readVersionFile(path string) []string {
	fh, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer fh.Close()
	var out []string
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		for _, w := range strings.Fields(sc.Text()) {
			if !strings.HasPrefix(w, "#") {
				out = append(out, w)
			}
		}
	}
	return out
}
