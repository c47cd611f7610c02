package lockfile

import (
	"fmt"
	"strconv"
)

// Error is a problem found while reading or writing a lock file.
type Error struct {
	File   string // the name given to Parse, or the path written
	Line   int    // 1-based; 0 when unknown
	Column int    // 1-based; 0 when unknown
	Key    string // the offending key, e.g. "packages[2].version"; "" for syntax errors
	Msg    string // lowercase description
	Err    error  // underlying error, if any
}

// Error formats e as "file:line:col: key: msg: err".
func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			s += ":" + strconv.Itoa(e.Column)
		}
	}
	s += ": "
	if e.Key != "" {
		s += e.Key + ": "
	}
	s += e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// fieldError is a semantic error before it is given a file position.
type fieldError struct {
	pkg   int    // index into packages, -1 for top level
	key   string // dotted key inside the package (or top level)
	path  string // full key path for messages
	value string // offending value, used to find the line
	msg   string
	err   error
}

func errf(pkg int, key, path, value, format string, args ...any) *fieldError {
	return &fieldError{pkg: pkg, key: key, path: path, value: value, msg: fmt.Sprintf(format, args...)}
}
