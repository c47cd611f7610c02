package resolver

import (
	"slices"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// hints suggests what the user can change, from the external facts the
// explanation rests on: for each version that cannot be used, what would
// make it usable; then which of the project's own requirements to loosen.
func (w *wording) hints(top *reportNode) []string {
	facts := externalFacts(top)
	var out []string
	add := func(s string) {
		if s != "" && !slices.Contains(out, "hint: "+s) {
			out = append(out, "hint: "+s)
		}
	}
	var python []*pythonGroup
	for _, f := range facts {
		switch {
		case f.kind == factNotFound:
			add(w.notFoundHint(f, facts))
		case f.kind != factUnavailable:
		case w.addPython(&python, f):
		default:
			add(w.unavailableHint(f))
		}
	}
	for _, g := range python {
		add(g.hint())
	}
	add(w.requirementsHint(facts, len(out) > 0))
	if len(out) == 0 {
		add("loosen one of the requirements named above")
	}
	return out
}

// externalFacts lists the report's external facts, each once, in the
// order the explanation meets them.
func externalFacts(top *reportNode) []*reportNode {
	var out []*reportNode
	seen := map[*reportNode]bool{}
	var visit func(n *reportNode)
	visit = func(n *reportNode) {
		if seen[n] {
			return
		}
		seen[n] = true
		if !n.isDerived() {
			out = append(out, n)
			return
		}
		visit(n.causes[0])
		visit(n.causes[1])
	}
	visit(top)
	return out
}

func (w *wording) notFoundHint(f *reportNode, facts []*reportNode) string {
	name := f.terms[0].Package.Name
	for _, d := range facts {
		if d.kind != factDependency || d.terms[1].Package.Name != name {
			continue
		}
		if d.terms[0].Package.IsRoot() {
			return "check the spelling of '" + writtenName(d.reqs, name) + "' in pyproject.toml"
		}
		subj, _ := w.k.subject(d.terms[0].Package, d.terms[0].Range)
		return "'" + name + "' is not on the index and " + subj + " depends on it: use an index that has '" +
			name + "', or require a version of " + d.terms[0].Package.Name + " that does not depend on it"
	}
	return "check the spelling of '" + name + "'"
}

// writtenName returns the name of the package as the requirements spell it.
func writtenName(reqs []string, normalized string) string {
	for _, s := range reqs {
		if r, err := pep508.ParseRequirement(s); err == nil {
			return r.Name
		}
	}
	return normalized
}

// unavailableHint says what would make the versions of an unavailable
// fact usable.
func (w *wording) unavailableHint(f *reportNode) string {
	t := f.terms[0]
	t.Package.Extra = ""
	name := t.Package.Name
	switch f.reason.Kind {
	case UnavailableYanked:
		hint := "to use a yanked version, pin it with == in pyproject.toml"
		if v, ok := w.k.newestIn(name, t.Range); ok {
			hint += " (" + t.Package.String() + "==" + v + ")"
		}
		return hint
	case UnavailablePrerelease:
		return "to use a pre-release of " + name + ", allow pre-releases (--prerelease allow)"
	case UnavailableSelfDependency:
		return ""
	case UnavailableByProvider:
		if f.reason.Hint != "" {
			return f.reason.Hint
		}
	}
	return "require a version of " + name + " that has a distribution for the target, or lock for another platform or Python"
}

// pythonGroup gathers the versions whose Requires-Python does not fit
// the same target.
type pythonGroup struct {
	target string
	heads  []string // "a==1.0 requires Python >=3.10"
	names  []string
	specs  []string
}

// addPython adds an unavailable fact to the group of its target, and
// reports whether it was about Requires-Python.
func (w *wording) addPython(groups *[]*pythonGroup, f *reportNode) bool {
	if f.reason.Kind != UnavailableByPython {
		return false
	}
	spec, target := f.reason.PythonSpec, f.reason.PythonTarget
	i := slices.IndexFunc(*groups, func(g *pythonGroup) bool { return g.target == target })
	if i < 0 {
		*groups = append(*groups, &pythonGroup{target: target})
		i = len(*groups) - 1
	}
	g := (*groups)[i]
	g.heads = appendNew(g.heads, w.unavailableShort(f))
	g.names = appendNew(g.names, f.terms[0].Package.Name)
	g.specs = appendNew(g.specs, spec)
	return true
}

// hint suggests a Python for the group's versions.
func (g *pythonGroup) hint() string {
	some, support := "a version of ", " that supports"
	if len(g.names) > 1 {
		some, support = "versions of ", " that support"
	}
	head := joinAnd(g.heads)
	lowest, ok := lowestPython(g.specs)
	if py, single := strings.CutPrefix(g.target, "the lock is for Python "); single {
		flag := "pylock lock --python X.Y"
		if ok && strings.Count(lowest, ".") == 1 {
			flag = "pylock lock --python " + lowest
		}
		return head + ": lock for a Python that fits (" + flag + "), or require " + some +
			joinAnd(g.names) + support + " Python " + py
	}
	project := strings.TrimPrefix(g.target, "your project supports Python ")
	raise := "narrow requires-python (now " + project + ")"
	if ok {
		raise = "raise requires-python (now " + project + ") to >=" + lowest
	}
	return head + ": " + raise + " in pyproject.toml, or require " + some + joinAnd(g.names) + support + " all of it"
}

// lowestPython returns the lowest version that some ">=V" specifier of
// specs names.
func lowestPython(specs []string) (string, bool) {
	var best pep440.Version
	found := false
	for _, spec := range specs {
		v, ok := strings.CutPrefix(spec, ">=")
		if !ok || strings.Contains(v, ",") {
			continue
		}
		if pv, err := pep440.Parse(v); err == nil && (!found || pv.Compare(best) < 0) {
			best, found = pv, true
		}
	}
	if !found {
		return "", false
	}
	return best.String(), true
}

// requirementsHint names the project's requirements to loosen: those that
// restrict versions. When other hints were given and the failure involves
// no dependency of a package, it says nothing more.
func (w *wording) requirementsHint(facts []*reportNode, hinted bool) string {
	var restricting, named []string
	transitive := false
	for _, f := range facts {
		switch {
		case f.kind == factDependency && !f.terms[0].Package.IsRoot():
			transitive = true
		case f.kind == factDependency:
			for _, req := range w.rootRequirements(f) {
				named = appendNew(named, req.narrowed)
				if req.restricts {
					restricting = appendNew(restricting, req.text)
				}
			}
		case f.kind == factConflicting && f.terms[0].Package.IsRoot():
			return "fix " + w.conflictingList(f) + " in pyproject.toml"
		}
	}
	switch {
	case hinted && !transitive:
		return ""
	case len(restricting) > 0:
		return "loosen " + joinOr(restricting) + " in pyproject.toml"
	case len(named) > 1 && !hinted:
		return joinAnd(named) + " cannot be installed together: remove one of them from pyproject.toml"
	}
	return ""
}

// conflictingList names the requirements of a conflicting fact.
func (w *wording) conflictingList(f *reportNode) string {
	parts := make([]string, len(f.reqs))
	for i, s := range f.reqs {
		parts[i] = readableRequirement(s, "")
	}
	return joinAnd(parts)
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func joinOr(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// rootRequirement is one requirement of the project, as the hint names it.
type rootRequirement struct {
	text      string // as written
	narrowed  string // narrowed to the fact's extra
	restricts bool   // it excludes some version of the package
}

// rootRequirements lists the project's requirements behind a dependency
// fact, one by one; when the fact's requirements do not spell its range
// (Options.RootRanges), the range is named.
func (w *wording) rootRequirements(f *reportNode) []rootRequirement {
	to := f.terms[1]
	var out []rootRequirement
	combined := pep440.Full()
	for _, s := range f.reqs {
		r, err := pep508.ParseRequirement(s)
		if err != nil {
			break
		}
		rng := r.Specifier.Range()
		combined = combined.Intersect(rng)
		out = append(out, rootRequirement{readableRequirement(s, ""), readableRequirement(s, to.Package.Extra), !w.k.label(to.Package, rng).all})
	}
	if len(out) == 0 || !sameExisting(combined, to.Range, w.k.absent[to.Package.Name]) {
		text := w.k.object(to.Package, to.Range)
		return []rootRequirement{{text, text, !w.k.label(to.Package, to.Range).all}}
	}
	return out
}
