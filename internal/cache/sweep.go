package cache

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// SweepInterval is how often Sweep looks through a cache folder.
const SweepInterval = 24 * time.Hour

// StaleAge is how old a temporary file or folder must be before Sweep takes
// it for one a killed pylock left behind; a younger one may belong to a
// pylock that is running now.
const StaleAge = time.Hour

// sweepStamp is the file, in the cache folder, whose modification time
// records the last sweep.
const sweepStamp = ".last-sweep"

// Sweep removes from the cache folder root the temporary files and folders
// (".tmp-*" and ".NAME.tmp-*" from atomic writes and unpacks, ".NAME.old-*"
// from swaps) that pylock processes killed mid-write left behind and that
// are older than StaleAge. It walks the folder at most once per
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
		if err != nil || path == root || !isLeftover(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if err != nil || now.Sub(info.ModTime()) < StaleAge {
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

// isLeftover reports whether name is one of pylock's temporary names.
func isLeftover(name string) bool {
	return strings.HasPrefix(name, ".") &&
		(strings.HasPrefix(name, ".tmp-") || strings.Contains(name, ".tmp-") || strings.Contains(name, ".old-"))
}
