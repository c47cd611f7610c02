package venv

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pylock/pylock/pep440"
)

var (
	testPythonOnce sync.Once
	testPython     *Interpreter
	testPythonErr  error
)

// findPython finds, once, the real python3 the tests run against; the machine has one.
func findPython(t *testing.T) *Interpreter {
	t.Helper()
	testPythonOnce.Do(func() {
		req, err := pep440.ParseSpecifierSet(">=3.8")
		if err != nil {
			testPythonErr = err
			return
		}
		testPython, testPythonErr = Find(req, "")
	})
	if testPythonErr != nil {
		t.Fatalf("Find: %v", testPythonErr)
	}
	return testPython
}

func TestFind(t *testing.T) {
	py := findPython(t)
	if py.Executable == "" || !filepath.IsAbs(py.Executable) {
		t.Errorf("Executable = %q", py.Executable)
	}
	for _, name := range markerNames {
		if py.Env.Vars[name] == "" {
			t.Errorf("marker %s empty", name)
		}
	}
	if got, want := py.Env.Vars["python_full_version"], py.Version.String(); got != want {
		t.Errorf("python_full_version = %s, Version = %s", got, want)
	}
	if len(py.Tags) == 0 || py.Tags[len(py.Tags)-1].String() != "py30-none-any" {
		t.Errorf("tags end with %v", py.Tags[len(py.Tags)-1])
	}
	again, err := Find(nil, py.Executable)
	if err != nil || again.Executable != py.Executable {
		t.Errorf("Find by path = %v, %v", again, err)
	}
	minor := py.MinorVersion()
	byVersion, err := Find(nil, minor)
	if err != nil || byVersion.MinorVersion() != minor {
		t.Errorf("Find(%q) = %v, %v", minor, byVersion, err)
	}
}

func TestFindRefuses(t *testing.T) {
	req, _ := pep440.ParseSpecifierSet(">=99")
	_, err := Find(req, "")
	var nf *NotFoundError
	if !errors.As(err, &nf) || len(nf.Refused) == 0 {
		t.Fatalf("Find(>=99) error = %v, want *NotFoundError listing refusals", err)
	}
	if !strings.Contains(err.Error(), "does not satisfy >=99") {
		t.Errorf("error does not say why: %v", err)
	}
	_, err = Find(nil, filepath.Join(t.TempDir(), "nopython"))
	if !errors.As(err, &nf) || len(nf.Refused) != 1 {
		t.Errorf("Find(missing path) error = %v", err)
	}
}

