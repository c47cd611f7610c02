package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pylock/pylock/pep508"
)

// tool is one locker/installer under test: how to write a project for it,
// and the commands that lock it, install its lock into a venv and check it.
type tool struct {
	name     string // as the table shows it
	key      string // as -tools names it
	version  string // what the tool says its version is; "" if missing
	missing  string // why the tool cannot run, "" if it can
	lockFile string // the file its lock writes, in the project folder
	project  func(b *bench, requested []string) string
	lock     func(b *bench, ws workspace) command
	install  func(b *bench, ws workspace) command
	// inProjectVenv says the tool puts its venv in the project's .venv, so a
	// fresh venv is made by removing that folder.
	inProjectVenv bool
}

// workspace is where one tool runs one case in one run: the project folder,
// the venv path (for tools that take one) and the cache folder.
type workspace struct {
	project, venv, cache string
	url                  string // the index's Simple API root
	exported             string // the case's locked set as a requirements file, for pip
}

// toolKeys are the tools -tools may name, in table order.
var toolKeys = []string{"pylock", "poetry", "pdm", "pip"}

// newTools describes the tools; detect fills in their versions.
func newTools() []*tool {
	return []*tool{
		{name: "pylock", key: "pylock", lockFile: "pylock.toml", project: pep621Project, lock: pylockLock, install: pylockInstall},
		{name: "Poetry", key: "poetry", lockFile: "poetry.lock", project: poetryProject, lock: poetryLock, install: poetryInstall, inProjectVenv: true},
		{name: "PDM", key: "pdm", lockFile: "pdm.lock", project: pdmProject, lock: pdmLock, install: pdmInstall, inProjectVenv: true},
		{name: "pip", key: "pip", project: pep621Project, lock: pipLock, install: pipInstall},
	}
}

// pep621Project is a PEP 621 pyproject.toml requiring the case's
// requirements, for the Python the harness installs with.
func pep621Project(b *bench, requested []string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "[project]\nname = \"bench-project\"\nversion = \"0.1.0\"\nrequires-python = \">=%s\"\ndependencies = [\n", b.python)
	for _, r := range requested {
		fmt.Fprintf(&sb, "  %q,\n", r)
	}
	sb.WriteString("]\n")
	return sb.String()
}

// pdmProject is pep621Project with the index as PDM's "pypi" source.
func pdmProject(b *bench, requested []string) string {
	return pep621Project(b, requested) + fmt.Sprintf("\n[[tool.pdm.source]]\nname = \"pypi\"\nurl = %q\nverify_ssl = false\n", b.indexURL)
}

// poetryProject is a Poetry pyproject.toml with the case's requirements
// (one table per name, extras and specifiers merged) and the index as the
// default source.
func poetryProject(b *bench, requested []string) string {
	var sb strings.Builder
	sb.WriteString("[tool.poetry]\nname = \"bench-project\"\nversion = \"0.1.0\"\ndescription = \"\"\nauthors = [\"bench <bench@example.com>\"]\n\n")
	fmt.Fprintf(&sb, "[tool.poetry.dependencies]\npython = \">=%s\"\n", b.python)
	names, extras, specs := mergeRequirements(requested)
	for _, name := range names {
		spec := strings.Join(specs[name], ",")
		if spec == "" {
			spec = "*"
		}
		fmt.Fprintf(&sb, "%q = { version = %q", name, spec)
		if len(extras[name]) > 0 {
			fmt.Fprintf(&sb, ", extras = [\"%s\"]", strings.Join(extras[name], `", "`))
		}
		sb.WriteString(" }\n")
	}
	fmt.Fprintf(&sb, "\n[[tool.poetry.source]]\nname = \"bench\"\nurl = %q\ndefault = true\n", b.indexURL)
	sb.WriteString("\n[build-system]\nrequires = [\"poetry-core\"]\nbuild-backend = \"poetry.core.masonry.api\"\n")
	return sb.String()
}

// mergeRequirements groups requirement strings by normalized name, with
// each name's extras and specifiers (requirements that do not parse keep
// their name only; pep621Project passes the same strings to the others).
func mergeRequirements(requested []string) (names []string, extras, specs map[string][]string) {
	extras, specs = map[string][]string{}, map[string][]string{}
	for _, s := range requested {
		req, err := pep508.ParseRequirement(s)
		if err != nil {
			continue
		}
		name := req.NormalizedName()
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
		for _, e := range req.Extras {
			if !slices.Contains(extras[name], e) {
				extras[name] = append(extras[name], e)
			}
		}
		if spec := req.Specifier.String(); spec != "" {
			specs[name] = append(specs[name], spec)
		}
	}
	return names, extras, specs
}

