// Command testindex serves a folder of project descriptions as a package
// index on a local port until interrupted, printing its Simple API URL:
//
//	go run ./cmd/testindex -dir testdata/index -addr 127.0.0.1:8765
//
// See package internal/testindex for the description format and the
// endpoints.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/pylock/pylock/internal/testindex"
)

func main() {
	dir := flag.String("dir", "testdata/index", "folder of project description files (*.toml)")
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	noJSON := flag.Bool("no-json-api", false, "turn the PyPI JSON API off (Simple API only)")
	flag.Parse()
	if err := run(*dir, testindex.Options{Addr: *addr, NoJSONAPI: *noJSON}); err != nil {
		fmt.Fprintln(os.Stderr, "testindex:", err)
		os.Exit(1)
	}
}

func run(dir string, opts testindex.Options) error {
	srv, err := testindex.Start(dir, opts)
	if err != nil {
		return err
	}
	fmt.Println(srv.SimpleURL())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return srv.Close()
}
