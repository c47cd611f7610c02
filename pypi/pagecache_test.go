package pypi

import (
	"bytes"
	"testing"
	"time"
)

// TestPageEntryRoundTrip checks that a page's disk entry gives back its
// header and its body byte for byte, newlines included, and that an entry
// without a header line is a miss.
func TestPageEntryRoundTrip(t *testing.T) {
	for _, body := range [][]byte{nil, []byte("{}"), []byte("<html>\n<a href=\"x\">x</a>\n</html>\n"), {0, '\n', 0xff}} {
		in := &cachedPage{URL: "https://example.com/simple/x/", ContentType: "text/html", ETag: `"e\n1"`,
			Stored: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Lifetime: 600, Body: body}
		data, err := encodePage(in)
		if err != nil {
			t.Fatal(err)
		}
		out, ok := decodePage(data)
		if !ok {
			t.Fatalf("decodePage(%q) failed", data)
		}
		if out.URL != in.URL || out.ETag != in.ETag || !out.Stored.Equal(in.Stored) || out.Lifetime != in.Lifetime || !bytes.Equal(out.Body, in.Body) {
			t.Errorf("round trip of body %q: got %+v, want %+v", body, out, in)
		}
	}
	for _, data := range []string{"", `{"url":"https://example.com/"}`, "not json\nbody"} {
		if _, ok := decodePage([]byte(data)); ok {
			t.Errorf("decodePage(%q) succeeded", data)
		}
	}
}
