package project

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
	"github.com/pylock/pylock/venv"
)

// TargetError reports a target Python version or platform pylock cannot
// describe.
type TargetError struct {
	Option string // "python-version" or "python-platform"
	Value  string
	Reason string
}

func (e *TargetError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Option, e.Value, e.Reason)
}

// platform is a target operating system and machine, and the wheel platform
// tags it accepts, best first.
type platform struct {
	sysPlatform, system, machine, osName string
	tags                                 []string
}

// Platforms lists the values LockOptions.PythonPlatform accepts besides
// "<arch>-manylinux_2_<minor>" and "<arch>-manylinux<year>"; each is named
// as uv names it.
var Platforms = []string{
	"linux", "x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu",
	"x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl",
	"macos", "aarch64-apple-darwin", "x86_64-apple-darwin",
	"windows", "x86_64-pc-windows-msvc", "aarch64-pc-windows-msvc", "i686-pc-windows-msvc",
}

// defaultGlibc is the glibc minor version of the generic Linux targets (as
// uv's x86_64-unknown-linux-gnu means manylinux_2_28).
const defaultGlibc = 28

// defaultMacOS is the macOS major version of the macOS targets, as uv's
// default deployment target: wheels for it and older versions fit.
const defaultMacOS = 13

// parsePlatform reads a target platform name; "" means the platform pylock
// runs on.
func parsePlatform(name string) (platform, error) {
	if name == "" {
		name = hostPlatform()
	}
	arch, rest, _ := strings.Cut(name, "-")
	switch name {
	case "linux":
		return linuxPlatform("x86_64", defaultGlibc), nil
	case "x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu":
		return linuxPlatform(arch, defaultGlibc), nil
	case "x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl":
		return muslPlatform(arch), nil
	case "macos", "aarch64-apple-darwin":
		return macPlatform("arm64", defaultMacOS), nil
	case "x86_64-apple-darwin":
		return macPlatform("x86_64", defaultMacOS), nil
	case "windows", "x86_64-pc-windows-msvc":
		return windowsPlatform("AMD64", "win_amd64"), nil
	case "aarch64-pc-windows-msvc":
		return windowsPlatform("ARM64", "win_arm64"), nil
	case "i686-pc-windows-msvc":
		return windowsPlatform("x86", "win32"), nil
	}
	if glibc, ok := manylinuxMinor(rest); ok && (arch == "x86_64" || arch == "aarch64" || arch == "i686") {
		return linuxPlatform(arch, glibc), nil
	}
	return platform{}, &TargetError{Option: "python-platform", Value: name,
		Reason: "want one of " + strings.Join(Platforms, ", ") + ", or <arch>-manylinux_2_<minor>"}
}

// hostPlatform names the platform pylock runs on.
func hostPlatform() string {
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686"}[runtime.GOARCH]
	if arch == "" {
		arch = "x86_64"
	}
	switch runtime.GOOS {
	case "darwin":
		return arch + "-apple-darwin"
	case "windows":
		return arch + "-pc-windows-msvc"
	}
	return arch + "-unknown-linux-gnu"
}

// manylinuxMinor reads "manylinux_2_Y", "manylinux2014", "manylinux2010" or
// "manylinux1" as glibc 2.Y.
func manylinuxMinor(s string) (int, bool) {
	switch s {
	case "manylinux2014":
		return 17, true
	case "manylinux2010":
		return 12, true
	case "manylinux1":
		return 5, true
	}
	rest, ok := strings.CutPrefix(s, "manylinux_2_")
	n, err := strconv.Atoi(rest)
	return n, ok && err == nil && n >= 5 && n < 100
}

