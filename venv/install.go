package venv

import (
	"archive/zip"
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep508"
)

// WheelError reports a wheel that is refused; nothing was written when it is returned
// from validation.
type WheelError struct {
	Wheel  string // the wheel file
	Entry  string // the offending archive entry, "" if the wheel as a whole
	Reason string
	Err    error
}

// Error implements error.
func (e *WheelError) Error() string {
	if e.Entry == "" {
		return fmt.Sprintf("venv: wheel %s: %s", filepath.Base(e.Wheel), e.Reason)
	}
	return fmt.Sprintf("venv: wheel %s: %s: %q", filepath.Base(e.Wheel), e.Reason, e.Entry)
}

// Unwrap returns the underlying error.
func (e *WheelError) Unwrap() error { return e.Err }

// InstallOption adjusts one wheel installation.
type InstallOption func(*installConfig)

type installConfig struct {
	requested bool
	directURL []byte
}

// Requested says whether the user asked for the distribution by name (PEP 376
// REQUESTED file); the default is true.
func Requested(yes bool) InstallOption {
	return func(c *installConfig) { c.requested = yes }
}

// DirectURL records a PEP 610 direct_url.json with the given JSON content.
func DirectURL(json []byte) InstallOption {
	return func(c *installConfig) { c.directURL = json }
}

// planned is one archive file and where it goes.
type planned struct {
	file   *zip.File
	dest   string // absolute destination
	script bool   // from .data/scripts: shebang rewritten, made executable
}

// wheelPlan is a validated wheel: nothing in it escapes the environment.
type wheelPlan struct {
	name     string // distribution name as the wheel file name spells it
	distInfo string // "<name>-<version>.dist-info"
	siteDir  string // absolute directory receiving the root and the .dist-info
	files    []planned
	entries  []EntryPoint
}

// InstallWheel installs the wheel file at path into the environment, replacing
// an installed distribution of the same name. The whole wheel is validated first
// (file name tags against the interpreter's, paths, RECORD hashes and sizes,
// WHEEL version, entry points); a refused wheel is a *WheelError and nothing is
// written. A failure while writing removes what was written.
func (e *Env) InstallWheel(path string, opts ...InstallOption) error {
	cfg := installConfig{requested: true}
	for _, o := range opts {
		o(&cfg)
	}
	zr, err := zip.OpenReader(path)
	if errors.Is(err, zip.ErrInsecurePath) {
		err = nil // checkEntry refuses each such name with a precise reason
	}
	if err != nil {
		return &WheelError{Wheel: path, Reason: "not a zip archive", Err: err}
	}
	defer zr.Close()
	plan, err := e.plan(path, &zr.Reader)
	if err != nil {
		return err
	}
	if err := e.Uninstall(plan.name); err != nil && !isNotInstalled(err) {
		return err
	}
	r := &recorder{siteDir: plan.siteDir}
	if err := e.extract(plan, &cfg, r); err != nil {
		r.rollback()
		return &WheelError{Wheel: path, Reason: "installation failed", Err: err}
	}
	return nil
}

// plan validates the archive and decides every destination.
func (e *Env) plan(wheel string, zr *zip.Reader) (*wheelPlan, error) {
	wn, err := dist.ParseWheelName(filepath.Base(wheel))
	if err != nil {
		return nil, &WheelError{Wheel: wheel, Reason: "bad wheel file name", Err: err}
	}
	if _, ok := dist.Supported(wn.Tags, e.Python.Tags); !ok {
		return nil, &WheelError{Wheel: wheel, Reason: "no tag of the wheel is supported by python " + e.Python.Version.String()}
	}
	p := &wheelPlan{name: wn.Name}
	p.distInfo, err = findDistInfo(wheel, zr, wn.Name)
	if err != nil {
		return nil, err
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		if err := checkEntry(wheel, f); err != nil {
			return nil, err
		}
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if files[f.Name] != nil {
			return nil, &WheelError{Wheel: wheel, Entry: f.Name, Reason: "duplicate archive entry"}
		}
		files[f.Name] = f
	}
	wf, err := parseMember(wheel, files, p.distInfo+"/WHEEL", ParseWheelFile)
	if err != nil {
		return nil, err
	}
	p.siteDir = e.path(e.Python.Scheme.Platlib)
	if wf.RootIsPurelib {
		p.siteDir = e.path(e.Python.Scheme.Purelib)
	}
	record, err := parseMember(wheel, files, p.distInfo+"/RECORD", ParseRecord)
	if err != nil {
		return nil, err
	}
	if err := verifyRecord(wheel, files, record, p.distInfo); err != nil {
		return nil, err
	}
	if err := e.placeFiles(wheel, p, zr); err != nil {
		return nil, err
	}
	return p, e.planEntryPoints(wheel, p, files)
}

