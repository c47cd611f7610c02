package cache

import (
	"strconv"
	"testing"
)

// BenchmarkPut measures one atomic write of a 4 KiB entry (the size of a
// small index page or metadata record).
func BenchmarkPut(b *testing.B) {
	c, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	data := make([]byte, 4096)
	b.SetBytes(int64(len(data)))
	for i := 0; b.Loop(); i++ {
		if err := c.Put(Metadata, strconv.Itoa(i), data); err != nil {
			b.Fatal(err)
		}
	}
}
