package venv

import (
	"io/fs"
	"syscall"
	"time"
)

// changedAt is the time the file's inode last changed (ctime): when it was
// written, or hard-linked into place, whatever its modification time says.
func changedAt(info fs.FileInfo) time.Time {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec)) // int32 fields on 32-bit Linux
	}
	return info.ModTime()
}
