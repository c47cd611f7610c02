//go:build !unix

package main

import "os"

// readRusage reads a finished command's CPU time; where there is no rusage,
// its peak memory stays unknown (zero).
func readRusage(ps *os.ProcessState, s *sample) {
	s.cpu = ps.UserTime() + ps.SystemTime()
}
