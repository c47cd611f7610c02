package dist

import "fmt"

// FormatSize writes a byte count the way pylock states its limits on
// archives and responses: in the largest binary unit that divides it
// ("16 MiB"), else in bytes.
func FormatSize(n int64) string {
	for _, unit := range []struct {
		shift uint
		name  string
	}{{30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n >= 1<<unit.shift && n%(1<<unit.shift) == 0 {
			return fmt.Sprintf("%d %s", n>>unit.shift, unit.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}
