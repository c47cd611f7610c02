package pyproject

import (
	"slices"

	"github.com/pylock/pylock/pep508"
)

// Environment is one entry of [tool.pylock] environments: a PEP 508 marker
// naming environments the lock must serve. A lock made for a non-empty list
// serves only environments that satisfy one of its markers, as uv's
// `environments` setting narrows a universal lock.
type Environment struct {
	Marker pep508.Marker
	Text   string // as written
	Line   int
}

// readEnvironments reads [tool.pylock] environments.
func (b *builder) readEnvironments() error {
	path := []string{"tool", "pylock", "environments"}
	texts, ok, err := b.src.strings(path...)
	if err != nil || !ok {
		return err
	}
	for i, text := range texts {
		at := sub(path, elem(i))
		m, err := pep508.ParseMarker(text)
		if err != nil {
			return &RequirementError{File: b.src.file, Line: b.src.line(at...), Section: "[tool.pylock] environments", Text: text, Err: err}
		}
		b.p.Environments = append(b.p.Environments, Environment{Marker: m, Text: text, Line: b.src.line(at...)})
	}
	return nil
}

// canonicalEnvironments is the sorted, deduplicated canonical form of the
// environment markers, for Inputs.
func canonicalEnvironments(envs []Environment) []string {
	out := make([]string, 0, len(envs))
	for _, e := range envs {
		out = append(out, e.Marker.String())
	}
	slices.Sort(out)
	return slices.Compact(out)
}