// TestTagsMatchPackaging compares the computed tags with packaging's sys_tags
// (pip's vendored copy) when the interpreter has it.
func TestTagsMatchPackaging(t *testing.T) {
	py := findPython(t)
	out, err := exec.Command(py.Executable, "-c",
		"from pip._vendor.packaging import tags\nfor t in tags.sys_tags(): print(t)").Output()
	if err != nil {
		t.Logf("no pip in %s; comparison with packaging not run: %v", py.Executable, err)
		return
	}
	want := strings.Fields(string(out))
	// packaging before 22 did not yield cpXY-none-any; pylock follows packaging 24.
	cpAny := "cp" + strings.ReplaceAll(py.MinorVersion(), ".", "") + "-none-any"
	if i := indexOf(want, "py"+strings.ReplaceAll(py.MinorVersion(), ".", "")+"-none-any"); i >= 0 && indexOf(want, cpAny) < 0 {
		want = append(want[:i], append([]string{cpAny}, want[i:]...)...)
	}
	var got []string
	for _, tag := range py.Tags {
		got = append(got, tag.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tags differ from packaging (%d vs %d)", len(got), len(want))
		for i := 0; i < len(got) && i < len(want); i++ {
			if got[i] != want[i] {
				t.Errorf("first difference at %d: %s vs %s", i, got[i], want[i])
				break
			}
		}
	}
}

// wheelFile is one member of a test wheel.
type wheelFile struct {
	name string
	data string
	mode os.FileMode
}

// buildWheel writes a wheel into dir with a RECORD that describes recordFiles
// (files themselves when nil).
func buildWheel(t testing.TB, dir, filename string, files, recordFiles []wheelFile) string {
	t.Helper()
	stem := strings.Join(strings.Split(strings.TrimSuffix(filename, ".whl"), "-")[:2], "-")
	if recordFiles == nil {
		recordFiles = files
	}
	var rec []RecordEntry
	for _, f := range recordFiles {
		rec = append(rec, RecordEntry{Path: f.name, Hash: recordHash([]byte(f.data)), Size: int64(len(f.data))})
	}
	rec = append(rec, RecordEntry{Path: stem + ".dist-info/RECORD", Size: -1})
	files = append(files, wheelFile{name: stem + ".dist-info/RECORD", data: string(formatRecord(rec))})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate}
		mode := f.mode
		if mode == 0 {
			mode = 0o644
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, filename)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func meta(name, version string, purelib bool) []wheelFile {
	stem := name + "-" + version
	root := "false"
	if purelib {
		root = "true"
	}
	return []wheelFile{
		{name: stem + ".dist-info/METADATA", data: "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"},
		{name: stem + ".dist-info/WHEEL", data: "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: " + root + "\nTag: py3-none-any\n"},
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = queryEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func newEnv(t *testing.T) *Env {
	t.Helper()
	py := findPython(t)
	env, err := Create(filepath.Join(t.TempDir(), ".venv"), py)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return env
}

func TestCreateAndOpen(t *testing.T) {
	env := newEnv(t)
	python := filepath.Join(env.Dir, "bin", "python")
	got := run(t, python, "-c", "import sys; print(sys.prefix != sys.base_prefix, sys.prefix)")
	if got != "True "+env.Dir {
		t.Errorf("inside the venv: %q", got)
	}
	for _, name := range []string{"python3", "python" + env.Python.MinorVersion(), "activate"} {
		if _, err := os.Lstat(filepath.Join(env.Dir, "bin", name)); err != nil {
			t.Errorf("bin/%s: %v", name, err)
		}
	}
	cfgData, err := os.ReadFile(filepath.Join(env.Dir, "pyvenv.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseCfg(cfgData)
	if err != nil || cfg["include-system-site-packages"] != "false" || cfg["version"] != env.Python.Version.String() {
		t.Errorf("pyvenv.cfg = %v, %v", cfg, err)
	}
	got = run(t, "bash", "-c", ". "+shellQuote(filepath.Join(env.Dir, "bin", "activate"))+
		" && echo $VIRTUAL_ENV && command -v python")
	if got != env.Dir+"\n"+python {
		t.Errorf("activate: %q", got)
	}
	opened, err := Open(env.Dir)
	if err != nil || opened.Python.Prefix != env.Dir || opened.Python.Scheme != env.Python.Scheme {
		t.Errorf("Open = %+v, %v", opened, err)
	}
	again, err := Create(env.Dir, findPython(t))
	if err != nil || again.Dir != env.Dir {
		t.Errorf("Create over existing venv = %v, %v", again, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(env.Dir))
	if len(entries) != 1 {
		t.Errorf("temporary directories left beside the venv: %v", entries)
	}
}

func TestCreateRefusesOtherDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Create(dir, findPython(t))
	var fe *ForeignDirError
	if !errors.As(err, &fe) {
		t.Fatalf("Create over a non-venv directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keep.txt")); err != nil {
		t.Error("existing file lost")
	}
}

func TestCreateFailureLeavesNothing(t *testing.T) {
	py := *findPython(t)
	py.Executable = ""
	parent := t.TempDir()
	_, err := Create(filepath.Join(parent, "env"), &py)
	var ee *EnvError
	if !errors.As(err, &ee) {
		t.Fatalf("Create with a broken interpreter = %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("failed Create left %v", entries)
	}
}

func TestInstallWheels(t *testing.T) {
	env := newEnv(t)
	dir := t.TempDir()
	files := append(meta("demo_pkg", "1.0", true),
		wheelFile{name: "demo_pkg/__init__.py", data: "GREETING = 'hello from demo'\n"},
		wheelFile{name: "demo_pkg/cli.py", data: "import sys\ndef main():\n    print('cli', *sys.argv[1:])\n    return 0\n"},
		wheelFile{name: "demo_pkg-1.0.data/scripts/demo-tool", data: "#!python\nimport demo_pkg\nprint('script', demo_pkg.GREETING)\n", mode: 0o644},
		wheelFile{name: "demo_pkg-1.0.data/data/share/demo/readme.txt", data: "data file\n"},
		wheelFile{name: "demo_pkg/run.sh", data: "#!/bin/sh\necho run\n", mode: 0o755},
		wheelFile{name: "demo_pkg-1.0.dist-info/entry_points.txt", data: "[console_scripts]\ndemo-cli = demo_pkg.cli:main\n[other]\nx = y:z\n"},
	)
	pure := buildWheel(t, dir, "demo_pkg-1.0-py3-none-any.whl", files, nil)
	if err := env.InstallWheel(pure); err != nil {
		t.Fatalf("InstallWheel: %v", err)
	}
	platFiles := append(meta("platdemo", "2.0", false),
		wheelFile{name: "platdemo.py", data: "VALUE = 42\n"},
		wheelFile{name: "platdemo-2.0.data/purelib/platdemo_pure.py", data: "PURE = True\n"},
	)
	plat := buildWheel(t, dir, "platdemo-2.0-py3-none-any.whl", platFiles, nil)
	if err := env.InstallWheel(plat, Requested(false)); err != nil {
		t.Fatalf("InstallWheel(platlib): %v", err)
	}
	bin := filepath.Join(env.Dir, "bin")
	python := filepath.Join(bin, "python")
	if got := run(t, python, "-c", "import demo_pkg, platdemo, platdemo_pure; print(demo_pkg.GREETING, platdemo.VALUE, platdemo_pure.PURE)"); got != "hello from demo 42 True" {
		t.Errorf("import: %q", got)
	}
	if got := run(t, filepath.Join(bin, "demo-cli"), "a", "b"); got != "cli a b" {
		t.Errorf("console script: %q", got)
	}
	if got := run(t, filepath.Join(bin, "demo-tool")); got != "script hello from demo" {
		t.Errorf(".data script: %q", got)
	}
	site := env.path(env.Python.Scheme.Purelib)
	if fi, err := os.Stat(filepath.Join(site, "demo_pkg", "run.sh")); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("exec bit not kept: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(env.Dir, "share", "demo", "readme.txt")); err != nil {
		t.Errorf(".data/data: %v", err)
	}
	checkRecord(t, env, site, "demo_pkg-1.0.dist-info", true)
	checkRecord(t, env, site, "platdemo-2.0.dist-info", false)
	checkInstalledAndUninstall(t, env, site)
}

// checkRecord verifies the rewritten RECORD against the files on disk.
func checkRecord(t *testing.T, env *Env, site, distInfo string, requested bool) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(site, distInfo, "RECORD"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := ParseRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rec {
		seen[filepath.Base(r.Path)] = true
		if r.Hash == "" {
			continue
		}
		body, err := os.ReadFile(filepath.Join(site, filepath.FromSlash(r.Path)))
		if err != nil || recordHash(body) != r.Hash || int64(len(body)) != r.Size {
			t.Errorf("RECORD row %v does not match disk: %v", r, err)
		}
	}
	if !seen["INSTALLER"] || !seen["RECORD"] || seen["REQUESTED"] != requested {
		t.Errorf("RECORD of %s lacks INSTALLER/RECORD or REQUESTED wrong: %v", distInfo, rec)
	}
	if installer, _ := os.ReadFile(filepath.Join(site, distInfo, "INSTALLER")); string(installer) != "pylock\n" {
		t.Errorf("INSTALLER = %q", installer)
	}
}

func checkInstalledAndUninstall(t *testing.T, env *Env, site string) {
	t.Helper()
	dists, err := env.Installed()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range dists {
		names = append(names, d.Name+"=="+d.Version)
	}
	sort.Strings(names)
	if strings.Join(names, " ") != "demo_pkg==1.0 platdemo==2.0" {
		t.Errorf("Installed = %v", names)
	}
	run(t, filepath.Join(env.Dir, "bin", "python"), "-c", "import demo_pkg.cli")
	if err := env.Uninstall("Demo-Pkg"); err != nil {
		t.Fatalf("Uninstall: %v", err)
	}
	for _, p := range []string{filepath.Join(site, "demo_pkg"), filepath.Join(site, "demo_pkg-1.0.dist-info"),
		filepath.Join(env.Dir, "bin", "demo-cli"), filepath.Join(env.Dir, "bin", "demo-tool"), filepath.Join(env.Dir, "share")} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s left after uninstall", p)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "platdemo.py")); err != nil {
		t.Errorf("other distribution damaged: %v", err)
	}
	var ni *NotInstalledError
	if err := env.Uninstall("demo-pkg"); !errors.As(err, &ni) {
		t.Errorf("second Uninstall = %v", err)
	}
}

func TestInstallReplaces(t *testing.T) {
	env := newEnv(t)
	dir := t.TempDir()
	v1 := buildWheel(t, dir, "rep-1.0-py3-none-any.whl", append(meta("rep", "1.0", true),
		wheelFile{name: "rep/__init__.py", data: "V = 1\n"}, wheelFile{name: "rep/old.py", data: ""}), nil)
	v2 := buildWheel(t, dir, "rep-2.0-py3-none-any.whl", append(meta("rep", "2.0", true),
		wheelFile{name: "rep/__init__.py", data: "V = 2\n"}), nil)
	for _, w := range []string{v1, v2} {
		if err := env.InstallWheel(w); err != nil {
			t.Fatal(err)
		}
	}
	site := env.path(env.Python.Scheme.Purelib)
	if _, err := os.Stat(filepath.Join(site, "rep", "old.py")); !os.IsNotExist(err) {
		t.Error("file of the replaced version left behind")
	}
	dists, _ := env.Installed()
	if len(dists) != 1 || dists[0].Version != "2.0" {
		t.Errorf("Installed = %v", dists)
	}
}

func TestHostileWheels(t *testing.T) {
	env := newEnv(t)
	dir := t.TempDir()
	outside := filepath.Join(filepath.Dir(env.Dir), "pwned")
	absPath := "/tmp/pylock-hostile-" + filepath.Base(dir)
	init := wheelFile{name: "ok/__init__.py", data: ""}
	tampered := wheelFile{name: "ok/__init__.py", data: "import os\n"}
	tests := []struct {
		name   string
		files  []wheelFile
		record []wheelFile // what RECORD describes, when not files
		reason string
	}{
		{"zip slip", []wheelFile{{name: "../../../pwned", data: "x"}}, nil, "path escapes the target"},
		{"zip slip in data", []wheelFile{{name: "ok-1.0.data/data/../../../../pwned", data: "x"}}, nil, "path escapes the target"},
		{"absolute", []wheelFile{{name: absPath, data: "x"}}, nil, "absolute path"},
		{"hash mismatch", []wheelFile{tampered}, []wheelFile{init}, "RECORD hash mismatch"},
		{"unlisted file", []wheelFile{init, {name: "ok/extra.py", data: "x"}}, []wheelFile{init}, "not hashed in RECORD"},
		{"symlink", []wheelFile{{name: "ok/link", data: "/etc/passwd", mode: os.ModeSymlink | 0o777}}, nil, "symlink"},
		{"script over python", []wheelFile{{name: "ok-1.0.data/scripts/python", data: "#!python\n"}}, nil, "path escapes the target"},
		{"entry point path", []wheelFile{{name: "ok-1.0.dist-info/entry_points.txt", data: "[console_scripts]\n../../pwned = a:b\n"}}, nil, "bad script name"},
		{"foreign tag", nil, nil, "no tag of the wheel"},
		{"unknown data key", []wheelFile{{name: "ok-1.0.data/etc/x", data: "x"}}, nil, "unknown .data directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := append(meta("ok", "1.0", true), tt.files...)
			var record []wheelFile
			if tt.record != nil {
				record = append(meta("ok", "1.0", true), tt.record...)
			}
			filename := "ok-1.0-py3-none-any.whl"
			if tt.name == "foreign tag" {
				filename = "ok-1.0-cp27-cp27m-win32.whl"
			}
			w := buildWheel(t, dir, filename, files, record)
			err := env.InstallWheel(w)
			var we *WheelError
			if !errors.As(err, &we) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("InstallWheel = %v, want *WheelError %q", err, tt.reason)
			}
			for _, p := range []string{outside, absPath, filepath.Join(env.path(env.Python.Scheme.Purelib), "ok")} {
				if _, err := os.Lstat(p); !os.IsNotExist(err) {
					t.Errorf("%s was written", p)
				}
			}
			if fi, err := os.Lstat(filepath.Join(env.Dir, "bin", "python")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("bin/python damaged")
			}
		})
	}
}

func TestMain(m *testing.M) {
	if runtime.GOOS == "windows" {
		os.Exit(0)
	}
	os.Exit(m.Run())
}
