package pep508

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pylock/pylock/internal/conformance"
)

// conformanceRunners maps each file of the pep508 conformance folder to the
// runner that checks its cases; a file with no runner fails the test.
var conformanceRunners = map[string]func(t *testing.T, known map[string]string, file string, data []byte){
	"markers_eval.json":         runMarkersEval,
	"invalid_markers.json":      runInvalidMarkers,
	"requirements.json":         runRequirements,
	"invalid_requirements.json": runInvalidRequirements,
}

func TestConformance(t *testing.T) {
	dir := conformance.Dir(t, "pep508")
	known := conformance.KnownFailuresOf(t, "pep508")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			t.Errorf("%s: unexpected entry in the pep508 conformance folder", e.Name())
			continue
		}
		run, ok := conformanceRunners[e.Name()]
		if !ok {
			t.Errorf("%s: no runner for this conformance file", e.Name())
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		t.Run(e.Name(), func(t *testing.T) { run(t, known, e.Name(), data) })
		ran++
	}
	if ran == 0 {
		t.Fatalf("no conformance files in %s", dir)
	}
}

func decode(t *testing.T, file string, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

func caseKey(file string, i int) string { return fmt.Sprintf("%s#%d", file, i) }

func runMarkersEval(t *testing.T, known map[string]string, file string, data []byte) {
	var cases []struct {
		Marker      string            `json:"marker"`
		Environment map[string]string `json:"environment"`
		Result      bool              `json:"result"`
	}
	decode(t, file, data, &cases)
	pass := 0
	for i, c := range cases {
		failure := ""
		m, err := ParseMarker(c.Marker)
		switch {
		case err != nil:
			failure = fmt.Sprintf("ParseMarker(%q): %v", c.Marker, err)
		case m.Evaluate(Environment{Vars: c.Environment}) != c.Result:
			failure = fmt.Sprintf("%q evaluates to %v in %v, want %v", c.Marker, !c.Result, c.Environment, c.Result)
		default:
			pass++
		}
		conformance.Check(t, known, caseKey(file, i), failure)
	}
	t.Logf("%s: %d/%d pass", file, pass, len(cases))
}

func runInvalidMarkers(t *testing.T, known map[string]string, file string, data []byte) {
	var cases []string
	decode(t, file, data, &cases)
	pass := 0
	for i, c := range cases {
		conformance.Check(t, known, caseKey(file, i), rejects(c, func(s string) (string, error) {
			m, err := ParseMarker(s)
			return m.String(), err
		}, &pass))
	}
	t.Logf("%s: %d/%d pass", file, pass, len(cases))
}

func runInvalidRequirements(t *testing.T, known map[string]string, file string, data []byte) {
	var cases []string
	decode(t, file, data, &cases)
	pass := 0
	for i, c := range cases {
		conformance.Check(t, known, caseKey(file, i), rejects(c, func(s string) (string, error) {
			r, err := ParseRequirement(s)
			return r.String(), err
		}, &pass))
	}
	t.Logf("%s: %d/%d pass", file, pass, len(cases))
}

// rejects returns "" when parse refuses s with a *SyntaxError, else a
// failure description.
func rejects(s string, parse func(string) (string, error), pass *int) string {
	got, err := parse(s)
	var se *SyntaxError
	switch {
	case err == nil:
		return fmt.Sprintf("%q parses (as %q), want an error", s, got)
	case !errors.As(err, &se):
		return fmt.Sprintf("%q: error %v is not a *SyntaxError", s, err)
	case se.Input != s || se.Offset < 0 || se.Offset > len(s):
		return fmt.Sprintf("%q: error names input %q at offset %d", s, se.Input, se.Offset)
	}
	*pass++
	return ""
}

type requirementCase struct {
	Requirement    string   `json:"requirement"`
	Name           string   `json:"name"`
	NormalizedName string   `json:"normalized_name"`
	Extras         []string `json:"extras"`
	Specifier      string   `json:"specifier"`
	URL            *string  `json:"url"`
	Marker         *string  `json:"marker"`
}

func runRequirements(t *testing.T, known map[string]string, file string, data []byte) {
	var cases []requirementCase
	decode(t, file, data, &cases)
	pass := 0
	for i, c := range cases {
		failure := checkRequirement(c)
		if failure == "" {
			pass++
		}
		conformance.Check(t, known, caseKey(file, i), failure)
	}
	t.Logf("%s: %d/%d pass", file, pass, len(cases))
}

// checkRequirement compares every field of one parsed requirement with the
// case and returns the differences, or "".
func checkRequirement(c requirementCase) string {
	r, err := ParseRequirement(c.Requirement)
	if err != nil {
		return fmt.Sprintf("ParseRequirement(%q): %v", c.Requirement, err)
	}
	url, marker := "", ""
	if c.URL != nil {
		url = *c.URL
	}
	if c.Marker != nil {
		marker = *c.Marker
	}
	var diffs []string
	diff := func(field, got, want string) {
		if got != want {
			diffs = append(diffs, fmt.Sprintf("%s = %q, want %q", field, got, want))
		}
	}
	diff("name", r.Name, c.Name)
	diff("normalized name", r.NormalizedName(), c.NormalizedName)
	diff("extras", strings.Join(r.Extras, ","), strings.Join(c.Extras, ","))
	diff("specifier", r.Specifier.String(), c.Specifier)
	diff("url", r.URL, url)
	diff("marker", r.Marker.String(), marker)
	if again, err := ParseRequirement(r.String()); err != nil || again.String() != r.String() {
		diffs = append(diffs, fmt.Sprintf("String() = %q does not read back (%q, %v)", r.String(), again.String(), err))
	}
	if len(diffs) == 0 {
		return ""
	}
	return fmt.Sprintf("ParseRequirement(%q): %s", c.Requirement, strings.Join(diffs, "; "))
}
