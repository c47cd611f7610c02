//go:build !unix

package project

import (
	"testing"
	"time"
)

// processCPU reports that the process's CPU time is not known here, so a
// benchmark reports its wall time alone.
func processCPU(*testing.B) (time.Duration, bool) { return 0, false }
