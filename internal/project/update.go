package project

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// UpdateOptions are the inputs of Update.
type UpdateOptions struct {
	LockOptions
	// Packages are the packages whose locked versions are not preferred;
	// none means every package.
	Packages []string
	DryRun   bool // resolve and compare, but write nothing
}

// UpdateResult says what Update did.
type UpdateResult struct {
	LockResult
	Changes []PackageChange // sorted by name; empty when no package moved
}

// Change kinds of a PackageChange.
const (
	ChangeAdded      = "added"
	ChangeRemoved    = "removed"
	ChangeUpgraded   = "upgraded"
	ChangeDowngraded = "downgraded"
	ChangeChanged    = "changed" // several versions of one name, sets differ
)

// PackageChange is how one package's locked versions moved.
type PackageChange struct {
	Name string   // normalized name
	Kind string   // one of the Change* kinds
	Old  []string // versions before, sorted; empty when added
	New  []string // versions after, sorted; empty when removed
}

// String says the change in words, e.g. "idna 3.6 → 3.7".
func (c PackageChange) String() string {
	old, now := strings.Join(c.Old, ", "), strings.Join(c.New, ", ")
	switch c.Kind {
	case ChangeAdded:
		return fmt.Sprintf("%s %s", c.Name, now)
	case ChangeRemoved:
		return fmt.Sprintf("%s %s", c.Name, old)
	}
	return fmt.Sprintf("%s %s → %s", c.Name, old, now)
}

// NotLockedError reports an update of a package the lock does not hold.
type NotLockedError struct {
	Name string
	Path string
}

func (e *NotLockedError) Error() string {
	return fmt.Sprintf("package %q is not in %s; name a locked package, or run `pylock update` to update all", e.Name, e.Path)
}

// Update re-resolves the project preferring the existing lock's versions,
// except those of opts.Packages (all when none), writes the new lock unless
// opts.DryRun, and lists the packages that moved.
func (p *Project) Update(ctx context.Context, opts UpdateOptions) (*UpdateResult, error) {
	unlock, err := p.lockProject(ctx) // one writer of this pylock.toml at a time
	if err != nil {
		return nil, err
	}
	defer unlock()
	previous, err := p.readLock()
	if err != nil {
		return nil, err
	}
	if err := checkLocked(previous, opts.Packages, p.LockPath()); err != nil {
		return nil, err
	}
	lockOpts := opts.LockOptions
	lockOpts.UpgradePackages = opts.Packages
	lockOpts.Upgrade = lockOpts.Upgrade || len(opts.Packages) == 0
	file, lr, err := p.resolveLock(ctx, lockOpts, previous)
	if err != nil {
		return nil, err
	}
	result := &UpdateResult{LockResult: *lr, Changes: DiffLocks(previous, file)}
	old, _ := os.ReadFile(lr.Path)
	if bytes.Equal(old, file.Format()) {
		return result, nil
	}
	result.Changed = true
	if opts.DryRun {
		return result, nil
	}
	return result, lockfile.WriteFile(lr.Path, file)
}

// checkLocked reports the first of names the lock does not hold.
func checkLocked(lock *lockfile.File, names []string, path string) error {
	locked := versionsByName(lock)
	for _, name := range names {
		if _, ok := locked[pep508.NormalizeName(name)]; !ok {
			return &NotLockedError{Name: name, Path: path}
		}
	}
	return nil
}

// DiffLocks lists how the packages of now differ from those of old, by
// normalized name, comparing the set of versions each name has.
func DiffLocks(old, now *lockfile.File) []PackageChange {
	before, after := versionsByName(old), versionsByName(now)
	names := map[string][]string{}
	for name := range before {
		names[name] = nil
	}
	for name := range after {
		names[name] = nil
	}
	var out []PackageChange
	for _, name := range sortedKeys(names) {
		if c, ok := packageChange(name, before[name], after[name]); ok {
			out = append(out, c)
		}
	}
	return out
}

// packageChange compares one name's version sets.
func packageChange(name string, old, now []string) (PackageChange, bool) {
	c := PackageChange{Name: name, Old: old, New: now}
	switch {
	case slices.Equal(old, now):
		return c, false
	case len(old) == 0:
		c.Kind = ChangeAdded
	case len(now) == 0:
		c.Kind = ChangeRemoved
	case len(old) == 1 && len(now) == 1:
		c.Kind = ChangeUpgraded
		if orderVersions(now[0], old[0]) < 0 {
			c.Kind = ChangeDowngraded
		}
	default:
		c.Kind = ChangeChanged
	}
	return c, true
}

// versionsByName maps each normalized name to its sorted, distinct versions.
func versionsByName(lock *lockfile.File) map[string][]string {
	out := map[string][]string{}
	for _, pkg := range lock.Packages {
		name := pep508.NormalizeName(pkg.Name)
		if !slices.Contains(out[name], pkg.Version) {
			out[name] = append(out[name], pkg.Version)
		}
	}
	for _, versions := range out {
		sort.Slice(versions, func(i, j int) bool { return orderVersions(versions[i], versions[j]) < 0 })
	}
	return out
}

// orderVersions orders versions by PEP 440, falling back to text for
// ones that do not parse.
func orderVersions(a, b string) int {
	va, errA := pep440.Parse(a)
	vb, errB := pep440.Parse(b)
	if errA != nil || errB != nil {
		return strings.Compare(a, b)
	}
	return va.Compare(vb)
}
