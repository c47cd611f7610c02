package dist

import "testing"

func TestFormatSize(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"},
		{1, "1 bytes"},
		{1023, "1023 bytes"},
		{1 << 10, "1 KiB"},
		{3 << 10, "3 KiB"},
		{1<<20 + 1<<10, "1025 KiB"},
		{16 << 20, "16 MiB"},
		{1<<20 + 1, "1048577 bytes"},
		{2 << 30, "2 GiB"},
		{1<<30 + 1<<20, "1025 MiB"},
	} {
		if got := FormatSize(tt.n); got != tt.want {
			t.Errorf("FormatSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
