package resolver

import (
	"slices"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// wording turns report nodes into clauses, using what the tree knows about
// versions to name ranges.
type wording struct {
	k *versionKnowledge
}

// noLock is the conclusion of a failed resolution.
const noLock = "no lock can be made"

// fact states an external fact (or, for a derived node, its conclusion).
func (w *wording) fact(n *reportNode) string {
	switch n.kind {
	case factRoot:
		return "your project is required"
	case factNoVersions:
		return w.noVersions(n)
	case factNotFound:
		return n.reason.Text
	case factUnavailable:
		return w.unavailable(n)
	case factDependency:
		return w.dependent(n) + " " + w.requirements(n)
	case factConflicting:
		return w.conflicting(n)
	}
	return w.conclusion(n.terms)
}

// dependent is the subject and verb of a dependency: "your project
// requires" or "foo>=1.0 depends on".
func (w *wording) dependent(n *reportNode) string {
	from := n.terms[0]
	if from.Package.IsRoot() {
		return "your project requires"
	}
	subj, every := w.k.subject(from.Package, from.Range)
	if n.summary {
		if !every && !isOneVersion(subj) {
			subj = "every version of " + subj
		}
		return subj + " requires"
	}
	return subj + " depends on"
}

func (w *wording) noVersions(n *reportNode) string {
	t := n.terms[0]
	switch {
	case t.Range.IsEmpty():
		return "the requirements on " + t.Package.Name + " allow no version"
	case len(n.only) == 1:
		return "the only version of " + t.Package.Name + " is " + n.only[0].String()
	case len(n.only) > 1:
		vs := make([]string, len(n.only))
		for i, v := range n.only {
			vs[i] = v.String()
		}
		return "the only versions of " + t.Package.Name + " are " + joinAnd(vs)
	}
	// Read the range without this fact itself, which would make it "every
	// version".
	absent := w.k.absent[t.Package.Name].Difference(t.Range)
	return "there is no version of " + withRange(Package{Name: t.Package.Name}, w.k.compute(t.Package.Name, t.Range, absent).text)
}

// unavailable says why the versions of an unavailable fact cannot be used,
// from the solver's reason.
func (w *wording) unavailable(n *reportNode) string {
	text := w.unavailableShort(n)
	if n.reason.Kind == UnavailableByPython && n.reason.PythonTarget != "" {
		return text + " (" + n.reason.PythonTarget + ")"
	}
	return text
}

// unavailableShort is unavailable without what a Requires-Python does not
// fit, for facts that share it.
func (w *wording) unavailableShort(n *reportNode) string {
	t := n.terms[0]
	// What makes a version unusable is the project's, whatever the extra.
	t.Package.Extra = ""
	subj, every := w.k.subject(t.Package, t.Range)
	plural := false
	switch {
	case isVersionList(subj):
		subj, plural = joinAnd(strings.Split(subj, " or ")), true
	case !every && !isOneVersion(subj):
		subj = "every version of " + subj
	}
	verb := func(one, many string) string {
		if plural {
			return subj + many
		}
		return subj + one
	}
	reason := n.reason.Text
	switch n.reason.Kind {
	case UnavailableByPython:
		return verb(" requires", " require") + " Python " + n.reason.PythonSpec
	case UnavailableYanked:
		return verb(" is yanked", " are yanked")
	case UnavailablePrerelease:
		return verb(" is a pre-release", " are pre-releases") + ", and pre-releases are not allowed"
	case UnavailableSelfDependency:
		return verb(" ", " each ") + reason
	}
	// The provider's reason, a clause about "it" by convention (see
	// Candidate.Unavailable).
	switch {
	case every:
		return "no version of " + t.Package.String() + " can be used (" + reason + ")"
	case strings.HasPrefix(reason, "it "): // "it has no wheel for the target ..."
		return verb(" ", " each ") + strings.TrimPrefix(reason, "it ")
	case strings.HasPrefix(reason, "every file of it "):
		return "every file of " + subj + " " + strings.TrimPrefix(reason, "every file of it ")
	}
	return subj + " cannot be used (" + reason + ")"
}

// isVersionList reports whether a subject lists versions: "a==1.0 or
// a==2.0".
func isVersionList(subj string) bool {
	parts := strings.Split(subj, " or ")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if !isOneVersion(p) {
			return false
		}
	}
	return true
}

