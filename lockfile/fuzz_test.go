package lockfile

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add(sample().Format())
	f.Add([]byte(head + "packages = []\n"))
	f.Add([]byte(head + "[[packages]]\nname = \"attrs\"\nversion = \"1.0\"\n" + wheelLine + "\n[tool.x]\ny = [1, 2.5, nan, 1979-05-27T07:32:00]\n"))
	f.Add([]byte(head + "[[packages]]\nname = \"x\"\nvcs = { type = \"git\", url = \"u\", commit-id = \"c\" }\n"))
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.toml"))
	for _, path := range seeds {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Parse("pylock.toml", data)
		if err != nil {
			return
		}
		out := a.Format()
		b, err := Parse("pylock.toml", out)
		if err != nil {
			t.Fatalf("formatted output does not parse: %v\n%s", err, out)
		}
		if again := b.Format(); !bytes.Equal(out, again) {
			t.Fatalf("format not stable:\n%s\n---\n%s", out, again)
		}
		// NaN is never DeepEqual to itself; the byte comparison covers it.
		if !strings.Contains(string(out), "nan") && !reflect.DeepEqual(a, b) {
			t.Fatalf("re-parse differs:\n%s\n%#v\n%#v", out, a, b)
		}
	})
}
