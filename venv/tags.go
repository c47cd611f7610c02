package venv

import (
	"strconv"
	"strings"

	"github.com/pylock/pylock/internal/dist"
)

// supportedTags lists the PEP 425 tags an interpreter supports, best first, in
// the order the packaging library's sys_tags yields them.
func supportedTags(q *queryResult) []dist.Tag {
	major, minor := q.VersionInfo[0], q.VersionInfo[1]
	platforms := platformTags(q)
	var tags []dist.Tag
	if q.Impl == "cpython" {
		tags = cpythonTags(q, major, minor, platforms)
	} else {
		tags = genericTags(q, major, minor, platforms)
	}
	return append(tags, compatibleTags(q, major, minor, platforms)...)
}

func cross(python, abi string, platforms []string) []dist.Tag {
	out := make([]dist.Tag, 0, len(platforms))
	for _, p := range platforms {
		out = append(out, dist.Tag{Python: python, ABI: abi, Platform: p})
	}
	return out
}

func cpythonTags(q *queryResult, major, minor int, platforms []string) []dist.Tag {
	interp := "cp" + strconv.Itoa(major) + strconv.Itoa(minor)
	freeThreaded := q.GILDisabled == "1"
	tags := cross(interp, cpythonABI(q, major, minor), platforms)
	abi3 := major == 3 && minor >= 2 && !freeThreaded
	if abi3 {
		tags = append(tags, cross(interp, "abi3", platforms)...)
	}
	tags = append(tags, cross(interp, "none", platforms)...)
	if abi3 {
		for m := minor - 1; m >= 2; m-- {
			tags = append(tags, cross("cp3"+strconv.Itoa(m), "abi3", platforms)...)
		}
	}
	return tags
}

// cpythonABI is the interpreter's own ABI tag: cpXY plus "d" for debug builds,
// "t" for free-threaded builds, and "m" for pymalloc builds before 3.8.
func cpythonABI(q *queryResult, major, minor int) string {
	abi := "cp" + strconv.Itoa(major) + strconv.Itoa(minor)
	if q.GILDisabled == "1" {
		abi += "t"
	}
	if q.PyDebug == "1" {
		abi += "d"
	}
	if (major < 3 || major == 3 && minor < 8) && q.Pymalloc == "1" {
		abi += "m"
	}
	return abi
}

// genericTags covers PyPy, GraalPy and others: interpreter tag from the
// implementation's short name, ABI from the extension-module suffix.
func genericTags(q *queryResult, major, minor int, platforms []string) []dist.Tag {
	interp := interpreterShort(q.Impl) + strconv.Itoa(major) + strconv.Itoa(minor)
	var tags []dist.Tag
	if abi := genericABI(q); abi != "" {
		tags = cross(interp, abi, platforms)
	}
	return append(tags, cross(interp, "none", platforms)...)
}

func interpreterShort(impl string) string {
	switch impl {
	case "cpython":
		return "cp"
	case "pypy":
		return "pp"
	case "ironpython":
		return "ip"
	case "jython":
		return "jy"
	}
	return impl
}

// genericABI derives the ABI tag from SOABI or EXT_SUFFIX, e.g.
// "pypy310-pp73-x86_64-linux-gnu" gives "pypy310_pp73".
func genericABI(q *queryResult) string {
	soabi := q.SOABI
	if soabi == "" {
		parts := strings.Split(q.ExtSuffix, ".")
		if len(parts) < 3 {
			return ""
		}
		soabi = parts[1]
	}
	parts := strings.Split(soabi, "-")
	if len(parts) < 2 {
		return normalizeTag(soabi)
	}
	return normalizeTag(parts[0] + "_" + parts[1])
}

// compatibleTags are the interpreter-independent tags: pyXY-none-<platform>,
// then cpXY-none-any (CPython) or pp3-none-any (PyPy), then pyXY-none-any, as
// packaging 24 orders them.
func compatibleTags(q *queryResult, major, minor int, platforms []string) []dist.Tag {
	pys := pyVersions(major, minor)
	var tags []dist.Tag
	for _, py := range pys {
		tags = append(tags, cross(py, "none", platforms)...)
	}
	switch q.Impl {
	case "cpython":
		tags = append(tags, dist.Tag{Python: "cp" + strconv.Itoa(major) + strconv.Itoa(minor), ABI: "none", Platform: "any"})
	case "pypy":
		tags = append(tags, dist.Tag{Python: "pp3", ABI: "none", Platform: "any"})
	}
	for _, py := range pys {
		tags = append(tags, dist.Tag{Python: py, ABI: "none", Platform: "any"})
	}
	return tags
}

