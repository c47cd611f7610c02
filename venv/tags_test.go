package venv

import (
	"strings"
	"testing"
)

func tagStrings(q *queryResult) []string {
	var out []string
	for _, t := range supportedTags(q) {
		out = append(out, t.String())
	}
	return out
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func TestSupportedTags(t *testing.T) {
	linux := queryResult{VersionInfo: []int{3, 11, 7}, Impl: "cpython", Platform: "linux-x86_64",
		PointerBits: 64, Glibc: "2.36", Pymalloc: "1"}
	musl := queryResult{VersionInfo: []int{3, 12, 1}, Impl: "cpython", Platform: "linux-aarch64",
		PointerBits: 64, Musl: "1.2.4"}
	ft := queryResult{VersionInfo: []int{3, 13, 0}, Impl: "cpython", Platform: "linux-x86_64",
		PointerBits: 64, Glibc: "2.17", GILDisabled: "1"}
	old := queryResult{VersionInfo: []int{3, 7, 16}, Impl: "cpython", Platform: "linux-x86_64",
		PointerBits: 64, Glibc: "2.36", Pymalloc: "1"}
	mac := queryResult{VersionInfo: []int{3, 12, 0}, Impl: "cpython", Platform: "macosx-11.0-arm64", MacOS: "14.2"}
	pypy := queryResult{VersionInfo: []int{3, 10, 13}, Impl: "pypy", Platform: "linux-x86_64",
		PointerBits: 64, Glibc: "2.36", SOABI: "pypy310-pp73-x86_64-linux-gnu"}
	win := queryResult{VersionInfo: []int{3, 11, 0}, Impl: "cpython", Platform: "win-amd64"}
	tests := []struct {
		name    string
		q       queryResult
		first   string
		last    string
		ordered []string // must appear, in this order
		absent  []string
	}{
		{"glibc", linux, "cp311-cp311-manylinux_2_36_x86_64", "py30-none-any", []string{
			"cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64",
			"cp311-cp311-manylinux_2_5_x86_64", "cp311-cp311-manylinux1_x86_64", "cp311-cp311-linux_x86_64",
			"cp311-abi3-manylinux_2_36_x86_64", "cp311-none-linux_x86_64", "cp310-abi3-manylinux_2_36_x86_64",
			"cp32-abi3-linux_x86_64", "py311-none-manylinux_2_36_x86_64", "py3-none-linux_x86_64",
			"cp311-none-any", "py311-none-any", "py3-none-any", "py310-none-any"},
			[]string{"cp311-cp311-manylinux_2_4_x86_64", "cp31-abi3-linux_x86_64", "cp311-cp311-musllinux_1_0_x86_64"}},
		{"musl", musl, "cp312-cp312-musllinux_1_2_aarch64", "py30-none-any",
			[]string{"cp312-cp312-musllinux_1_0_aarch64", "cp312-cp312-linux_aarch64"},
			[]string{"cp312-cp312-manylinux2014_aarch64"}},
		{"free-threaded", ft, "cp313-cp313t-manylinux_2_17_x86_64", "py30-none-any",
			[]string{"cp313-cp313t-manylinux2014_x86_64", "cp313-none-manylinux_2_17_x86_64"},
			[]string{"cp313-abi3-manylinux_2_17_x86_64", "cp312-abi3-linux_x86_64"}},
		{"pymalloc 3.7", old, "cp37-cp37m-manylinux_2_36_x86_64", "py30-none-any",
			[]string{"cp37-abi3-linux_x86_64"}, nil},
		{"macos arm64", mac, "cp312-cp312-macosx_14_0_arm64", "py30-none-any",
			[]string{"cp312-cp312-macosx_14_0_universal2", "cp312-cp312-macosx_11_0_arm64"},
			[]string{"cp312-cp312-macosx_10_16_arm64"}},
		{"pypy", pypy, "pp310-pypy310_pp73-manylinux_2_36_x86_64", "py30-none-any",
			[]string{"pp310-none-linux_x86_64", "pp3-none-any", "py3-none-any"},
			[]string{"cp310-abi3-linux_x86_64"}},
		{"windows", win, "cp311-cp311-win_amd64", "py30-none-any", []string{"cp311-abi3-win_amd64"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tagStrings(&tt.q)
			if got[0] != tt.first || got[len(got)-1] != tt.last {
				t.Errorf("first, last = %s, %s; want %s, %s", got[0], got[len(got)-1], tt.first, tt.last)
			}
			prev := -1
			for _, s := range tt.ordered {
				i := indexOf(got, s)
				if i <= prev {
					t.Errorf("%s at %d, want after %d", s, i, prev)
				}
				prev = i
			}
			for _, s := range tt.absent {
				if indexOf(got, s) >= 0 {
					t.Errorf("%s present", s)
				}
			}
			seen := map[string]bool{}
			for _, s := range got {
				if seen[s] {
					t.Errorf("duplicate tag %s", s)
				}
				seen[s] = true
			}
		})
	}
}

func TestSupportedTagsMatchPackaging(t *testing.T) {
	linux := queryResult{VersionInfo: []int{3, 11, 7}, Impl: "cpython", Platform: "linux-x86_64",
		PointerBits: 64, Glibc: "2.36", Pymalloc: "1"}
	got := tagStrings(&linux)
	// 35 platforms (32 manylinux_2_Y, 3 legacy, linux) times (3 cp311 ABIs + 9 older abi3 + 13 pyXY)
	// plus 14 "any" tags.
	platforms := 32 + 3 + 1
	if want := platforms*(3+9+13) + 1 + 13; len(got) != want {
		t.Errorf("%d tags, want %d: %s", len(got), want, strings.Join(got[:5], " "))
	}
}
