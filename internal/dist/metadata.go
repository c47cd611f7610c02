package dist

import (
	"bytes"
	"strings"

	"github.com/pylock/pylock/pep508"
)

// Metadata is the part of a distribution's core metadata (METADATA or
// PKG-INFO) that resolving and locking need.
type Metadata struct {
	MetadataVersion string // "Metadata-Version", e.g. "2.1"
	Name, Version   string // as written
	RequiresPython  string // "" if none
	Summary         string
	RequiresDist    []pep508.Requirement // in file order, markers as written
	ProvidesExtra   []string             // in file order, as written
	Dynamic         []string             // "Dynamic" fields (Metadata 2.2+), as written
	Description     string               // the message body, or the Description field
}

// field is one header field with its continuation lines unfolded.
type field struct {
	name  string // as written
	value string // continuation lines joined with "\n"
	line  int    // 1-based line of the field name
}

// ParseMetadata parses core metadata in the RFC 822 style of METADATA and
// PKG-INFO files: "Name: value" fields, continuation lines starting with a
// space or tab, then an optional body after an empty line. Field names are
// matched case-insensitively. Name and Version are required; every
// Requires-Dist value must be a valid PEP 508 requirement.
func ParseMetadata(data []byte) (Metadata, error) {
	fields, body, err := splitFields(data)
	if err != nil {
		return Metadata{}, err
	}
	var m Metadata
	for _, f := range fields {
		if err := m.set(f); err != nil {
			return Metadata{}, err
		}
	}
	if body != "" {
		m.Description = body
	}
	if m.Name == "" {
		return Metadata{}, &MetadataError{Field: "Name", Reason: `missing "Name" field`}
	}
	if m.Version == "" {
		return Metadata{}, &MetadataError{Field: "Version", Reason: `missing "Version" field`}
	}
	return m, nil
}

// set stores one field into m.
func (m *Metadata) set(f field) error {
	single := strings.Join(strings.Fields(f.value), " ")
	switch strings.ToLower(f.name) {
	case "metadata-version":
		m.MetadataVersion = single
	case "name":
		m.Name = single
	case "version":
		m.Version = single
	case "requires-python":
		m.RequiresPython = single
	case "summary":
		m.Summary = single
	case "description":
		m.Description = f.value
	case "provides-extra":
		m.ProvidesExtra = append(m.ProvidesExtra, single)
	case "dynamic":
		m.Dynamic = append(m.Dynamic, single)
	case "requires-dist":
		r, err := pep508.ParseRequirement(single)
		if err != nil {
			return &MetadataError{Line: f.line, Field: f.name, Text: single, Reason: "invalid requirement", Err: err}
		}
		m.RequiresDist = append(m.RequiresDist, r)
	}
	return nil
}

// splitFields splits data into header fields and the body.
func splitFields(data []byte) ([]field, string, error) {
	text := strings.ReplaceAll(string(bytes.TrimPrefix(data, []byte("\ufeff"))), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	var fields []field
	for i, line := range lines {
		switch {
		case line == "":
			return fields, strings.TrimRight(strings.Join(lines[i+1:], "\n"), "\n"), nil
		case line[0] == ' ' || line[0] == '\t':
			if len(fields) == 0 {
				return nil, "", malformed(i+1, line, "continuation line before any field")
			}
			f := &fields[len(fields)-1]
			f.value += "\n" + continuation(line)
		default:
			name, value, ok := strings.Cut(line, ":")
			if !ok || !validFieldName(name) {
				return nil, "", malformed(i+1, line, `want "Field-Name: value"`)
			}
			fields = append(fields, field{name: name, value: strings.TrimSpace(value), line: i + 1})
		}
	}
	return fields, "", nil
}

// continuation strips the folding whitespace of a continuation line, and the
// "|" margin that setuptools writes before Description lines.
func continuation(line string) string {
	s := strings.TrimLeft(line, " \t")
	if rest, ok := strings.CutPrefix(s, "|"); ok {
		return strings.TrimPrefix(rest, " ")
	}
	return s
}

func validFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

func malformed(line int, text, reason string) error {
	return &MetadataError{Line: line, Text: text, Reason: reason}
}