// isOneVersion reports whether a subject names a single version.
func isOneVersion(subj string) bool {
	_, label, ok := strings.Cut(subj, "==")
	return ok && !strings.ContainsAny(label, " *")
}

func (w *wording) conflicting(n *reportNode) string {
	parts := make([]string, 0, len(n.reqs))
	for _, s := range n.reqs {
		parts = append(parts, readableRequirement(s, ""))
	}
	root := n.terms[0].Package.IsRoot()
	switch {
	case len(parts) == 1 && root:
		return "your project requires " + parts[0] + ", which no version satisfies"
	case len(parts) == 1:
		return w.dependent(n) + " " + parts[0] + ", which no version satisfies"
	case root:
		return "your project has conflicting requirements " + joinAnd(parts)
	}
	subj, _ := w.k.subject(n.terms[0].Package, n.terms[0].Range)
	return subj + " has conflicting dependencies " + joinAnd(parts)
}

// requirements names what a dependency requires: the requirements as
// written when they say exactly that, else the range.
func (w *wording) requirements(n *reportNode) string {
	return joinAnd(w.requirementParts(n))
}

// requirementParts lists the requirements of a dependency fact as
// written, or its range when they do not spell it.
func (w *wording) requirementParts(n *reportNode) []string {
	to := n.terms[1]
	fallback := []string{w.k.object(to.Package, to.Range)}
	combined := pep440.Full()
	var parts []string
	for _, s := range n.reqs {
		r, err := pep508.ParseRequirement(s)
		if err != nil {
			return fallback
		}
		combined = combined.Intersect(r.Specifier.Range())
		parts = appendNew(parts, readableRequirement(s, to.Package.Extra))
	}
	if len(parts) == 0 || !sameExisting(combined, to.Range, w.k.absent[to.Package.Name]) {
		return fallback
	}
	return parts
}

// conclusion states a derived incompatibility. The project's own positive
// term always holds, so it is left out.
func (w *wording) conclusion(terms []Term) string {
	var pos, neg []Term
	root := false
	for _, t := range terms {
		switch {
		case t.Package.IsRoot() && t.Positive:
			root = true
		case t.Positive:
			pos = append(pos, t)
		default:
			neg = append(neg, t)
		}
	}
	switch {
	case len(pos) == 0 && len(neg) == 0:
		return noLock
	case len(pos) == 0 && root:
		return "your project requires " + w.objects(neg, " or ")
	case len(pos) == 0:
		return w.objects(neg, " or ") + " is required"
	case len(pos) == 1:
		return w.aboutOne(pos[0], neg)
	case len(neg) == 0 && len(pos) == 2:
		return w.k.object(pos[0].Package, pos[0].Range) + " is incompatible with " + w.k.object(pos[1].Package, pos[1].Range)
	case len(neg) == 0:
		return w.objects(pos, " and ") + " cannot be used together"
	}
	return w.objects(pos, " and ") + " together require " + w.objects(neg, " or ")
}

// aboutOne concludes about one positive term and what it requires.
func (w *wording) aboutOne(p Term, neg []Term) string {
	subj, every := w.k.subject(p.Package, p.Range)
	switch {
	case len(neg) > 0:
		return subj + " requires " + w.objects(neg, " or ")
	case every:
		return p.Package.String() + " cannot be used"
	}
	return subj + " cannot be used"
}

// objects names the terms' packages and ranges, joined by sep ("or" for
// negative terms, "and" for positive ones).
func (w *wording) objects(terms []Term, sep string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = w.k.object(t.Package, t.Range)
	}
	if sep == " and " {
		return joinAnd(parts)
	}
	return strings.Join(parts, sep)
}