// findDistInfo returns the one top-level .dist-info directory of the distribution.
func findDistInfo(wheel string, zr *zip.Reader, name string) (string, error) {
	found := ""
	for _, f := range zr.File {
		top, _, ok := strings.Cut(f.Name, "/")
		if !ok || !strings.HasSuffix(top, ".dist-info") || top == found {
			continue
		}
		stem := strings.TrimSuffix(top, ".dist-info")
		dname, _, _ := strings.Cut(stem, "-")
		if pep508.NormalizeName(dname) != pep508.NormalizeName(name) {
			return "", &WheelError{Wheel: wheel, Entry: top, Reason: "foreign .dist-info directory"}
		}
		if found != "" {
			return "", &WheelError{Wheel: wheel, Entry: top, Reason: "more than one .dist-info directory"}
		}
		found = top
	}
	if found == "" {
		return "", &WheelError{Wheel: wheel, Reason: "no .dist-info directory"}
	}
	return found, nil
}

// checkEntry refuses archive names that could escape the target, and symlinks.
func checkEntry(wheel string, f *zip.File) error {
	name := f.Name
	bad := func(reason string) error { return &WheelError{Wheel: wheel, Entry: name, Reason: reason} }
	switch {
	case name == "" || strings.HasPrefix(name, "/") || filepath.VolumeName(name) != "":
		return bad("absolute path in archive")
	case strings.ContainsAny(name, "\\\x00"):
		return bad("backslash or NUL in archive path")
	case f.Mode()&os.ModeSymlink != 0:
		return bad("symlink in archive")
	case f.Mode()&(os.ModeDevice|os.ModeNamedPipe|os.ModeSocket|os.ModeCharDevice) != 0:
		return bad("special file in archive")
	}
	for _, seg := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		if seg == ".." || seg == "." || seg == "" {
			return bad("path escapes the target")
		}
	}
	return nil
}

// parseMember reads and parses one file of the archive.
func parseMember[T any](wheel string, files map[string]*zip.File, name string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	f := files[name]
	if f == nil {
		return zero, &WheelError{Wheel: wheel, Entry: name, Reason: "missing"}
	}
	data, err := readZip(f)
	if err != nil {
		return zero, &WheelError{Wheel: wheel, Entry: name, Reason: "unreadable", Err: err}
	}
	v, err := parse(data)
	if err != nil {
		return zero, &WheelError{Wheel: wheel, Entry: name, Reason: "malformed", Err: err}
	}
	return v, nil
}

func readZip(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// unhashed are the .dist-info files RECORD cannot hash.
func unhashed(distInfo, name string) bool {
	switch name {
	case distInfo + "/RECORD", distInfo + "/RECORD.jws", distInfo + "/RECORD.p7s":
		return true
	}
	return false
}

// verifyRecord checks that every archive file is in RECORD with a matching hash and size.
func verifyRecord(wheel string, files map[string]*zip.File, record []RecordEntry, distInfo string) error {
	byPath := make(map[string]RecordEntry, len(record))
	for _, r := range record {
		byPath[r.Path] = r
	}
	for name, f := range files {
		if unhashed(distInfo, name) {
			continue
		}
		r, ok := byPath[name]
		if !ok || r.Hash == "" {
			return &WheelError{Wheel: wheel, Entry: name, Reason: "file not hashed in RECORD"}
		}
		if err := checkHash(f, r); err != nil {
			return &WheelError{Wheel: wheel, Entry: name, Reason: err.Error()}
		}
	}
	return nil
}

func checkHash(f *zip.File, r RecordEntry) error {
	algo, want, err := splitHash(r.Hash)
	if err != nil {
		return err
	}
	h, _ := newHash(algo)
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	n, err := io.Copy(h, rc)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(h.Sum(nil), want) != 1 {
		return fmt.Errorf("RECORD hash mismatch")
	}
	if r.Size >= 0 && n != r.Size {
		return fmt.Errorf("RECORD size mismatch (%d, RECORD says %d)", n, r.Size)
	}
	return nil
}

// placeFiles maps every archive file to its destination, refusing any outside the environment.
func (e *Env) placeFiles(wheel string, p *wheelPlan, zr *zip.Reader) error {
	dataDir := strings.TrimSuffix(p.distInfo, ".dist-info") + ".data"
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") || unhashed(p.distInfo, f.Name) {
			continue
		}
		dest, script := filepath.Join(p.siteDir, filepath.FromSlash(f.Name)), false
		if rest, ok := strings.CutPrefix(f.Name, dataDir+"/"); ok {
			key, sub, _ := strings.Cut(rest, "/")
			base, err := e.dataTarget(key, p.name)
			if err != nil || sub == "" {
				return &WheelError{Wheel: wheel, Entry: f.Name, Reason: "unknown .data directory"}
			}
			dest, script = filepath.Join(base, filepath.FromSlash(sub)), key == "scripts"
		}
		if !within(e.Dir, dest) || e.protected(dest) {
			return &WheelError{Wheel: wheel, Entry: f.Name, Reason: "path escapes the target"}
		}
		p.files = append(p.files, planned{file: f, dest: dest, script: script})
	}
	return nil
}

