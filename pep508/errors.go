package pep508

import "fmt"

// SyntaxError reports a requirement or marker that does not parse. Kind is
// "requirement" or "marker", Input is the whole text given to the parser and
// Offset is the byte offset in Input where the problem was found. Err, when
// not nil, is the underlying error (an invalid version specifier).
type SyntaxError struct {
	Kind   string
	Input  string
	Offset int
	Msg    string
	Err    error
}

// Error returns a message such as
// `pep508: invalid marker "python_version": expected a marker operator at offset 14`.
func (e *SyntaxError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("pep508: invalid %s %q: %s at offset %d: %v", e.Kind, e.Input, e.Msg, e.Offset, e.Err)
	}
	return fmt.Sprintf("pep508: invalid %s %q: %s at offset %d", e.Kind, e.Input, e.Msg, e.Offset)
}

// Unwrap returns the underlying error, if any.
func (e *SyntaxError) Unwrap() error { return e.Err }
