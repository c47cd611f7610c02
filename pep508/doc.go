// Package pep508 parses, prints and evaluates PEP 508 dependency specifiers
// and environment markers exactly as packaging 24.2 does, and normalizes
// project names by PEP 503.
//
// The grammar, as packaging's hand-written parser accepts it (WS is spaces and
// tabs; IDENTIFIER is [A-Za-z0-9][A-Za-z0-9._-]* between word boundaries):
//
//	requirement = WS? IDENTIFIER WS? extras? WS? details END
//	extras      = "[" WS? (IDENTIFIER (WS? "," WS? IDENTIFIER)*)? WS? "]"
//	details     = "@" WS? URL (WS marker_part?)?
//	            | specifier WS? marker_part?
//	marker_part = ";" marker WS?
//	specifier   = "(" WS? version_many WS? ")" | WS? version_many WS?
//	version_many = (SPEC (WS? "," WS? SPEC)*)?
//	URL         = one or more characters other than space and tab
//
//	marker      = atom (("and" | "or") atom)*
//	atom        = WS? ("(" WS? marker WS? ")" | item) WS?
//	item        = var WS? op WS? var
//	op          = "<" | "<=" | "==" | "!=" | ">=" | ">" | "~=" | "===" | "in" | "not" WS "in"
//	var         = VARIABLE | "'" [^']* "'" | '"' [^"]* '"'
//
// SPEC is one PEP 440 clause as packaging's specifier regular expression
// matches it (an operator, optional whitespace, then a version). Quoted
// strings are decoded as Python string literals. VARIABLE is one of the
// eleven PEP 508 environment variables, "extra", PEP 751's set-valued
// "extras" and "dependency_groups", or one of the legacy spellings
// os.name, sys.platform, platform.version, platform.machine,
// platform.python_implementation and python_implementation. "and" binds
// tighter than "or".
//
// Where packaging 24.2 raises or has a known quirk, this package does what
// later packaging does, or the least surprising thing: every `extra`
// comparison is normalized (24.2 normalizes only the first one), nested
// groups keep their parentheses when printed, a trailing newline is an
// error, a value holding a double quote is printed in single quotes, a
// comparison whose version test is impossible (the left value is not a
// version) falls back to comparing strings, and a comparison of two
// variables compares both of their values.
//
// # Marker algebra
//
// Not, False, IsFalse, IsAlwaysTrue, Disjoint, Implies, Equivalent,
// Simplify, SimplifyPython, PythonRange and PythonMarker decide markers as
// universal resolution needs them. They work on a reduced ordered decision
// diagram (as uv's uv-pep508 crate does): python_full_version first, with
// python_version folded into it as whole minor releases (pre-releases
// included), then implementation_version, both with pep440 Ranges on their
// edges; then the string variables compared with == and !=, one edge per
// value; then extras, dependency groups and every comparison the algebra
// does not interpret, as independent boolean atoms. algebra.go states the
// semantics exactly; no platform facts are assumed (sys_platform == "linux"
// does not imply platform_system == "Linux"). Nodes are hash-consed and
// operations memoized for the life of the process, so equivalent markers
// share one diagram and Simplify prints them identically.
//
// PEP 508 has no "not", and some version sets have no spelling (every
// version below 3.10 including 3.10's pre-releases has one, `<= "3.10" and
// != "3.10"`; every version up to 3.10.1's post-releases has none). A marker
// the algebra makes whose text would need such a set is printed rounded to
// the nearest spelling (differing only on pre-, post-, dev- or local
// releases of the versions it names, or on opaque comparisons' negations)
// and keeps its exact meaning for Evaluate and the algebra.
package pep508
