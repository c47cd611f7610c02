package lockfile

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

var lockVersionRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([0-9]+)\.([0-9]+)$`) })

// Parse reads a pylock.toml. name is used in error messages only. Errors are
// *Error values carrying name and line. The returned File is in canonical
// order (see Sort).
//
// Parse checks that lock-version has major version 1, that required keys are
// present, that names are normalized, versions parse as PEP 440 versions,
// specifier sets and markers parse, hashes are well formed, sources are not
// mixed, and wheel file names match their package. A file without hashes
// parses: Validate reports it, with what else needs the whole file. Unknown
// keys are errors in a "1.0" file and ignored in a later 1.x file.
func Parse(name string, data []byte) (*File, error) {
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		return nil, syntaxError(name, err)
	}
	f, fe := decodeFile(raw)
	if fe != nil {
		line := locate(data, fe)
		return nil, &Error{File: name, Line: line, Key: fe.path, Msg: fe.msg, Err: fe.err}
	}
	f.Sort()
	return f, nil
}

// ReadFile reads and parses the lock file at path.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: "cannot read lock file", Err: err}
	}
	return Parse(filepath.Base(path), data)
}

func syntaxError(name string, err error) error {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		return &Error{File: name, Line: row, Column: col, Msg: "invalid toml: " + strings.TrimPrefix(de.Error(), "toml: ")}
	}
	return &Error{File: name, Msg: "invalid toml", Err: err}
}

func decodeFile(raw map[string]any) (*File, *fieldError) {
	t := newTable(raw, -1, "", "")
	f := &File{}
	var fe *fieldError
	if t.strict, fe = decodeLockVersion(t, f); fe != nil {
		return nil, fe
	}
	if fe = decodeTop(t, f); fe != nil {
		return nil, fe
	}
	if fe = decodePackages(t, f); fe != nil {
		return nil, fe
	}
	if fe = decodeTool(t, f); fe != nil {
		return nil, fe
	}
	return f, t.checkUnknown()
}

// decodeLockVersion checks lock-version and reports whether unknown keys are
// errors (minor version 0) or ignored (a later minor version).
func decodeLockVersion(t *table, f *File) (bool, *fieldError) {
	v, fe := t.str("lock-version", true)
	if fe != nil {
		return false, fe
	}
	m := lockVersionRE().FindStringSubmatch(v)
	if m == nil {
		return false, t.fail("lock-version", v, "invalid lock-version %q: want major.minor", v)
	}
	if m[1] != "1" {
		return false, t.fail("lock-version", v, "unsupported lock-version %q: major version must be 1", v)
	}
	f.LockVersion = v
	minor, err := strconv.Atoi(m[2])
	return err == nil && minor == 0, nil
}

func decodeTop(t *table, f *File) *fieldError {
	var fe *fieldError
	if f.CreatedBy, fe = t.str("created-by", true); fe != nil {
		return fe
	}
	if f.RequiresPython, fe = specifiers(t, "requires-python"); fe != nil {
		return fe
	}
	if f.Environments, fe = t.strs("environments"); fe != nil {
		return fe
	}
	for _, m := range f.Environments {
		if fe = check(t, "environments", "marker", m, accepts(pep508.ParseMarker)); fe != nil {
			return fe
		}
	}
	for _, k := range []struct {
		key string
		dst *[]string
	}{{"extras", &f.Extras}, {"dependency-groups", &f.DependencyGroups}, {"default-groups", &f.DefaultGroups}} {
		if *k.dst, fe = names(t, k.key); fe != nil {
			return fe
		}
	}
	return nil
}

// names reads an array of normalized names.
func names(t *table, key string) ([]string, *fieldError) {
	list, fe := t.strs(key)
	if fe != nil {
		return nil, fe
	}
	for _, n := range list {
		if fe := checkName(t, key, n); fe != nil {
			return nil, fe
		}
	}
	return list, nil
}

func checkName(t *table, key, n string) *fieldError {
	if !pep508.ValidName(n) {
		return t.fail(key, n, "invalid name %q", n)
	}
	if norm := pep508.NormalizeName(n); norm != n {
		return t.fail(key, n, "name %q is not normalized (want %q)", n, norm)
	}
	return nil
}

// check reports s, a value of key, when valid rejects it; what names the kind
// of value in the message.
func check(t *table, key, what, s string, valid func(string) error) *fieldError {
	if err := valid(s); err != nil {
		fe := t.fail(key, s, "invalid %s %q", what, s)
		fe.err = err
		return fe
	}
	return nil
}

// checked reads an optional string of key that, when not empty, valid must
// accept (see check).
func checked(t *table, key, what string, valid func(string) error) (string, *fieldError) {
	s, fe := t.str(key, false)
	if fe != nil || s == "" {
		return s, fe
	}
	if fe = check(t, key, what, s, valid); fe != nil {
		return "", fe
	}
	return s, nil
}

// accepts turns a parser into a check that it accepts its input.
func accepts[T any](parse func(string) (T, error)) func(string) error {
	return func(s string) error {
		_, err := parse(s)
		return err
	}
}

// specifiers reads an optional PEP 440 specifier set.
func specifiers(t *table, key string) (string, *fieldError) {
	return checked(t, key, "specifier set", accepts(pep440.ParseSpecifierSet))
}

func decodePackages(t *table, f *File) *fieldError {
	if _, ok := t.m["packages"]; !ok {
		return t.fail("packages", "", "missing required key")
	}
	pkgs, fe := t.tables("packages")
	if fe != nil {
		return fe
	}
	if len(pkgs) > 0 {
		f.Packages = make([]Package, 0, len(pkgs))
	}
	for i, pt := range pkgs {
		pt.pkg, pt.line = i, ""
		p, fe := decodePackage(pt)
		if fe != nil {
			return fe
		}
		f.Packages = append(f.Packages, *p)
	}
	return nil
}

func decodePackage(t *table) (*Package, *fieldError) {
	p := &Package{}
	var fe *fieldError
	if p.Name, fe = t.str("name", true); fe != nil {
		return nil, fe
	}
	if fe = checkName(t, "name", p.Name); fe != nil {
		return nil, fe
	}
	for _, step := range []func(*table, *Package) *fieldError{
		decodeIdentity, decodeDependencies, decodeSources, decodeFiles, decodeExtra,
	} {
		if fe = step(t, p); fe != nil {
			return nil, fe
		}
	}
	return p, t.checkUnknown()
}

func decodeIdentity(t *table, p *Package) *fieldError {
	var fe *fieldError
	if p.Version, fe = version(t, "version"); fe != nil {
		return fe
	}
	if p.Marker, fe = checked(t, "marker", "marker", accepts(pep508.ParseMarker)); fe != nil {
		return fe
	}
	if p.RequiresPython, fe = specifiers(t, "requires-python"); fe != nil {
		return fe
	}
	p.Index, fe = t.str("index", false)
	return fe
}

// version reads an optional PEP 440 version.
func version(t *table, key string) (string, *fieldError) {
	return checked(t, key, "version", accepts(pep440.Parse))
}

func decodeDependencies(t *table, p *Package) *fieldError {
	deps, fe := t.tables("dependencies")
	if fe != nil {
		return fe
	}
	for _, dt := range deps {
		var d Dependency
		if d.Name, fe = dt.str("name", true); fe != nil {
			return fe
		}
		if fe = checkName(dt, "name", d.Name); fe != nil {
			return fe
		}
		if d.Version, fe = version(dt, "version"); fe != nil {
			return fe
		}
		for _, k := range dt.rest() {
			if d.Keys == nil {
				d.Keys = map[string]any{}
			}
			d.Keys[k] = normalizeValue(dt.m[k])
		}
		p.Dependencies = append(p.Dependencies, d)
	}
	return nil
}

func decodeExtra(t *table, p *Package) *fieldError {
	ids, fe := t.tables("attestation-identities")
	if fe != nil {
		return fe
	}
	for _, it := range ids {
		if _, fe = it.str("kind", true); fe != nil {
			return fe
		}
		p.AttestationIdentities = append(p.AttestationIdentities, normalizeMap(it.m))
	}
	tool, fe := t.generic("tool")
	p.Tool = nonEmpty(tool)
	return fe
}

func decodeTool(t *table, f *File) *fieldError {
	tool, fe := t.generic("tool")
	if fe != nil || tool == nil {
		return fe
	}
	if raw, ok := tool["pylock"]; ok {
		m, ok := raw.(map[string]any)
		if !ok {
			return t.fail("tool", "", "tool.pylock: expected a table, found %s", typeName(raw))
		}
		if f.Pylock, fe = decodePylock(newTable(m, -1, "tool.pylock", "tool.pylock")); fe != nil {
			return fe
		}
		delete(tool, "pylock")
	}
	f.Tool = nonEmpty(tool)
	return nil
}

func decodePylock(t *table) (ToolPylock, *fieldError) {
	var tp ToolPylock
	n, _, fe := t.integer("format-version")
	if fe != nil {
		return tp, fe
	}
	if n < 0 || n > 1<<30 {
		return tp, t.fail("format-version", "", "invalid format-version %d", n)
	}
	tp.FormatVersion = int(n)
	t.strict = tp.FormatVersion <= FormatVersion
	if tp.RequiresPython, fe = specifiers(t, "requires-python"); fe != nil {
		return tp, fe
	}
	if tp.IndexURLs, fe = t.strs("index-urls"); fe != nil {
		return tp, fe
	}
	if len(tp.IndexURLs) == 0 {
		tp.IndexURLs = nil
	}
	if tp.Environments, fe = t.strs("environments"); fe != nil {
		return tp, fe
	}
	for _, m := range tp.Environments {
		if fe = check(t, "environments", "marker", m, accepts(pep508.ParseMarker)); fe != nil {
			return tp, fe
		}
	}
	if len(tp.Environments) == 0 {
		tp.Environments = nil
	}
	if tp.Settings, fe = settings(t); fe != nil {
		return tp, fe
	}
	if tp.Sections, fe = sections(t); fe != nil {
		return tp, fe
	}
	return tp, t.checkUnknown()
}

func settings(t *table) (map[string]string, *fieldError) {
	st, fe := t.sub("settings", "")
	if fe != nil || st == nil {
		return nil, fe
	}
	var out map[string]string
	for _, k := range st.rest() {
		s, fe := st.str(k, true)
		if fe != nil {
			return nil, fe
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = s
	}
	return out, nil
}

func sections(t *table) ([]Section, *fieldError) {
	sts, fe := t.tables("sections")
	if fe != nil {
		return nil, fe
	}
	var out []Section
	for _, st := range sts {
		var s Section
		if s.Label, fe = st.str("label", true); fe != nil {
			return nil, fe
		}
		if s.Requirements, fe = st.strs("requirements"); fe != nil {
			return nil, fe
		}
		for _, r := range s.Requirements {
			if fe = check(st, "requirements", "requirement", r, accepts(pep508.ParseRequirement)); fe != nil {
				return nil, fe
			}
		}
		if len(s.Requirements) == 0 {
			s.Requirements = nil
		}
		if fe = st.checkUnknown(); fe != nil {
			return nil, fe
		}
		out = append(out, s)
	}
	return out, nil
}
