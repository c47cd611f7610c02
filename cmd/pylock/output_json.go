package main

import (
	"strings"

	"github.com/pylock/pylock/internal/project"
)

// The --json documents. Field names are snake_case and stable; each
// command's Long help shows its document.

// lockJSON is lock's --json document.
type lockJSON struct {
	LockFile string            `json:"lock_file"`
	Changed  bool              `json:"changed"`
	Python   string            `json:"python"`
	Packages []lockPackageJSON `json:"packages"`
}

// lockPackageJSON is one locked package: its versions (several in a
// universal lock that forks).
type lockPackageJSON struct {
	Name     string   `json:"name"`
	Versions []string `json:"versions"`
}

// newLockJSON describes a lock from its result and its graph.
func newLockJSON(res *project.LockResult, g *project.Graph) lockJSON {
	doc := lockJSON{LockFile: res.Path, Changed: res.Changed, Python: res.Python, Packages: []lockPackageJSON{}}
	for _, name := range g.Names() {
		doc.Packages = append(doc.Packages, lockPackageJSON{Name: name, Versions: strings.Split(g.Nodes[name].Version, ", ")})
	}
	return doc
}

// checkJSON is check's --json document.
type checkJSON struct {
	LockFile    string           `json:"lock_file"`
	Pyproject   string           `json:"pyproject"`
	Fresh       bool             `json:"fresh"`
	Differences []differenceJSON `json:"differences"`
	Problems    []problemJSON    `json:"problems"`
}

// problemJSON is one reason check does not trust the lock (see
// lockfile.IntegrityError).
type problemJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Package string `json:"package"`
	Version string `json:"version"`
	Field   string `json:"field"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// differenceJSON is one of check's differences; line is 0 when the entry
// was removed.
type differenceJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Section string `json:"section"`
	Message string `json:"message"`
}

func newCheckJSON(res *project.CheckResult) checkJSON {
	doc := checkJSON{LockFile: res.LockPath, Pyproject: res.ProjectPath, Fresh: len(res.Differences) == 0, Differences: []differenceJSON{}}
	for _, d := range res.Differences {
		doc.Differences = append(doc.Differences, differenceJSON{File: d.File, Line: d.Line, Section: d.Section, Message: differenceMessage(d)})
	}
	doc.Problems = []problemJSON{}
	for _, p := range res.Problems {
		doc.Problems = append(doc.Problems, problemJSON{File: p.File, Line: p.Line, Package: p.Package, Version: p.Version,
			Field: p.Field, Kind: p.Kind.String(), Message: p.Msg})
	}
	return doc
}

// installJSON is install's --json document.
type installJSON struct {
	Venv        string           `json:"venv"`
	Python      string           `json:"python"`
	DryRun      bool             `json:"dry_run"`
	CreatedVenv bool             `json:"created_venv"`
	Changes     []planChangeJSON `json:"changes"`
	Installed   int              `json:"installed"`
	Removed     int              `json:"removed"`
	Unchanged   int              `json:"unchanged"`
	Upgraded    int              `json:"upgraded"`
	Downgraded  int              `json:"downgraded"`
	Built       []string         `json:"built"`
}

// planChangeJSON is one line of the install plan; from is "" when
// installing, to is "" when removing.
type planChangeJSON struct {
	Name   string `json:"name"`
	Action string `json:"action"`
	From   string `json:"from"`
	To     string `json:"to"`
}

// planActions names the plan's change kinds in JSON.
var planActions = map[project.ChangeKind]string{
	project.ChangeInstall:   "install",
	project.ChangeUpgrade:   "upgrade",
	project.ChangeDowngrade: "downgrade",
	project.ChangeRemove:    "remove",
	project.ChangeUnchanged: "unchanged",
}

func newInstallJSON(res *project.InstallResult, dryRun bool) installJSON {
	doc := installJSON{
		Venv: res.Venv, Python: res.Python, DryRun: dryRun, CreatedVenv: res.CreatedVenv, Changes: []planChangeJSON{},
		Installed: res.Installed, Removed: res.Removed, Unchanged: res.Unchanged,
		Upgraded:   res.Plan.Count(project.ChangeUpgrade),
		Downgraded: res.Plan.Count(project.ChangeDowngrade),
		Built:      nonNil(res.Built),
	}
	for _, c := range res.Plan.Changes {
		doc.Changes = append(doc.Changes, planChangeJSON{Name: c.Name, Action: planActions[c.Kind], From: c.From, To: c.To})
	}
	return doc
}

// updateJSON is update's --json document: the JSON report with the lock
// file and whether it was written.
type updateJSON struct {
	LockFile string `json:"lock_file"`
	DryRun   bool   `json:"dry_run"`
	updateReport
}
