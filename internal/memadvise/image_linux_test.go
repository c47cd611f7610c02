package memadvise

import (
	"reflect"
	"strings"
	"testing"
)

func TestMappings(t *testing.T) {
	tests := []struct {
		name, maps string
		want       []mapping
	}{
		{
			name: "code of a file",
			maps: "00400000-00956000 r-xp 00000000 fd:01 2345                               /usr/bin/pylock\n",
			want: []mapping{{start: 0x400000, end: 0x956000, device: "fd:01", inode: "2345"}},
		},
		{
			name: "writable data",
			maps: "00ece000-00f2d000 rw-p 00ace000 fd:01 2345 /usr/bin/pylock",
			want: []mapping{{start: 0xece000, end: 0xf2d000, writable: true, device: "fd:01", inode: "2345"}},
		},
		{
			name: "anonymous, no path",
			maps: "b7f00000-b7f40000 rw-p 00000000 00:00 0 \n",
			want: []mapping{{start: 0xb7f00000, end: 0xb7f40000, writable: true, device: "00:00", inode: "0"}},
		},
		{
			name: "path with spaces, deleted",
			maps: "5d1c0000-5d1d0000 r--p 00000000 08:02 77 /tmp/a b/pylock (deleted)\n",
			want: []mapping{{start: 0x5d1c0000, end: 0x5d1d0000, device: "08:02", inode: "77"}},
		},
		{
			name: "several lines",
			maps: "1000-2000 r--p 0 fd:01 9 /x\n2000-3000 r-xp 1000 fd:01 9 /x\n3000-4000 rw-p 2000 fd:01 9 /x\n",
			want: []mapping{
				{start: 0x1000, end: 0x2000, device: "fd:01", inode: "9"},
				{start: 0x2000, end: 0x3000, device: "fd:01", inode: "9"},
				{start: 0x3000, end: 0x4000, writable: true, device: "fd:01", inode: "9"},
			},
		},
		{
			name: "lines it cannot read",
			maps: "\nSize: 4 kB\nzz-10 r--p 0 fd:01 9\n10-zz r--p 0 fd:01 9\n10-20 r\n10-20 r--p 0 fd:01\n" + strings.Repeat("f", 17) + "-1 r--p 0 fd:01 9\n",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := collect(tt.maps); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("mappings(%q)\n got %+v\nwant %+v", tt.maps, got, tt.want)
			}
		})
	}
}

// collect returns the mappings that maps lists.
func collect(maps string) []mapping {
	var all []mapping
	for m := range mappings(maps) {
		all = append(all, m)
	}
	return all
}

func TestMappingOf(t *testing.T) {
	maps := "1000-2000 r--p 0 fd:01 1 /a\n2000-3000 r--p 0 fd:01 2 /b\n"
	for _, tt := range []struct {
		address uintptr
		inode   string
		ok      bool
	}{
		{0xfff, "", false},
		{0x1000, "1", true},
		{0x1fff, "1", true},
		{0x2000, "2", true},
		{0x3000, "", false},
	} {
		m, ok := mappingOf(maps, tt.address)
		if ok != tt.ok || m.inode != tt.inode {
			t.Errorf("mappingOf(%#x) = inode %q, %v; want %q, %v", tt.address, m.inode, ok, tt.inode, tt.ok)
		}
	}
}

// FuzzMappings checks that mappings reads any input without failing and
// keeps only lines whose bounds and file it read.
func FuzzMappings(f *testing.F) {
	f.Add("00400000-00956000 r-xp 00000000 fd:01 2345 /usr/bin/pylock\n7f04-7f05 rw-p 0 00:00 0\n")
	f.Add("10-20 r\n")
	f.Fuzz(func(t *testing.T, maps string) {
		for m := range mappings(maps) {
			if m.device == "" || m.inode == "" {
				t.Errorf("mapping %+v has no device or inode", m)
			}
			if !strings.Contains(maps, m.device+" "+m.inode) {
				t.Errorf("mapping %+v: file not in the input", m)
			}
		}
	})
}