// pair joins two external facts that together give a conclusion, sharing
// words where they can: "your project requires foo and bar<2", "foo
// depends on bar>=2 which depends on baz".
func (w *wording) pair(a, b *reportNode) string {
	a, b = factOrder(a, b)
	switch {
	case a.kind == factDependency && b.kind == factDependency && a.summary == b.summary &&
		a.terms[0].equal(b.terms[0]) && a.terms[0].Package == b.terms[0].Package:
		return w.dependent(a) + " " + joinAnd(append(w.requirementParts(a), w.requirementParts(b)...))
	case w.chains(a, b):
		return w.fact(a) + w.which(b) + w.requirements(b)
	case w.chains(b, a):
		return w.fact(b) + w.which(a) + w.requirements(a)
	case samePythonTarget(a, b):
		return w.unavailableShort(a) + " and " + w.unavailable(b)
	}
	return w.fact(a) + " and " + w.fact(b)
}

// which links a dependency to the one before it.
func (w *wording) which(n *reportNode) string {
	if n.summary {
		return " which requires "
	}
	return " which depends on "
}

// chains reports whether b is a dependency of every version a depends on.
func (w *wording) chains(a, b *reportNode) bool {
	if a.kind != factDependency || b.kind != factDependency || b.terms[0].Package.IsRoot() {
		return false
	}
	to, from := a.terms[1], b.terms[0]
	return to.Package == from.Package && to.Range.Difference(from.Range).SubsetOf(w.k.absent[from.Package.Name])
}

// factOrder puts the project's requirement last, except before a fact
// about the availability of what it requires; other dependencies first.
func factOrder(a, b *reportNode) (*reportNode, *reportNode) {
	ra, rb := factRank(a), factRank(b)
	switch {
	case ra == 2 && rb == 1:
		return a, b
	case rb == 2 && ra == 1:
		return b, a
	case rb < ra:
		return b, a
	}
	return a, b
}

// factRank: 0 for a dependency of a package, 1 for a fact about the
// versions of a package, 2 for the project's requirements.
func factRank(n *reportNode) int {
	switch {
	case (n.kind == factDependency || n.kind == factConflicting) && n.terms[0].Package.IsRoot():
		return 2
	case n.kind == factDependency:
		return 0
	}
	return 1
}

// readableRequirement writes a requirement string with lower bounds before
// upper bounds, narrowed to one of its extras when extra is not "".
func readableRequirement(s, extra string) string {
	r, err := pep508.ParseRequirement(s)
	if err != nil {
		return s
	}
	name := r.Name
	switch {
	case extra != "":
		name += "[" + writtenExtra(r.Extras, extra) + "]"
	case len(r.Extras) > 0:
		name += "[" + strings.Join(r.Extras, ",") + "]"
	}
	if r.URL != "" {
		return name + " @ " + r.URL
	}
	specs := slices.Clone(r.Specifier)
	slices.SortStableFunc(specs, func(a, b pep440.Specifier) int { return specRank(a.Op) - specRank(b.Op) })
	parts := make([]string, len(specs))
	for i, sp := range specs {
		parts[i] = sp.Op + sp.Version
	}
	return name + strings.Join(parts, ",")
}

// writtenExtra returns the extra as the requirement spells it.
func writtenExtra(extras []string, normalized string) string {
	for _, e := range extras {
		if pep508.NormalizeName(e) == normalized {
			return e
		}
	}
	return normalized
}

func specRank(op string) int {
	switch op {
	case "<", "<=":
		return 1
	case "!=":
		return 2
	}
	return 0
}

// samePythonTarget reports whether two facts are Requires-Python that do
// not fit the same target.
func samePythonTarget(a, b *reportNode) bool {
	if a.kind != factUnavailable || b.kind != factUnavailable {
		return false
	}
	return a.reason.Kind == UnavailableByPython && b.reason.Kind == UnavailableByPython &&
		a.reason.PythonTarget == b.reason.PythonTarget
}
