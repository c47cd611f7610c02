// Command pylock locks a Python project's dependencies into a PEP 751
// pylock.toml and installs exactly that set into a virtualenv.
//
// Usage:
//
//	pylock [--project DIR] [--index-url URL] [--cache-dir DIR] [-v|-q] COMMAND
//
// `pylock help` lists the commands; `pylock help COMMAND` describes each,
// with examples.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, tuneMemory))
}