// pyVersions yields pyXY, pyX, then pyX(Y-1) down to pyX0.
func pyVersions(major, minor int) []string {
	mj := strconv.Itoa(major)
	out := []string{"py" + mj + strconv.Itoa(minor), "py" + mj}
	for m := minor - 1; m >= 0; m-- {
		out = append(out, "py"+mj+strconv.Itoa(m))
	}
	return out
}

func normalizeTag(s string) string {
	return strings.NewReplacer("-", "_", ".", "_", " ", "_").Replace(s)
}

// platformTags lists the platform tags of the interpreter, best first.
func platformTags(q *queryResult) []string {
	plat := q.Platform
	switch {
	case strings.HasPrefix(plat, "linux-"):
		return linuxPlatforms(q)
	case strings.HasPrefix(plat, "macosx-"):
		return macPlatforms(q)
	}
	return []string{normalizeTag(plat)}
}

func linuxPlatforms(q *queryResult) []string {
	arch := normalizeTag(strings.TrimPrefix(q.Platform, "linux-"))
	if q.PointerBits == 32 {
		switch arch {
		case "x86_64":
			arch = "i686"
		case "aarch64":
			arch = "armv8l"
		}
	}
	archs := []string{arch}
	if arch == "armv8l" {
		archs = append(archs, "armv7l")
	}
	var out []string
	for _, a := range archs {
		out = append(out, manylinuxTags(q.Glibc, a)...)
	}
	for _, a := range archs {
		out = append(out, musllinuxTags(q.Musl, a)...)
	}
	for _, a := range archs {
		out = append(out, "linux_"+a)
	}
	return out
}

// legacyManylinux maps glibc 2.Y to the names PEP 513/571/599 gave it.
var legacyManylinux = map[int]string{17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}

// manylinuxTags lists manylinux_2_Y_<arch> from the running glibc down to the
// oldest glibc the architecture has wheels for (2.5 on x86, 2.17 elsewhere),
// each legacy alias right after its PEP 600 name.
func manylinuxTags(glibc, arch string) []string {
	major, minor, ok := twoInts(glibc)
	if !ok || major != 2 {
		return nil
	}
	oldest := 17
	if arch == "x86_64" || arch == "i686" {
		oldest = 5
	}
	var out []string
	for m := minor; m >= oldest; m-- {
		out = append(out, "manylinux_2_"+strconv.Itoa(m)+"_"+arch)
		if legacy, ok := legacyManylinux[m]; ok && legacyArch(legacy, arch) {
			out = append(out, legacy+"_"+arch)
		}
	}
	return out
}

func legacyArch(legacy, arch string) bool {
	if legacy == "manylinux2014" {
		switch arch {
		case "x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x":
			return true
		}
		return false
	}
	return arch == "x86_64" || arch == "i686"
}

// musllinuxTags lists musllinux_1_Y_<arch> from the running musl down to 1.0 (PEP 656).
func musllinuxTags(musl, arch string) []string {
	major, minor, ok := twoInts(musl)
	if !ok {
		return nil
	}
	var out []string
	for m := minor; m >= 0; m-- {
		out = append(out, "musllinux_"+strconv.Itoa(major)+"_"+strconv.Itoa(m)+"_"+arch)
	}
	return out
}

// macPlatforms lists macosx_<version>_<format> from the running macOS down to
// 11.0, then 10.16 down to 10.4 on Intel, each with the binary formats the
// architecture can load.
func macPlatforms(q *queryResult) []string {
	parts := strings.Split(q.Platform, "-")
	arch := parts[len(parts)-1]
	major, minor, ok := twoInts(q.MacOS)
	if !ok && len(parts) == 3 {
		major, minor, ok = twoInts(parts[1])
	}
	if !ok {
		return []string{normalizeTag(q.Platform)}
	}
	var out []string
	for mj := major; mj >= 11; mj-- {
		out = append(out, macFormats(mj, 0, arch)...)
	}
	if arch == "arm64" {
		return out
	}
	top := 16
	if major == 10 {
		top = minor
	}
	for mn := top; mn >= 4; mn-- {
		out = append(out, macFormats(10, mn, arch)...)
	}
	return out
}

func macFormats(major, minor int, arch string) []string {
	formats := []string{arch}
	switch arch {
	case "x86_64":
		formats = append(formats, "intel", "fat64", "fat32", "universal2", "universal")
	case "arm64":
		formats = append(formats, "universal2")
	}
	v := "macosx_" + strconv.Itoa(major) + "_" + strconv.Itoa(minor) + "_"
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = v + f
	}
	return out
}

// twoInts reads "X.Y[...]" as two numbers.
func twoInts(s string) (int, int, bool) {
	parts := strings.SplitN(s, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	a, err1 := strconv.Atoi(parts[0])
	b, err2 := strconv.Atoi(parts[1])
	return a, b, err1 == nil && err2 == nil
}
