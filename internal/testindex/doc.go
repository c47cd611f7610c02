// Package testindex is a real HTTP package index for tests and the demo. It
// serves projects described in a folder of small TOML files over the same
// protocols as PyPI, building real wheels and sdists on the fly:
//
//   - /simple/ and /simple/<name>/: the Simple API as PEP 503 HTML or, when
//     the Accept header (or ?format=) asks for
//     application/vnd.pypi.simple.v1+json, PEP 691 JSON with the PEP 700
//     additions (versions, size, upload-time). Files carry #sha256=
//     fragments, data-requires-python, data-yanked, and data-core-metadata /
//     data-dist-info-metadata (PEP 658/714). A name that is not normalized
//     is redirected (301) to its PEP 503 form.
//   - /pypi/<name>/json and /pypi/<name>/<version>/json: the PyPI JSON API.
//   - /files/<filename> (range requests supported) and
//     /files/<filename>.metadata (PEP 658).
//
// Unknown projects, versions and files answer 404. Options turn parts off
// (the JSON API, PEP 691, PEP 658 files), require basic auth, add a delay to
// every response and set the pages' Cache-Control (PyPI's "max-age=600,
// public" by default), and Server counts requests per path.
//
// # Faults
//
// Server.Inject arms a Fault for the requests under a path prefix while the
// server runs, for the next N of them or until ClearFaults: an error status
// (500, 503, 429 with Retry-After), a connection reset, a truncated body
// (Content-Length larger than what is sent), a malformed body, a body with
// one wrong byte (so its sha256 does not match), a slow body, no range
// support, a huge body, an endless body, a body that trickles one byte at a
// time without end (slowloris), or a redirect to another server.
//
// # Description files
//
// One file per project, named after it (httpx.toml). The file stem is the
// project name unless "name" says otherwise. Example:
//
//	name = "httpx"                       # optional; display name
//	summary = "A next generation HTTP client."
//	module = "httpx"                     # optional; default: normalized name, "-" -> "_"
//
//	[[release]]
//	version = "0.27.0"                   # required; any PEP 440 spelling
//	requires-python = ">=3.8"            # optional
//	requires-dist = ["anyio", "certifi", "httpcore==1.*"]
//	extras = { http2 = ["h2>=3,<5"], cli = ["click==8.*"] }
//	entry-points = { httpx = "httpx:main" }  # console_scripts: script = "module:function"
//	yanked = "broken build"              # optional; true, false, or a reason string
//	files = ["py3-none-any", "sdist"]    # default; wheel tag triples (compressed sets allowed) or "sdist"
//	upload-time = 2024-02-21T12:00:00Z   # optional; default 2023-01-01T12:00:00Z plus one day per older release
//	module = "httpx"                     # optional; overrides the project's module for this release
//
// Each extra's requirements are written into Requires-Dist with an
// `extra == "name"` marker (joined with the requirement's own marker) and
// listed in Provides-Extra. Unknown keys are errors; every error is a
// *DescriptionError naming the file and, where one line is at fault, the line.
//
// # In-memory descriptions
//
// FromSpecs builds an index from Spec values with the same meaning as
// description files, and ResolvelibSpecs turns a resolvelib index file (real
// PyPI metadata) into specs. With SpecOptions.Lazy a project's files are
// built only when a client first asks about the project, so an index of
// thousands of releases starts at once. Server.SetIndex swaps the served
// index, as an upload changes a real one.
//
// # Built files
//
// Everything is deterministic: the same descriptions give byte-identical
// files and hashes (archives are stored with sorted members, fixed times
// and modes). A wheel <dist>-<version>-<tags>.whl holds
// <module>/__init__.py (with __version__, BUILD_TAG and main(), which prints
// "<name> <version>") and <dist>-<version>.dist-info/ with METADATA
// (Metadata-Version 2.1), WHEEL, entry_points.txt (when there are entry
// points) and RECORD (sha256 of every member). An sdist
// <dist>-<version>.tar.gz holds PKG-INFO (Metadata-Version 2.2, all fields
// static), a PEP 621 pyproject.toml, the module, and an in-tree PEP 517
// backend (_backend/testindex_backend.py) that builds the py3-none-any wheel
// with no build requirements, so installers can build it offline.
package testindex
