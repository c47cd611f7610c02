//go:build unix

package main

import (
	"os"
	"syscall"
	"time"
)

// readRusage reads a finished command's peak memory and CPU time from the
// rusage wait4 returned.
func readRusage(ps *os.ProcessState, s *sample) {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		s.maxRSS = int64(ru.Maxrss) * 1024 // int32 on 32-bit Linux
		s.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
}
