package cache

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// SweepInterval is how often Sweep looks through a cache folder.
const SweepInterval = 24 * time.Hour

// StaleAge is how old a temporary file or folder must be before Sweep takes
// it for one a killed pylock left behind; a younger one may belong to a
// pylock that is running now.
const StaleAge = time.Hour

// DerivedAge is how long Sweep keeps an entry of a bucket that holds only
// what pylock can derive again (Parsed, whose keys change with every new
// body of a page, so old entries are never overwritten). An entry still in
// use is written anew, once, after it goes.
const DerivedAge = 7 * 24 * time.Hour

// derivedBuckets are the buckets whose entries Sweep removes after
// DerivedAge.
var derivedBuckets = []string{Parsed}

// sweepStamp is the file, in the cache folder, whose modification time
// records the last sweep.
const sweepStamp = ".last-sweep"

// Sweep removes from the cache folder root the temporary files and folders
// (".tmp-*" and ".NAME.tmp-*" from atomic writes and unpacks, ".NAME.old-*"
// from swaps) that pylock processes killed mid-write left behind and that
// are older than StaleAge, and the entries of derived buckets older than
// DerivedAge. It walks the folder at most once per
// SweepInterval, so a call when nothing is due costs one stat. It returns
// how many entries it removed; failures are ignored, since a sweep is
// housekeeping and the leftovers are harmless.
func Sweep(root string, now time.Time) int {
	stamp := filepath.Join(root, sweepStamp)
	if info, err := os.Stat(stamp); err == nil && now.Sub(info.ModTime()) < SweepInterval {
		return 0
	}
	if err := os.WriteFile(stamp, nil, 0o644); err != nil {
		return 0
	}
	_ = os.Chtimes(stamp, now, now)
	removed := 0
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == root {
			return nil
		}
		age, ok := sweepAge(root, path, d)
		if !ok {
			return nil
		}
		info, err := d.Info()
		if err != nil || now.Sub(info.ModTime()) < age {
			return nil
		}
		if os.RemoveAll(path) == nil {
			removed++
		}
		if d.IsDir() {
			return fs.SkipDir
		}
		return nil
	})
	return removed
}

// sweepAge is the age from which Sweep removes path; ok is false when it
// never does.
func sweepAge(root, path string, d fs.DirEntry) (age time.Duration, ok bool) {
	if isLeftover(d.Name()) {
		return StaleAge, true
	}
	rel, err := filepath.Rel(root, path)
	if err != nil || d.IsDir() {
		return 0, false
	}
	bucket, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	return DerivedAge, slices.Contains(derivedBuckets, bucket)
}

// isLeftover reports whether name is one of pylock's temporary names.
func isLeftover(name string) bool {
	return strings.HasPrefix(name, ".") &&
		(strings.HasPrefix(name, ".tmp-") || strings.Contains(name, ".tmp-") || strings.Contains(name, ".old-"))
}
