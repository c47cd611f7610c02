package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// Scenario is one resolver scenario of the scenarios/ area (uv's packse
// scenarios; the schema is in that folder's README): a small index, the root
// requirements, the environment, resolver options and the expected outcome.
type Scenario struct {
	Name string
	Root struct {
		Requires       []string
		RequiresPython *string `toml:"requires_python"` // nil: the README's default, ">=3.12"
	}
	Packages map[string]struct {
		Versions map[string]ScenarioVersion
	}
	Environment struct {
		Python string
	}
	ResolverOptions struct {
		Universal      bool
		Python         string
		Prereleases    bool
		Resolution     string
		NoBuild        []string `toml:"no_build"`
		NoBinary       []string `toml:"no_binary"`
		PythonPlatform string   `toml:"python_platform"`
		// RequiredEnvironments are markers for which a universal lock must
		// be installable.
		RequiredEnvironments []string `toml:"required_environments"`
	} `toml:"resolver_options"`
	Expected struct {
		Satisfiable bool
		Packages    map[string]string
	}
	// Testgen.Kind "compile" marks a `uv pip compile` scenario, whose
	// universal resolution covers the target Python and newer.
	Testgen struct {
		Kind string
	}
}

// ScenarioVersion is one version of one package of a Scenario's index.
type ScenarioVersion struct {
	Requires       []string
	RequiresPython *string `toml:"requires_python"` // nil: ">=3.12"
	Extras         map[string][]string
	Yanked         bool
	Sdist          *bool    // nil: true
	Wheel          *bool    // nil: true
	WheelTags      []string `toml:"wheel_tags"` // empty: one py3-none-any wheel
}

// ReadScenario reads one scenario file.
func ReadScenario(path string) (Scenario, error) {
	var sc Scenario
	data, err := os.ReadFile(path)
	if err != nil {
		return sc, err
	}
	return sc, toml.Unmarshal(data, &sc)
}

// IndexCase is a resolvelib case of the indexes/ area
// (indexes/resolvelib/case/*.json): the requested requirements and the set
// pip resolves for CPython 3.11 on Linux against the index snapshot it names.
type IndexCase struct {
	Index     string            `json:"index"` // the snapshot's file name in index/, without .json
	Requested []string          `json:"requested"`
	Resolved  map[string]string `json:"resolved"`
}

// ReadIndexCase reads one case file.
func ReadIndexCase(path string) (IndexCase, error) {
	var c IndexCase
	data, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	return c, json.Unmarshal(data, &c)
}

// IndexCases returns the resolvelib folder of the indexes/ area (holding
// case/ and index/) and the paths of its case files, sorted; it fails the
// test when there are none.
func IndexCases(t testing.TB) (dir string, cases []string) {
	t.Helper()
	dir = filepath.Join(Dir(t, "indexes"), "resolvelib")
	cases, err := filepath.Glob(filepath.Join(dir, "case", "*.json"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("conformance: no index cases in %s (%v)", dir, err)
	}
	return dir, cases
}
