//go:build !linux

package venv

import (
	"io/fs"
	"time"
)

// changedAt is the file's modification time; on Linux it is the ctime.
func changedAt(info fs.FileInfo) time.Time {
	return info.ModTime()
}
