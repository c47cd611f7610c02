package pypi

import (
	"context"
	"testing"
	"time"
)

// TestNewestMetadata checks that the newest release's metadata is handed
// out once a concurrent Project call has read a JSON API page, and that a
// page without it (the Simple API) ends the wait with ok false.
func TestNewestMetadata(t *testing.T) {
	for _, m := range modes[:3] {
		t.Run(m.name, func(t *testing.T) {
			srv := startIndex(t, m.opts)
			c := newClient(t, srv.SimpleURL(), "")
			type answer struct {
				deps int
				ok   bool
			}
			got := make(chan answer)
			go func() {
				md, ok := c.NewestMetadata(context.Background(), "Demo")
				got <- answer{len(md.RequiresDist), ok && md.Version == "2.0"}
			}()
			if _, err := c.Project(context.Background(), "demo"); err != nil {
				t.Fatal(err)
			}
			a := <-got
			if a.ok != m.jsonAPI || (a.ok && a.deps != 3) {
				t.Errorf("NewestMetadata = %d requirements, ok %v; want ok %v", a.deps, a.ok, m.jsonAPI)
			}
		})
	}
}

// TestNewestMetadataWaitEnds checks that NewestMetadata, which never asks
// the index itself, gives up when its context ends.
func TestNewestMetadataWaitEnds(t *testing.T) {
	c := newClient(t, startIndex(t, modes[0].opts).SimpleURL(), "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, ok := c.NewestMetadata(ctx, "demo"); ok {
		t.Error("NewestMetadata answered for a project nothing fetched")
	}
}

func TestPeekNewest(t *testing.T) {
	tests := []struct {
		name, page, want string // want: the version peeked, "" for none
	}{
		{"info first", `{"info":{"name":"a","version":"2.0","requires_dist":["b"]},"releases":{}}`, "2.0"},
		{"info after releases", `{"releases":{},"info":{"name":"a","version":"2.0"}}`, ""},
		{"not an object", `["info"]`, ""},
		{"broken info", `{"info":{"version":2}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := peekNewest([]byte(tt.page))
			got := ""
			if rec != nil {
				got = rec.Version
			}
			if got != tt.want {
				t.Errorf("peekNewest = %q, want %q", got, tt.want)
			}
		})
	}
}
