//go:build linux || darwin

package main

import (
	"os"
	"syscall"
	"unsafe"
)

// childGotIt reports whether a SIGINT came from the terminal, which sends it
// to its whole foreground process group, the command included: then
// passing it on would deliver it twice. That holds when stdin is a terminal
// whose foreground group is pylock's.
func childGotIt(sig os.Signal) bool {
	if sig != os.Interrupt {
		return false
	}
	var foreground int32
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, os.Stdin.Fd(), syscall.TIOCGPGRP, uintptr(unsafe.Pointer(&foreground)))
	return errno == 0 && int(foreground) == syscall.Getpgrp()
}
