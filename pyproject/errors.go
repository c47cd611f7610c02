package pyproject

import (
	"fmt"
	"strings"
)

// ConstraintError reports a Poetry version constraint that cannot be parsed
// or that allows no version.
type ConstraintError struct {
	Constraint string // as written
	Reason     string
}

func (e *ConstraintError) Error() string {
	return fmt.Sprintf("pyproject: invalid poetry constraint %q: %s", e.Constraint, e.Reason)
}

// SyntaxError reports a file that is not valid TOML.
type SyntaxError struct {
	File         string
	Line, Column int    // 1-based
	Text         string // the offending source line
	Message      string // the TOML decoder's message
}

// Error shows the message, then the offending line with a caret under the
// column, as compilers do.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: invalid toml: %s\n    %s\n    %s^", e.File, e.Line, e.Column, e.Message, e.Text, caretPad(e.Text, e.Column))
}

// caretPad is the blank space before the caret under column col (1-based) of
// text, keeping tabs so the caret lines up.
func caretPad(text string, col int) string {
	var pad strings.Builder
	for i, r := range text {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			pad.WriteRune('\t')
		} else {
			pad.WriteRune(' ')
		}
	}
	return pad.String()
}

// RequirementError reports a dependency that cannot be turned into a PEP 508
// requirement.
type RequirementError struct {
	File    string
	Line    int
	Section string // e.g. "[project.dependencies]"
	Text    string // the requirement as written
	Err     error  // the pep508 (or constraint) error
}

func (e *RequirementError) Error() string {
	return fmt.Sprintf("%s:%d: %s: invalid requirement %q: %v", e.File, e.Line, e.Section, e.Text, e.Err)
}

// Unwrap returns the underlying parse error.
func (e *RequirementError) Unwrap() error { return e.Err }

// FieldError reports a key with a value of the wrong shape, or one that is
// not allowed where it stands.
type FieldError struct {
	File    string
	Line    int
	Field   string // dotted TOML key, e.g. "project.requires-python"
	Message string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Message)
}

// DynamicError reports a field that [project] marks dynamic, so the file does
// not hold it and pylock cannot lock it, and no [tool.poetry] table supplies
// it either.
type DynamicError struct {
	File  string
	Line  int    // the line of project.dynamic
	Field string // e.g. "dependencies"
}

func (e *DynamicError) Error() string {
	return fmt.Sprintf("%s:%d: project.dynamic lists %q: its value is computed by the build backend, "+
		"so pylock cannot read it from the file; declare it statically in [project]", e.File, e.Line, e.Field)
}

// GroupError reports a dependency group that includes an unknown group, or
// groups that include each other in a cycle.
type GroupError struct {
	File    string
	Line    int
	Group   string   // the group holding the include, normalized
	Unknown string   // the unknown included group, "" for a cycle
	Cycle   []string // the groups in the cycle, starting and ending with Group
}

func (e *GroupError) Error() string {
	if e.Unknown != "" {
		return fmt.Sprintf("%s:%d: dependency group %q includes unknown group %q", e.File, e.Line, e.Group, e.Unknown)
	}
	return fmt.Sprintf("%s:%d: dependency groups include each other in a cycle: %s",
		e.File, e.Line, strings.Join(e.Cycle, " -> "))
}
