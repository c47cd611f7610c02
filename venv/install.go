package venv

import (
	"archive/zip"
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
	link      LinkMode
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

// planned is one wheel file and where it goes.
type planned struct {
	file   member
	dest   string // absolute destination
	script bool   // from .data/scripts: shebang rewritten, made executable
}

// wheelPlan is a validated wheel placed in an environment: nothing in it
// escapes the environment.
type wheelPlan struct {
	*archive
	siteDir string // absolute directory receiving the root and the .dist-info
	files   []planned
	entries []EntryPoint
}

// archive is a wheel's content, validated independently of any environment.
type archive struct {
	wheel    string // the wheel file (its base name is the wheel's file name)
	name     string // distribution name as the wheel file name spells it
	tags     []dist.Tag
	distInfo string // "<name>-<version>.dist-info"
	members  []member
	byName   map[string]member
	wf       WheelFile
	record   map[string]RecordEntry
}

// InstallWheel installs the wheel file at path into the environment, replacing
// an installed distribution of the same name. The whole wheel is validated first
// (file name tags against the interpreter's, paths, RECORD hashes and sizes,
// WHEEL version, entry points); a refused wheel is a *WheelError and nothing is
// written. A failure while writing removes what was written.
func (e *Env) InstallWheel(path string, opts ...InstallOption) error {
	zr, err := openWheel(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	a, err := validate(path, zipMembers(&zr.Reader), true)
	if err != nil {
		return err
	}
	return e.install(a, opts)
}

// openWheel opens a wheel as a zip archive.
func openWheel(path string) (*zip.ReadCloser, error) {
	zr, err := zip.OpenReader(path)
	if errors.Is(err, zip.ErrInsecurePath) {
		err = nil // checkEntry refuses each such name with a precise reason
	}
	if err != nil {
		return nil, &WheelError{Wheel: path, Reason: "not a zip archive", Err: err}
	}
	return zr, nil
}

// install places a validated wheel in the environment and writes it there.
func (e *Env) install(a *archive, opts []InstallOption) error {
	cfg := installConfig{requested: true}
	for _, o := range opts {
		o(&cfg)
	}
	plan, err := e.plan(a)
	if err != nil {
		return err
	}
	if err := e.Uninstall(plan.name); err != nil && !isNotInstalled(err) {
		return err
	}
	r := &recorder{siteDir: plan.siteDir}
	if err := e.extract(plan, &cfg, r); err != nil {
		r.rollback()
		return &WheelError{Wheel: a.wheel, Reason: "installation failed", Err: err}
	}
	return nil
}

// validate checks what does not depend on an environment: the file name,
// every path, the one .dist-info directory, WHEEL, and (when verify is set)
// that RECORD hashes every file correctly.
func validate(wheel string, all []member, verify bool) (*archive, error) {
	wn, err := dist.ParseWheelName(filepath.Base(wheel))
	if err != nil {
		return nil, &WheelError{Wheel: wheel, Reason: "bad wheel file name", Err: err}
	}
	a := &archive{wheel: wheel, name: wn.Name, tags: wn.Tags, byName: map[string]member{}}
	if err := checkSizes(wheel, all); err != nil {
		return nil, err
	}
	if a.distInfo, err = findDistInfo(wheel, all, wn.Name); err != nil {
		return nil, err
	}
	for _, m := range all {
		if err := checkEntry(wheel, m); err != nil {
			return nil, err
		}
		if strings.HasSuffix(m.name, "/") {
			continue
		}
		if _, dup := a.byName[m.name]; dup {
			return nil, &WheelError{Wheel: wheel, Entry: m.name, Reason: "duplicate archive entry"}
		}
		a.byName[m.name] = m
		a.members = append(a.members, m)
	}
	if a.wf, err = parseMember(wheel, a.byName, a.distInfo+"/WHEEL", ParseWheelFile); err != nil {
		return nil, err
	}
	if err := checkIdentity(wheel, wn, a.distInfo, a.byName); err != nil {
		return nil, err
	}
	record, err := parseMember(wheel, a.byName, a.distInfo+"/RECORD", ParseRecord)
	if err != nil {
		return nil, err
	}
	a.record = make(map[string]RecordEntry, len(record))
	for _, r := range record {
		a.record[r.Path] = r
	}
	if verify {
		return a, verifyRecord(a)
	}
	return a, nil
}

// plan decides every destination in the environment.
func (e *Env) plan(a *archive) (*wheelPlan, error) {
	if _, ok := dist.Supported(a.tags, e.Python.Tags); !ok {
		return nil, &WheelError{Wheel: a.wheel, Reason: "no tag of the wheel is supported by python " + e.Python.Version.String()}
	}
	p := &wheelPlan{archive: a, siteDir: e.path(e.Python.Scheme.Platlib)}
	if a.wf.RootIsPurelib {
		p.siteDir = e.path(e.Python.Scheme.Purelib)
	}
	if err := e.placeFiles(p); err != nil {
		return nil, err
	}
	return p, e.planEntryPoints(p)
}

// findDistInfo returns the one top-level .dist-info directory of the distribution.
func findDistInfo(wheel string, all []member, name string) (string, error) {
	found := ""
	for _, m := range all {
		top, _, ok := strings.Cut(m.name, "/")
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
func checkEntry(wheel string, m member) error {
	name := m.name
	bad := func(reason string) error { return &WheelError{Wheel: wheel, Entry: name, Reason: reason} }
	switch {
	case name == "" || strings.HasPrefix(name, "/") || filepath.VolumeName(name) != "":
		return bad("absolute path in archive")
	case strings.ContainsAny(name, "\\\x00"):
		return bad("backslash or NUL in archive path")
	case m.mode&os.ModeSymlink != 0:
		return bad("symlink in archive")
	case m.mode&(os.ModeDevice|os.ModeNamedPipe|os.ModeSocket|os.ModeCharDevice) != 0:
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
func parseMember[T any](wheel string, files map[string]member, name string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	f, ok := files[name]
	if !ok {
		return zero, &WheelError{Wheel: wheel, Entry: name, Reason: "missing"}
	}
	data, err := readInfo(f)
	if errors.Is(err, errInfoTooLarge) {
		return zero, &WheelError{Wheel: wheel, Entry: name, Reason: err.Error(), Err: err}
	}
	if err != nil {
		return zero, &WheelError{Wheel: wheel, Entry: name, Reason: "unreadable", Err: err}
	}
	v, err := parse(data)
	if err != nil {
		return zero, &WheelError{Wheel: wheel, Entry: name, Reason: "malformed", Err: err}
	}
	return v, nil
}

// unhashed are the .dist-info files RECORD cannot hash.
func unhashed(distInfo, name string) bool {
	switch name {
	case distInfo + "/RECORD", distInfo + "/RECORD.jws", distInfo + "/RECORD.p7s":
		return true
	}
	return false
}

// verifyRecord checks that every archive file is in RECORD with a matching
// hash and size, and every file RECORD hashes is in the archive.
func verifyRecord(a *archive) error {
	for _, r := range a.record {
		if _, ok := a.byName[r.Path]; !ok && r.Hash != "" {
			return &WheelError{Wheel: a.wheel, Entry: r.Path, Reason: "listed in RECORD but not in the wheel"}
		}
	}
	for _, m := range a.members {
		if unhashed(a.distInfo, m.name) {
			continue
		}
		r, ok := a.record[m.name]
		if !ok || r.Hash == "" {
			return &WheelError{Wheel: a.wheel, Entry: m.name, Reason: "file not hashed in RECORD"}
		}
		if err := checkHash(m, r); err != nil {
			return &WheelError{Wheel: a.wheel, Entry: m.name, Reason: err.Error()}
		}
	}
	return nil
}

func checkHash(m member, r RecordEntry) error {
	algo, want, err := splitHash(r.Hash)
	if err != nil {
		return err
	}
	h, _ := newHash(algo)
	rc, err := m.open()
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
func (e *Env) placeFiles(p *wheelPlan) error {
	dataDir := strings.TrimSuffix(p.distInfo, ".dist-info") + ".data"
	for _, f := range p.members {
		if unhashed(p.distInfo, f.name) {
			continue
		}
		dest, script := filepath.Join(p.siteDir, filepath.FromSlash(f.name)), false
		if rest, ok := strings.CutPrefix(f.name, dataDir+"/"); ok {
			key, sub, _ := strings.Cut(rest, "/")
			base, err := e.dataTarget(key, p.name)
			if err != nil || sub == "" {
				return &WheelError{Wheel: p.wheel, Entry: f.name, Reason: "unknown .data directory"}
			}
			dest, script = filepath.Join(base, filepath.FromSlash(sub)), key == "scripts"
		}
		if !within(e.Dir, dest) || e.protected(dest) {
			return &WheelError{Wheel: p.wheel, Entry: f.name, Reason: "path escapes the target"}
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
func (e *Env) planEntryPoints(p *wheelPlan) error {
	name := p.distInfo + "/entry_points.txt"
	if _, ok := p.byName[name]; !ok {
		return nil
	}
	eps, err := parseMember(p.wheel, p.byName, name, ParseEntryPoints)
	if err != nil {
		return err
	}
	bin := e.path(e.Python.Scheme.Scripts)
	for _, ep := range eps {
		if ep.Group != "console_scripts" && ep.Group != "gui_scripts" {
			continue
		}
		if !validScriptName(ep.Name) || e.protected(filepath.Join(bin, ep.Name)) {
			return &WheelError{Wheel: p.wheel, Entry: ep.Name, Reason: "bad script name in entry_points.txt"}
		}
		if ep.Attr == "" {
			return &WheelError{Wheel: p.wheel, Entry: ep.Name, Reason: "script entry point names no function"}
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
	return r.added(dest, recordHash(data), int64(len(data)))
}

// added records a file placed at dest.
func (r *recorder) added(dest, hash string, size int64) error {
	r.written = append(r.written, dest)
	rel, err := filepath.Rel(r.siteDir, dest)
	if err != nil {
		return err
	}
	r.record = append(r.record, RecordEntry{Path: filepath.ToSlash(rel), Hash: hash, Size: size})
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
		if err := r.place(f, python, p.record, cfg.link); err != nil {
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