// pylockLock is `pylock lock` (universal, for the project's requires-python).
func pylockLock(b *bench, ws workspace) command {
	return command{args: []string{b.pylock, "lock", "--cache-dir", ws.cache, "--index-url", ws.url}, dir: ws.project}
}

// pylockInstall is `pylock install` into ws.venv.
func pylockInstall(b *bench, ws workspace) command {
	return command{args: []string{b.pylock, "install", "--no-root", "--python", b.python, "--venv", ws.venv,
		"--cache-dir", ws.cache, "--index-url", ws.url}, dir: ws.project}
}

// pylockCheck is `pylock check`.
func pylockCheck(b *bench, ws workspace) command {
	return command{args: []string{b.pylock, "check"}, dir: ws.project}
}

// poetryEnv isolates Poetry: its cache, a venv in the project, no prompts.
func poetryEnv(ws workspace) []string {
	return []string{"POETRY_CACHE_DIR=" + ws.cache, "POETRY_VIRTUALENVS_IN_PROJECT=true", "POETRY_NO_INTERACTION=1"}
}

// poetryLock is `poetry lock --no-update`.
func poetryLock(b *bench, ws workspace) command {
	return command{args: []string{b.poetry, "lock", "--no-update", "--no-interaction"}, dir: ws.project, env: poetryEnv(ws)}
}

// poetryInstall is `poetry install --no-root`, into the project's .venv.
func poetryInstall(b *bench, ws workspace) command {
	return command{args: []string{b.poetry, "install", "--no-root", "--no-interaction"}, dir: ws.project, env: poetryEnv(ws)}
}

// pdmEnv isolates PDM: its cache (under XDG_CACHE_HOME), no update check.
func pdmEnv(ws workspace) []string {
	return []string{"XDG_CACHE_HOME=" + ws.cache, "PDM_CHECK_UPDATE=false", "PDM_USE_VENV=1"}
}

// pdmLock is `pdm lock`.
func pdmLock(b *bench, ws workspace) command {
	return command{args: []string{b.pdm, "lock"}, dir: ws.project, env: pdmEnv(ws)}
}

// pdmInstall is `pdm sync --no-self`, into the project's .venv.
func pdmInstall(b *bench, ws workspace) command {
	return command{args: []string{b.pdm, "sync", "--no-self"}, dir: ws.project, env: pdmEnv(ws)}
}

// pipLock is `pip install --dry-run --report` of the project's
// requirements, pip's way to resolve without installing.
func pipLock(b *bench, ws workspace) command {
	return command{args: []string{b.pip, "-m", "pip", "install", "--dry-run", "--ignore-installed",
		"--report", filepath.Join(ws.project, "report.json"), "--index-url", ws.url, "--cache-dir", ws.cache,
		"--disable-pip-version-check", "--no-input", "-q", "-r", filepath.Join(ws.project, "requirements.in")}, dir: ws.project}
}

// pipInstall makes a venv without pip (`python -m venv --without-pip`)
// unless there is one, and installs the exported locked set into it with pip's --python, hashes
// checked, as `pip install --require-hashes --no-deps -r` of a lock does.
func pipInstall(b *bench, ws workspace) command {
	script := fmt.Sprintf("[ -x %[2]s/bin/python ] || %[1]s -m venv --without-pip %[2]s && %[1]s -m pip --python %[3]s install --no-deps --require-hashes -r %[4]s "+
		"--index-url %[5]s --cache-dir %[6]s --disable-pip-version-check --no-input -q",
		b.pip, ws.venv, filepath.Join(ws.venv, "bin", "python"), ws.exported, ws.url, ws.cache)
	return command{args: []string{"/bin/sh", "-c", script}, dir: ws.project}
}

// writeProject writes the tool's pyproject.toml (and pip's requirements.in)
// into a new project folder.
func writeProject(b *bench, t *tool, dir string, requested []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte(t.project(b, requested)), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "requirements.in"), []byte(strings.Join(requested, "\n")+"\n"), 0o644)
}