func linuxPlatform(arch string, glibc int) platform {
	p := platform{sysPlatform: "linux", system: "Linux", machine: arch, osName: "posix"}
	oldest := 17
	if arch == "x86_64" || arch == "i686" {
		oldest = 5
	}
	legacy := map[int]string{17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
	for m := glibc; m >= oldest; m-- {
		p.tags = append(p.tags, fmt.Sprintf("manylinux_2_%d_%s", m, arch))
		if l, ok := legacy[m]; ok && (l == "manylinux2014" || arch != "aarch64") {
			p.tags = append(p.tags, l+"_"+arch)
		}
	}
	p.tags = append(p.tags, "linux_"+arch)
	return p
}

func muslPlatform(arch string) platform {
	p := platform{sysPlatform: "linux", system: "Linux", machine: arch, osName: "posix"}
	for m := 2; m >= 0; m-- {
		p.tags = append(p.tags, fmt.Sprintf("musllinux_1_%d_%s", m, arch))
	}
	p.tags = append(p.tags, "linux_"+arch)
	return p
}

// macPlatform accepts wheels for macOS 11 up to major.0 (and 10.4 to 10.16
// on Intel), as a machine running macOS major does.
func macPlatform(arch string, major int) platform {
	p := platform{sysPlatform: "darwin", system: "Darwin", machine: arch, osName: "posix"}
	formats := []string{arch, "universal2"}
	if arch == "x86_64" {
		formats = []string{arch, "intel", "fat64", "fat32", "universal2", "universal"}
	}
	add := func(mj, mn int) {
		for _, f := range formats {
			p.tags = append(p.tags, fmt.Sprintf("macosx_%d_%d_%s", mj, mn, f))
		}
	}
	for mj := major; mj >= 11; mj-- {
		add(mj, 0)
	}
	if arch == "x86_64" {
		for mn := 16; mn >= 4; mn-- {
			add(10, mn)
		}
	}
	return p
}

func windowsPlatform(machine, tag string) platform {
	return platform{sysPlatform: "win32", system: "Windows", machine: machine, osName: "nt", tags: []string{tag}}
}

// maxCPythonMinor bounds the minor version a target may name: the tags of
// 3.N list every minor below N, so 3.88800800 would make millions.
const maxCPythonMinor = 99

// syntheticInterpreter describes a CPython of the given version on the given
// platform without running one: its marker environment and wheel tags, as
// uv's --python-version and --python-platform do. Path is empty.
func syntheticInterpreter(version, platformName string) (*venv.Interpreter, error) {
	v, err := pep440.Parse(version)
	rel := v.Release()
	if err != nil || len(rel) < 2 || len(rel) > 3 || rel[0] != 3 || rel[1] > maxCPythonMinor || v.IsPrerelease() || v.Local() != "" {
		return nil, &TargetError{Option: "python-version", Value: version, Reason: "want a CPython 3 version such as 3.12 or 3.12.4"}
	}
	plat, err := parsePlatform(platformName)
	if err != nil {
		return nil, err
	}
	full := fmt.Sprintf("3.%d.0", rel[1])
	if len(rel) == 3 {
		full = fmt.Sprintf("3.%d.%d", rel[1], rel[2])
	}
	return &venv.Interpreter{
		Version:        pep440.MustParse(full),
		Implementation: "cpython",
		Env: pep508.Environment{Vars: map[string]string{
			"implementation_name":            "cpython",
			"implementation_version":         full,
			"os_name":                        plat.osName,
			"platform_machine":               plat.machine,
			"platform_python_implementation": "CPython",
			"platform_release":               "",
			"platform_system":                plat.system,
			"platform_version":               "",
			"python_full_version":            full,
			"python_version":                 fmt.Sprintf("3.%d", rel[1]),
			"sys_platform":                   plat.sysPlatform,
		}},
		Tags: cpythonTags(rel[1], plat.tags),
	}, nil
}

// cpythonTags lists the tags CPython 3.minor supports on platforms, best
// first, in the order the packaging library's sys_tags yields them.
func cpythonTags(minor int, platforms []string) []dist.Tag {
	cross := func(python, abi string, plats []string) []dist.Tag {
		out := make([]dist.Tag, 0, len(plats))
		for _, p := range plats {
			out = append(out, dist.Tag{Python: python, ABI: abi, Platform: p})
		}
		return out
	}
	cp := "cp3" + strconv.Itoa(minor)
	tags := cross(cp, cp, platforms)
	tags = append(tags, cross(cp, "abi3", platforms)...)
	tags = append(tags, cross(cp, "none", platforms)...)
	for m := minor - 1; m >= 2; m-- {
		tags = append(tags, cross("cp3"+strconv.Itoa(m), "abi3", platforms)...)
	}
	pys := []string{"py3" + strconv.Itoa(minor), "py3"}
	for m := minor - 1; m >= 0; m-- {
		pys = append(pys, "py3"+strconv.Itoa(m))
	}
	for _, py := range pys {
		tags = append(tags, cross(py, "none", platforms)...)
	}
	tags = append(tags, dist.Tag{Python: cp, ABI: "none", Platform: "any"})
	for _, py := range pys {
		tags = append(tags, dist.Tag{Python: py, ABI: "none", Platform: "any"})
	}
	return tags
}
