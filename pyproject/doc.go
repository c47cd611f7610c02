// Package pyproject reads a pyproject.toml into one dependency model
// (Project) whichever dialect declares the dependencies:
//
//   - PEP 621 [project]: name, version, dependencies, optional-dependencies
//     (extra names normalized), requires-python. A field listed in
//     project.dynamic is not read from [project]; listing dependencies or
//     optional-dependencies there is an error (*DynamicError) unless
//     [tool.poetry] supplies them, as Poetry 2's backend does.
//   - PEP 735 [dependency-groups]: PEP 508 strings and {include-group =
//     "name"} entries; group names normalized; unknown includes and include
//     cycles are errors (*GroupError).
//   - Poetry [tool.poetry]: dependencies (its "python" entry is the
//     project's Python range), group.<name>.dependencies with group
//     optional = true and include-groups, legacy dev-dependencies (group
//     "dev"), and extras, through which alone optional = true dependencies
//     are installed.
//   - Package indexes: [[tool.pylock.index]] tables (name, url, default =
//     true to replace PyPI, explicit = true to serve only pinned packages)
//     and [tool.pylock.sources] name = { index = "..." } pins, and Poetry's
//     [[tool.poetry.source]] (priority primary, supplemental, explicit; the
//     legacy default and secondary) with its dependencies' source keys, in
//     one model (Project.Indexes, Project.Sources). Unknown index names,
//     duplicate names and bad URLs are errors (*UnknownIndexError,
//     *DuplicateIndexError, *IndexURLError); no error or Inputs entry shows
//     credentials written in an index URL.
//
// When both [project] and [tool.poetry] declare something, PEP 621 wins for
// each field it declares, as in Poetry 2: [project.dependencies] replaces
// [tool.poetry.dependencies], [project.optional-dependencies] replaces
// [tool.poetry.extras], project.requires-python replaces Poetry's python; the
// ignored Poetry declarations are reported in Project.Warnings. Dependency
// groups of both tables are merged by normalized name.
//
// Every Dependency keeps its PEP 508 requirement, its text as written, the
// table it came from and its line, and Project.Inputs gives the canonical
// form of the whole input that a lockfile stores and Diff compares.
//
// # Poetry constraints
//
// ParsePoetryConstraint follows poetry-core 2.3.2's parse_constraint:
//
//	constraint = or-group ( WS* ("||" | "|") WS* or-group )*
//	or-group   = single ( sep single )* ","*      sep: "," or " " (spaces around allowed)
//	single     = "*" | "v"? ("x"|"X"|"*") ("." ("x"|"X"|"*"))*   any version
//	           | "~" WS* VERSION       >=V, < next minor (next major if V has one part)
//	           | "~=" WS* VERSION      >=V, < next major if V has two parts, else next minor
//	           | "^" WS* VERSION       >=V, < bump of the left-most non-zero part
//	           | ("=="|"!=")? WS* "v"? N ("." N){0,2} (".*")+          wildcard
//	           | OP? WS* (VERSION | "dev") ".*"?
//	OP         = "==" | "=" | "!=" | ">" | ">=" | "<" | "<="   (none means "==")
//
// VERSION is any PEP 440 version, case-insensitive, with a leading "v"
// allowed. Bounds keep the precision written ("^1.2" is ">=1.2,<2.0"); a
// wildcard "V.*" is [V.dev0, next.dev0) and prints as "==V.*" when PEP 440
// can say so; an and-list whose pieces are all ranges is intersected as
// poetry-core intersects it (other and-lists keep every clause, which means
// the same). An or-group allowing no version is an error. Poetry's "<>" (which poetry-core reads as
// "==") is rejected.
package pyproject
