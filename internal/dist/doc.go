// Package dist parses the names and metadata of Python distributions: wheel
// file names (PEP 427), source distribution file names (PEP 625 and the older
// dashed spellings), compatibility tags (PEP 425) and core metadata files
// (METADATA in a wheel, PKG-INFO in an sdist).
//
// Grammars, as this package accepts them:
//
//	wheel     = name "-" version [ "-" build ] "-" tagset ".whl"
//	name      = 1*( ALPHA / DIGIT / "_" / "." )      ; no "-": writers escape it as "_"
//	build     = DIGIT *( ALPHA / DIGIT / "_" / "." )  ; starts with a digit
//	tagset    = pythons "-" abis "-" platforms
//	pythons   = tag *( "." tag )                      ; each a compressed set, expanded
//	sdist     = name "-" version ( ".tar.gz" / ".zip" )
//	metadata  = *( field / continuation ) [ CRLF body ]
//	field     = field-name ":" [ WSP ] value CRLF
//	continuation = WSP text CRLF                      ; folded onto the field above
//
// A legacy sdist name may contain dashes in its project part
// ("python-dateutil-2.8.2.tar.gz"); ParseSdistName splits at the last dash,
// and ParseSdistNameFor splits where the prefix matches a known project name.
//
// Names are kept as written; NormalizedName methods give the PEP 503 form
// used for comparisons. Tags are lower-cased, as packaging's Tag does.
package dist
