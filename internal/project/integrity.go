package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/pylock/pylock/internal/cache"
	"github.com/pylock/pylock/lockfile"
	"github.com/pylock/pylock/pypi"
)

// UntrustedLockError stops an install from a lock whose entries contradict
// each other, leave out what an install needs, or (without
// InstallOptions.AllowUnhashed) lack the hashes its downloads are checked
// against.
type UntrustedLockError struct {
	LockPath string
	Problems []*lockfile.IntegrityError
}

// Error lists every problem, one per line, and says what to do.
func (e *UntrustedLockError) Error() string {
	lines := make([]string, 0, len(e.Problems))
	unhashedOnly := true
	for _, p := range e.Problems {
		lines = append(lines, "  "+p.Error())
		unhashedOnly = unhashedOnly && p.Kind == lockfile.Unhashed
	}
	advice := "run `pylock lock` to write it again"
	if unhashedOnly {
		advice += ", or install with --allow-unhashed to trust its files unchecked"
	}
	return fmt.Sprintf("%s cannot be trusted (%d %s); %s:\n%s", e.LockPath, len(e.Problems),
		pluralWord(len(e.Problems), "problem", "problems"), advice, strings.Join(lines, "\n"))
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// readValidLock reads the project's lock file and validates it (see
// lockfile.ValidateFile): an error means the file cannot be judged.
func (p *Project) readValidLock() (*lockfile.File, []*lockfile.IntegrityError, error) {
	lock, problems, err := lockfile.ValidateFile(p.LockPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, &NoLockError{Path: p.LockPath()}
	}
	return lock, problems, err
}

// readTrustedLock reads the lock an install starts from, refusing one with
// integrity problems; unhashed files are let through when allowUnhashed is
// set.
func (p *Project) readTrustedLock(allowUnhashed bool) (*lockfile.File, error) {
	lock, problems, err := p.readValidLock()
	if err != nil {
		return nil, err
	}
	var refused []*lockfile.IntegrityError
	for _, pr := range problems {
		if pr.Kind != lockfile.Unhashed || !allowUnhashed {
			refused = append(refused, pr)
		}
	}
	if len(refused) > 0 {
		return nil, &UntrustedLockError{LockPath: p.LockPath(), Problems: refused}
	}
	return lock, nil
}

// hashUnhashed gives every wanted file that the lock has no sha256 for
// (which only --allow-unhashed lets through) the digest of what the index
// serves now: the file is downloaded into the cache's content-addressed
// store under that digest, so the install then proceeds as for a hashed
// file. The digest lives in memory only; the lock is not changed.
func (p *Project) hashUnhashed(ctx context.Context, wanted map[string]lockedWheel) error {
	var ix *pypi.Indexes
	for _, lw := range wanted {
		for _, file := range unhashedFiles(lw) {
			if ix == nil {
				var err error
				if ix, err = p.indexes(p.loadedProject()); err != nil {
					return err
				}
			}
			p.log(0, "warning: %s %s: %s has no sha256 in the lock; installing it unchecked", lw.pkg.Name, lw.pkg.Version, file.name)
			sha, err := p.storeUnhashed(ctx, ix, lw.pkg.Name, file.url)
			if err != nil {
				return err
			}
			file.hashes["sha256"] = sha
		}
	}
	return nil
}

// unhashedFile is a file of the lock without a sha256.
type unhashedFile struct {
	name, url string
	hashes    map[string]string // the lock entry's map, to fill in
}

// unhashedFiles lists the files of lw an install downloads that have no
// sha256, filling in their (empty) hash maps.
func unhashedFiles(lw lockedWheel) []unhashedFile {
	var out []unhashedFile
	if lw.wheel != nil && lw.wheel.Hashes["sha256"] == "" {
		if lw.wheel.Hashes == nil {
			lw.wheel.Hashes = map[string]string{}
		}
		out = append(out, unhashedFile{name: lw.wheel.Name, url: lw.wheel.URL, hashes: lw.wheel.Hashes})
	}
	if lw.wheel == nil && lw.editable == nil && lw.pkg.Sdist != nil && lw.pkg.Sdist.Hashes["sha256"] == "" {
		if lw.pkg.Sdist.Hashes == nil {
			lw.pkg.Sdist.Hashes = map[string]string{}
		}
		out = append(out, unhashedFile{name: lw.pkg.Sdist.Name, url: lw.pkg.Sdist.URL, hashes: lw.pkg.Sdist.Hashes})
	}
	return out
}

// storeUnhashed downloads a file unchecked into the cache's store of
// downloads and returns its sha256.
func (p *Project) storeUnhashed(ctx context.Context, ix *pypi.Indexes, name, fileURL string) (string, error) {
	root, err := p.cacheRoot()
	if err != nil {
		return "", err
	}
	c, err := cache.Open(root)
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(root, ".unhashed-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	if err := ix.Download(ctx, name, fileURL, "", io.MultiWriter(tmp, h)); err != nil {
		return "", err
	}
	sha := hex.EncodeToString(h.Sum(nil))
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	if _, err := c.PutBlob(cache.Wheels, sha, tmp); err != nil {
		return "", err
	}
	return sha, nil
}
