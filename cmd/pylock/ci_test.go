package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pylock/pylock/internal/conformance"
)

// ciDoc is the document whose recipes the ci_*.txtar scripts run.
const ciDoc = "docs/ci.md"

// ciInstallStep is the one run: step of the recipes that the scripts do
// not run: the pylock under test is already on PATH.
const (
	ciInstallName = "Install pylock"
	ciInstallRun  = "go install github.com/pylock/pylock/cmd/pylock@latest"
)

// recipeStep is one step of a workflow job.
type recipeStep struct {
	name string
	uses string
	run  string // the shell script, dedented; "" for a uses: step
	line int    // where the step starts in the document
}

// recipeJob is one job of a workflow in the document.
type recipeJob struct {
	workflow, job string
	steps         []recipeStep
}

var (
	fenceRe    = regexp.MustCompile("^```")
	workflowRe = regexp.MustCompile(`^name:\s*(.+)$`)
	jobRe      = regexp.MustCompile(`^  ([A-Za-z0-9_-]+):\s*$`)
	stepRe     = regexp.MustCompile(`^(\s*)- (name|uses|run|id|if):\s*(.*)$`)
	keyRe      = regexp.MustCompile(`^(\s*)(name|uses|run):\s*(.*)$`)
)

// parseRecipes reads the jobs of every ```yaml block of a document. It
// knows the shape of workflow files the recipes use, not YAML at large:
// top-level name:, jobs at two spaces under jobs:, steps as "- key: value" items, and
// run: either on one line or as a "|" block.
func parseRecipes(doc string) ([]recipeJob, error) {
	var jobs []recipeJob
	lines := strings.Split(doc, "\n")
	inYAML, inJobs, workflow := false, false, ""
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if fenceRe.MatchString(line) {
			inYAML = !inYAML && strings.TrimSpace(line) == "```yaml"
			continue
		}
		if !inYAML {
			continue
		}
		if m := workflowRe.FindStringSubmatch(line); m != nil {
			workflow = m[1]
			continue
		}
		if line != "" && line[0] != ' ' {
			inJobs = line == "jobs:"
			continue
		}
		if m := jobRe.FindStringSubmatch(line); m != nil && inJobs {
			jobs = append(jobs, recipeJob{workflow: workflow, job: m[1]})
			continue
		}
		if len(jobs) == 0 || !inJobs {
			continue
		}
		job := &jobs[len(jobs)-1]
		m := stepRe.FindStringSubmatch(line)
		if m != nil {
			job.steps = append(job.steps, recipeStep{line: i + 1})
		}
		if m == nil {
			m = keyRe.FindStringSubmatch(line)
		}
		if m == nil || len(job.steps) == 0 {
			continue
		}
		step := &job.steps[len(job.steps)-1]
		switch m[2] {
		case "name":
			step.name = m[3]
		case "uses":
			step.uses = m[3]
		case "run":
			var n int
			step.run, n = runScript(lines[i+1:], len(m[1]), m[3])
			i += n
		}
	}
	if inYAML {
		return nil, fmt.Errorf("%s: a ```yaml block is not closed", ciDoc)
	}
	return jobs, nil
}

// runScript is the script of a run: key whose value is value: the value
// itself as a line, or for "|" the following lines indented deeper than indent,
// dedented. It returns how many following lines it used.
func runScript(next []string, indent int, value string) (string, int) {
	if value != "|" {
		return value + "\n", 0
	}
	var body []string
	cut := -1
	for _, l := range next {
		trimmed := strings.TrimLeft(l, " ")
		if trimmed != "" && len(l)-len(trimmed) <= indent {
			break
		}
		if cut < 0 && trimmed != "" {
			cut = len(l) - len(trimmed)
		}
		body = append(body, l)
	}
	for i, l := range body {
		if len(l) >= cut && cut >= 0 {
			body[i] = l[cut:]
		}
	}
	return strings.TrimRight(strings.Join(body, "\n"), "\n") + "\n", len(body)
}

// readRecipes parses the repository's docs/ci.md.
func readRecipes() ([]recipeJob, error) {
	root, err := conformance.RepoRoot()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(ciDoc)))
	if err != nil {
		return nil, err
	}
	return parseRecipes(string(data))
}

// ciRecipe is the script command `cirecipe WORKFLOW JOB`: it runs every
// run: step of that job of docs/ci.md, in order, in the script's folder,
// each with `bash --noprofile --norc -e -o pipefail` as GitHub Actions does,
// with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files in the folder. The
// "Install pylock" step is checked, not run. With !, the job must fail.
func ciRecipe(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cirecipe WORKFLOW JOB")
	}
	jobs, err := readRecipes()
	ts.Check(err)
	for _, job := range jobs {
		if job.workflow == args[0] && job.job == args[1] {
			err := runRecipeJob(ts, job)
			switch {
			case err != nil && !neg:
				ts.Fatalf("%v", err)
			case err == nil && neg:
				ts.Fatalf("job %s of %q succeeded unexpectedly", job.job, job.workflow)
			}
			return
		}
	}
	ts.Fatalf("%s has no job %q in a workflow named %q", ciDoc, args[1], args[0])
}

// runRecipeJob runs a job's run: steps; the first that fails ends it.
func runRecipeJob(ts *testscript.TestScript, job recipeJob) error {
	ts.Setenv("GITHUB_OUTPUT", ts.MkAbs("github-output"))
	ts.Setenv("GITHUB_STEP_SUMMARY", ts.MkAbs("github-step-summary"))
	ts.Setenv("CI", "true")
	for i, step := range job.steps {
		if step.run == "" {
			continue
		}
		if step.name == ciInstallName {
			if strings.TrimSpace(step.run) != ciInstallRun {
				ts.Fatalf("%s:%d: the %q step runs %q, not %q", ciDoc, step.line, ciInstallName, step.run, ciInstallRun)
			}
			continue
		}
		script := ts.MkAbs(fmt.Sprintf(".step-%s-%d.sh", job.job, i))
		ts.Check(os.WriteFile(script, []byte(step.run), 0o644))
		ts.Logf("%s:%d: step %q:\n%s", ciDoc, step.line, step.name, step.run)
		if err := ts.Exec("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", script); err != nil {
			return fmt.Errorf("%s:%d: step %q failed: %v", ciDoc, step.line, step.name, err)
		}
	}
	return nil
}

// TestCIRecipes checks that docs/ci.md holds the recipes its scripts run,
// with the steps issue 9 asks for, so that a recipe cannot be dropped
// without its test noticing.
func TestCIRecipes(t *testing.T) {
	jobs, err := readRecipes()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"pull request/lock":          {ciInstallRun + "\n", "pylock check --format github\n"},
		"pull request/test":          {ciInstallRun + "\n", "pylock install --with dev --frozen\n", "pylock run pytest\n"},
		"update dependencies/update": {ciInstallRun + "\n", "status=0\npylock update --exit-code --report update.md || status=$?\n"},
	}
	got := map[string][]string{}
	for _, job := range jobs {
		key := job.workflow + "/" + job.job
		for _, s := range job.steps {
			if s.run != "" {
				got[key] = append(got[key], s.run)
			}
		}
	}
	for key, runs := range want {
		if len(got[key]) != len(runs) {
			t.Errorf("%s: run steps %q, want %d like %q", key, got[key], len(runs), runs)
			continue
		}
		for i, r := range runs {
			if !strings.HasPrefix(got[key][i], r) {
				t.Errorf("%s: step %d runs %q, want it to start with %q", key, i, got[key][i], r)
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s has jobs %v, want exactly %d", ciDoc, got, len(want))
	}
}
