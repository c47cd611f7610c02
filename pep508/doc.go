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
package pep508
