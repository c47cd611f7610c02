package venv

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// distRecord is one .dist-info directory and the files its RECORD lists.
type distRecord struct {
	distInfo string   // absolute, symlinks resolved
	files    []string // absolute, symlinks of the site directory resolved
	complete bool     // RECORD is readable, lists itself, and every file it lists exists
	hasRows  bool     // RECORD is readable and lists itself
}

// Repair brings the environment back to a consistent state after a sync that
// was interrupted (killed) at any point after since. It removes
//   - every .dist-info directory whose RECORD is missing, unreadable or cut
//     short (an install that did not finish),
//   - every distribution whose RECORD lists a file that is gone (an uninstall
//     that did not finish), with the files it still has,
//   - every file that no complete RECORD owns and that was created or linked
//     at or after since (what an unfinished install wrote before its RECORD),
//
// so that what Installed lists is exactly what is whole. Compiled bytecode in
// __pycache__ and the files that make the environment are left alone.
func (e *Env) Repair(since time.Time) error {
	root, err := filepath.EvalSymlinks(e.Dir)
	if err != nil {
		return &EnvError{Dir: e.Dir, Reason: "cannot resolve", Err: err}
	}
	dists, err := e.distRecords()
	if err != nil {
		return err
	}
	owned := map[string]bool{}
	for _, d := range dists {
		if d.complete {
			for _, f := range d.files {
				owned[f] = true
			}
			owned[d.distInfo] = true
		}
	}
	var removed []string
	for _, d := range dists {
		if !d.complete {
			removed = append(removed, e.removeBroken(root, d, owned)...)
		}
	}
	orphans, err := e.orphans(root, owned, since)
	if err != nil {
		return err
	}
	for _, p := range orphans {
		if err := removeFile(p); err != nil {
			return &EnvError{Dir: e.Dir, Reason: "cannot remove " + p, Err: err}
		}
	}
	e.prune(append(removed, e.unresolve(root, orphans)...))
	return nil
}

// distRecords reads every .dist-info directory of the environment.
func (e *Env) distRecords() ([]distRecord, error) {
	var out []distRecord
	for _, dir := range e.siteDirs() {
		site, err := filepath.EvalSymlinks(dir)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, &EnvError{Dir: dir, Reason: "cannot resolve site-packages", Err: err}
		}
		entries, err := os.ReadDir(site)
		if err != nil {
			return nil, &EnvError{Dir: dir, Reason: "cannot list site-packages", Err: err}
		}
		for _, ent := range entries {
			if ent.IsDir() && strings.HasSuffix(ent.Name(), ".dist-info") {
				out = append(out, readDistRecord(site, ent.Name()))
			}
		}
	}
	return out, nil
}

// readDistRecord reads the RECORD of site/name and checks its files exist.
func readDistRecord(site, name string) distRecord {
	d := distRecord{distInfo: filepath.Join(site, name)}
	data, err := os.ReadFile(filepath.Join(d.distInfo, "RECORD"))
	if err != nil {
		return d
	}
	rows, err := ParseRecord(data)
	if err != nil {
		return d
	}
	self := name + "/RECORD"
	d.complete = true
	for _, r := range rows {
		if r.Path == self {
			d.hasRows = true
		}
		p := filepath.Clean(filepath.Join(site, filepath.FromSlash(r.Path)))
		d.files = append(d.files, p)
		if strings.HasSuffix(p, ".pyc") {
			continue
		}
		if _, err := os.Lstat(p); err != nil {
			d.complete = false
		}
	}
	d.complete = d.complete && d.hasRows
	return d
}

// removeBroken removes an incomplete distribution: the files its RECORD lists,
// when it has one, and its .dist-info directory, but no file a complete
// distribution owns. It returns what it removed.
func (e *Env) removeBroken(root string, d distRecord, owned map[string]bool) []string {
	var removed []string
	if d.hasRows {
		for _, p := range d.files {
			if within(root, p) && p != root && !owned[p] && !e.protected(e.unresolveOne(root, p)) {
				removeFile(p)
				removed = append(removed, e.unresolveOne(root, p))
			}
		}
	}
	os.RemoveAll(d.distInfo)
	return append(removed, e.unresolveOne(root, d.distInfo))
}

// orphans lists the files below root that no complete RECORD owns and that
// changed at or after since, skipping __pycache__ and the environment's own
// files.
func (e *Env) orphans(root string, owned map[string]bool, since time.Time) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "__pycache__" || owned[p] {
				return filepath.SkipDir
			}
			return nil
		}
		if owned[p] || e.own(root, p) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !changedAt(info).Before(since) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, &EnvError{Dir: e.Dir, Reason: "cannot scan for unfinished installs", Err: err}
	}
	return out, nil
}

// own reports whether p (below root) is one of the environment's own files.
func (e *Env) own(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return true
	}
	switch rel {
	case LockFile, JournalFile, "pyvenv.cfg", "lib64":
		return true
	}
	if strings.HasPrefix(rel, JournalFile+".tmp") {
		return true
	}
	bin := filepath.FromSlash(e.Python.Scheme.Scripts) + string(filepath.Separator)
	if name, ok := strings.CutPrefix(rel, bin); ok && !strings.Contains(name, string(filepath.Separator)) {
		return strings.HasPrefix(name, "python") || strings.HasPrefix(name, "activate")
	}
	return false
}

// unresolve maps paths below the resolved root back below e.Dir.
func (e *Env) unresolve(root string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = e.unresolveOne(root, p)
	}
	return out
}

func (e *Env) unresolveOne(root, p string) string {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return p
	}
	return filepath.Join(e.Dir, rel)
}
