package dist

import "fmt"

// NameError reports a wheel or sdist file name that does not follow its grammar.
type NameError struct {
	Filename string // the file name as given
	Kind     string // "wheel" or "sdist"
	Reason   string // what is wrong, lower case
	Err      error  // the underlying version or name error, if any
}

func (e *NameError) Error() string {
	return fmt.Sprintf("dist: invalid %s filename %q: %s", e.Kind, e.Filename, e.Reason)
}

// Unwrap returns the underlying error, if any.
func (e *NameError) Unwrap() error { return e.Err }

// TagError reports a compatibility tag triple that cannot be parsed.
type TagError struct {
	Tag    string // the tag triple as given
	Reason string
}

func (e *TagError) Error() string {
	return fmt.Sprintf("dist: invalid tag %q: %s", e.Tag, e.Reason)
}

// MetadataError reports a core metadata line that cannot be parsed, or a
// required field that is missing (Line is then 0).
type MetadataError struct {
	Line   int    // 1-based line number of the offending field, 0 if none
	Field  string // field name, e.g. "Requires-Dist"; "" for a malformed line
	Text   string // the offending line or value
	Reason string
	Err    error // the underlying requirement error, if any
}

func (e *MetadataError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("dist: invalid metadata: %s", e.Reason)
	}
	return fmt.Sprintf("dist: invalid metadata line %d %q: %s", e.Line, e.Text, e.Reason)
}

// Unwrap returns the underlying error, if any.
func (e *MetadataError) Unwrap() error { return e.Err }