// dataTarget is the directory a .data/<key> subtree goes to.
func (e *Env) dataTarget(key, name string) (string, error) {
	s := e.Python.Scheme
	switch key {
	case "purelib":
		return e.path(s.Purelib), nil
	case "platlib":
		return e.path(s.Platlib), nil
	case "scripts":
		return e.path(s.Scripts), nil
	case "data":
		return e.path(s.Data), nil
	case "headers":
		return e.path(path.Join("include/site", "python"+e.Python.MinorVersion(), name)), nil
	}
	return "", fmt.Errorf("unknown key %q", key)
}

// within reports whether p is root or below it, lexically.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// protected reports whether p is one of the files that make the environment.
func (e *Env) protected(p string) bool {
	bin := e.path(e.Python.Scheme.Scripts)
	for _, name := range []string{"python", "python3", "python" + e.Python.MinorVersion(), "activate"} {
		if p == filepath.Join(bin, name) {
			return true
		}
	}
	return p == filepath.Join(e.Dir, "pyvenv.cfg")
}

// planEntryPoints reads entry_points.txt and checks the console and GUI scripts.
func (e *Env) planEntryPoints(wheel string, p *wheelPlan, files map[string]*zip.File) error {
	name := p.distInfo + "/entry_points.txt"
	if files[name] == nil {
		return nil
	}
	eps, err := parseMember(wheel, files, name, ParseEntryPoints)
	if err != nil {
		return err
	}
	bin := e.path(e.Python.Scheme.Scripts)
	for _, ep := range eps {
		if ep.Group != "console_scripts" && ep.Group != "gui_scripts" {
			continue
		}
		if !validScriptName(ep.Name) || e.protected(filepath.Join(bin, ep.Name)) {
			return &WheelError{Wheel: wheel, Entry: ep.Name, Reason: "bad script name in entry_points.txt"}
		}
		if ep.Attr == "" {
			return &WheelError{Wheel: wheel, Entry: ep.Name, Reason: "script entry point names no function"}
		}
		p.entries = append(p.entries, ep)
	}
	return nil
}

// recorder writes files below the environment and remembers them for RECORD
// and for rolling back.
type recorder struct {
	siteDir string
	written []string
	record  []RecordEntry
}

func (r *recorder) add(dest string, data []byte, mode os.FileMode) error {
	if err := writeFile(dest, data, mode); err != nil {
		return err
	}
	r.written = append(r.written, dest)
	rel, err := filepath.Rel(r.siteDir, dest)
	if err != nil {
		return err
	}
	r.record = append(r.record, RecordEntry{Path: filepath.ToSlash(rel), Hash: recordHash(data), Size: int64(len(data))})
	return nil
}

// rollback removes every file written so far.
func (r *recorder) rollback() {
	for i := len(r.written) - 1; i >= 0; i-- {
		os.Remove(r.written[i])
	}
}

// extract writes the planned files, the scripts and the installation records.
func (e *Env) extract(p *wheelPlan, cfg *installConfig, r *recorder) error {
	python := e.path(path.Join(e.Python.Scheme.Scripts, "python"))
	for _, f := range p.files {
		data, err := readZip(f.file)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if f.file.Mode()&0o111 != 0 || f.script {
			mode = 0o755
		}
		if f.script {
			data, _ = rewriteShebang(data, python)
		}
		if err := r.add(f.dest, data, mode); err != nil {
			return err
		}
	}
	bin := e.path(e.Python.Scheme.Scripts)
	for _, ep := range p.entries {
		if err := r.add(filepath.Join(bin, ep.Name), launcher(python, ep), 0o755); err != nil {
			return err
		}
	}
	return writeRecords(p, cfg, r)
}

// writeRecords writes INSTALLER, REQUESTED, direct_url.json and, last, RECORD.
func writeRecords(p *wheelPlan, cfg *installConfig, r *recorder) error {
	info := filepath.Join(p.siteDir, p.distInfo)
	extra := map[string][]byte{"INSTALLER": []byte("pylock\n")}
	if cfg.requested {
		extra["REQUESTED"] = nil
	}
	if cfg.directURL != nil {
		extra["direct_url.json"] = cfg.directURL
	}
	for _, name := range []string{"INSTALLER", "REQUESTED", "direct_url.json"} {
		if data, ok := extra[name]; ok {
			if err := r.add(filepath.Join(info, name), data, 0o644); err != nil {
				return err
			}
		}
	}
	rows := append(r.record, RecordEntry{Path: p.distInfo + "/RECORD", Size: -1})
	dest := filepath.Join(info, "RECORD")
	if err := writeFile(dest, formatRecord(rows), 0o644); err != nil {
		return err
	}
	r.written = append(r.written, dest)
	return nil
}

// writeFile replaces dest with data; an existing file or symlink is removed
// first, so the write never follows a link.
func writeFile(dest string, data []byte, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	if err := os.Remove(dest); err != nil && !os.IsNotExist(err) {
		return err
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, bytes.NewReader(data)); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Chmod(dest, mode)
}
