// Package pep440 implements PEP 440 versions and version specifiers exactly
// as packaging 24.2 (the version pip 25.0 vendors) behaves: parsing of every
// permitted spelling, the normal form, the total order, every specifier
// operator, the pre-release policy, and Range, an interval-set algebra over
// versions that the resolver builds its terms on.
//
// # Version grammar
//
// Matching ignores ASCII case; surrounding whitespace (Unicode White_Space and
// U+001C..U+001F, as Python's \s) is allowed; all digits are ASCII 0-9 and
// numbers may be arbitrarily long.
//
//	version  = ["v"] [N "!"] release [pre] [post] [dev] ["+" local]
//	release  = N *("." N)
//	pre      = [sep] ("alpha"|"a"|"beta"|"b"|"preview"|"pre"|"c"|"rc") [sep] [N]
//	post     = "-" N | [sep] ("post"|"rev"|"r") [sep] [N]
//	dev      = [sep] "dev" [sep] [N]
//	local    = alnum *(sep alnum)
//	sep      = "-" | "_" | "."
//	N        = 1*DIGIT
//	alnum    = 1*(DIGIT | "a".."z")
//
// A missing pre, post or dev number is 0. The normal form (Version.String)
// writes the epoch only when non-zero, the release numbers without leading
// zeros, pre-releases as a/b/rc directly after the release, ".postN",
// ".devN", and the local label lower-cased with "." separators and numeric
// segments without leading zeros.
//
// # Specifier grammar
//
//	set       = [clause] *("," [clause])          ; empty items are skipped
//	clause    = *WS op *WS spec-version *WS
//	op        = "===" | "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">"
//
// After "===" any run of characters other than whitespace, ";" and ")" is
// accepted and compared as a string. After "==" and "!=" the version may end
// in ".*" directly after the release (no pre, post, dev or local part), or
// carry a local label. After "~=" the release needs at least two numbers and
// no local label is allowed. The other operators allow neither ".*" nor a
// local label.
//
// # Membership
//
// SpecifierSet.Contains follows packaging 24.2's rules, including the ones
// later packaging changed: ">V" refuses post-releases of V's release unless V
// is a post-release, and refuses every local version of V's release; "<V"
// refuses pre-releases of V's release unless V is a pre-release. Range gives
// the same membership (with pre-releases allowed) as a set that can be
// intersected, united and complemented.
package pep440
