package testindex

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// pyprojectToml renders the sdist's pyproject.toml: static PEP 621 metadata
// and the in-tree build backend of backendTemplate.
func (r *Release) pyprojectToml(p *Project) []byte {
	var b bytes.Buffer
	b.WriteString("[build-system]\nrequires = []\nbuild-backend = \"testindex_backend\"\nbackend-path = [\"_backend\"]\n\n")
	fmt.Fprintf(&b, "[project]\nname = %s\nversion = %s\n", strconv.Quote(p.Name), strconv.Quote(r.Version.String()))
	if p.Summary != "" {
		fmt.Fprintf(&b, "description = %s\n", strconv.Quote(p.Summary))
	}
	if r.RequiresPython != "" {
		fmt.Fprintf(&b, "requires-python = %s\n", strconv.Quote(r.RequiresPython))
	}
	fmt.Fprintf(&b, "dependencies = %s\n", tomlList(r.baseReqs))
	if len(r.ProvidesExtra) > 0 {
		b.WriteString("\n[project.optional-dependencies]\n")
		for _, e := range r.ProvidesExtra {
			fmt.Fprintf(&b, "%s = %s\n", strconv.Quote(e), tomlList(r.extraReqs[e]))
		}
	}
	if len(r.EntryPoints) > 0 {
		b.WriteString("\n[project.scripts]\n")
		for _, ep := range r.EntryPoints {
			fmt.Fprintf(&b, "%s = %s\n", strconv.Quote(ep.Script), strconv.Quote(ep.Target))
		}
	}
	return b.Bytes()
}

func tomlList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// backendPy renders the sdist's PEP 517 build backend, which builds the
// py3-none-any wheel from the tree without any network or build requirement.
func (r *Release) backendPy(p *Project) []byte {
	stem := distName(p) + "-" + r.Version.String()
	return []byte(strings.NewReplacer(
		"@DIST_INFO@", strconv.Quote(stem+".dist-info"),
		"@WHEEL_NAME@", strconv.Quote(stem+"-py3-none-any.whl"),
		"@MODULE@", strconv.Quote(r.Module),
		"@ENTRY_POINTS@", strconv.Quote(string(r.entryPointsTxt())),
	).Replace(backendTemplate))
}

const backendTemplate = `"""PEP 517 build backend for sdists of pylock's test index."""

import base64
import hashlib
import os
import zipfile

DIST_INFO = @DIST_INFO@
WHEEL_NAME = @WHEEL_NAME@
MODULE = @MODULE@
ENTRY_POINTS = @ENTRY_POINTS@
WHEEL = "Wheel-Version: 1.0\nGenerator: pylock-testindex\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = {}
    for root, _, names in os.walk(MODULE):
        for name in names:
            if name.endswith(".py"):
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    files[path.replace(os.sep, "/")] = f.read()
    with open("PKG-INFO", "rb") as f:
        files[DIST_INFO + "/METADATA"] = f.read()
    files[DIST_INFO + "/WHEEL"] = WHEEL.encode()
    if ENTRY_POINTS:
        files[DIST_INFO + "/entry_points.txt"] = ENTRY_POINTS.encode()
    record = []
    for name, data in sorted(files.items()):
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (name, digest, len(data)))
    record.append(DIST_INFO + "/RECORD,,")
    files[DIST_INFO + "/RECORD"] = ("\n".join(record) + "\n").encode()
    with zipfile.ZipFile(os.path.join(wheel_directory, WHEEL_NAME), "w") as z:
        for name, data in sorted(files.items()):
            z.writestr(zipfile.ZipInfo(name, (2020, 2, 2, 0, 0, 0)), data)
    return WHEEL_NAME
`
