package resolver

import (
	"slices"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// versionKnowledge is what a derivation tree tells about the versions of
// each project on the index: ranges known to hold no version (from "no
// versions" facts), and the versions its facts name. A range of a project
// may be written as any other range that differs from it only by versions
// known not to exist: "b<2.0 or >2.0" is "b==1.0" when 1.0 and 2.0 are the
// only versions of b.
type versionKnowledge struct {
	absent map[string]pep440.Range     // by project name
	named  map[string][]pep440.Version // sorted, at most maxNamed each
	// written are the specifiers the tree's requirements spell for each
	// project; a range reads best as one of them.
	written map[string][]string
	labels  map[string][]memoLabel // by project name
	specs   map[string][]labelCandidate
}

// memoLabel remembers the label of one range (ranges are compared with
// Equal: their written form may leave out local versions).
type memoLabel struct {
	r pep440.Range
	l rangeLabel
}

// maxNamed bounds the versions per project that range labels are built
// from (the candidates grow with its square).
const maxNamed = 12

// rangeLabel is how a range of a project reads.
type rangeLabel struct {
	text string // a specifier such as ">=1.0" or "==1.0 or ==3.0"
	all  bool   // the range holds every version the index has
}

func newVersionKnowledge(tree *Node) *versionKnowledge {
	k := &versionKnowledge{
		absent: map[string]pep440.Range{}, named: map[string][]pep440.Version{},
		written: map[string][]string{}, labels: map[string][]memoLabel{}, specs: map[string][]labelCandidate{},
	}
	walk(tree, map[*Node]bool{}, func(n *Node) {
		for _, t := range n.Terms {
			k.name(t.Package.Name, versionsIn(t.Range)...)
		}
		if n.Cause == CauseDependency {
			k.noteWritten(n.Requirements)
		}
		if n.Cause == CauseNoVersions && len(n.Terms) == 1 {
			name := n.Terms[0].Package.Name
			k.absent[name] = k.absent[name].Union(n.Terms[0].Range)
			k.name(name, n.Only...)
		}
	})
	return k
}

// name records versions a fact names for a project.
func (k *versionKnowledge) name(project string, vs ...pep440.Version) {
	if project == "" {
		return
	}
	for _, v := range vs {
		list := k.named[project]
		i, found := slices.BinarySearchFunc(list, v, pep440.Version.Compare)
		if found || len(list) >= maxNamed {
			continue
		}
		k.named[project] = slices.Insert(list, i, v)
	}
}

// noteWritten records the specifiers of requirements as written.
func (k *versionKnowledge) noteWritten(reqs []string) {
	for _, s := range reqs {
		r, err := pep508.ParseRequirement(s)
		if err != nil || len(r.Specifier) == 0 {
			continue
		}
		name := pep508.NormalizeName(r.Name)
		spec := strings.TrimPrefix(readableRequirement(s, ""), r.Name)
		if i := strings.IndexAny(spec, "<>=!~"); i > 0 {
			spec = spec[i:] // after the extras
		}
		k.written[name] = appendNew(k.written[name], spec)
	}
}

// versionsIn returns the versions a range's written form mentions.
func versionsIn(r pep440.Range) []pep440.Version {
	var out []pep440.Version
	for _, part := range strings.FieldsFunc(r.String(), func(c rune) bool { return c == ',' || c == ' ' }) {
		part = strings.TrimLeft(part, "<>=!~")
		if v, err := pep440.Parse(part); err == nil && !strings.HasSuffix(part, "*") {
			out = append(out, v)
		}
	}
	return out
}

// label returns how the range r of package p reads: the shortest specifier
// that holds the same existing versions.
func (k *versionKnowledge) label(p Package, r pep440.Range) rangeLabel {
	for _, m := range k.labels[p.Name] {
		if m.r.Equal(r) {
			return m.l
		}
	}
	l := k.compute(p.Name, r, k.absent[p.Name])
	k.labels[p.Name] = append(k.labels[p.Name], memoLabel{r, l})
	return l
}

// compute finds the label of r, a range of the named project, given the
// versions known to be absent.
func (k *versionKnowledge) compute(name string, r, absent pep440.Range) rangeLabel {
	raw := rawLabel(r)
	switch {
	case r.Union(absent).IsFull():
		return rangeLabel{text: raw, all: true}
	case r.SubsetOf(absent):
		return rangeLabel{text: raw} // no version: say what was asked
	}
	best, cost := raw, len(raw)
	if strings.Contains(raw, "with a local label") || !startsWithOperator(raw) {
		cost += 1000
	}
	for _, c := range k.candidates(name) {
		if c.cost >= cost {
			break
		}
		if sameExisting(c.r, r, absent) {
			best, cost = c.spec, c.cost
			break
		}
	}
	vs := k.named[name]
	if s, ok := singletonsLabel(vs, r, absent); ok && len(s) < cost {
		best = s
	}
	return rangeLabel{text: best}
}

// labelCandidate is a specifier a range may be written as, with its cost
// (lower reads better).
type labelCandidate struct {
	spec string
	cost int
	r    pep440.Range
}

// candidates returns, once per project, the specifiers its ranges may be
// written as, cheapest first: one version reads best, then a
// requirement's own words, then the shortest specifier.
func (k *versionKnowledge) candidates(name string) []labelCandidate {
	if cs, ok := k.specs[name]; ok {
		return cs
	}
	var cs []labelCandidate
	add := func(spec string, cost int) {
		if set, err := pep440.ParseSpecifierSet(spec); err == nil {
			cs = append(cs, labelCandidate{spec, cost, set.Range()})
		}
	}
	vs := k.named[name]
	for _, v := range vs {
		add("=="+v.String(), -1000)
	}
	for _, spec := range k.written[name] {
		add(spec, len(spec)-100)
	}
	for _, v := range vs {
		for _, op := range []string{"!=", ">=", ">", "<", "<="} {
			add(op+v.String(), len(op+v.String()))
		}
	}
	for i, lo := range vs {
		for _, hi := range vs[i+1:] {
			for _, ops := range [][2]string{{">=", "<"}, {">=", "<="}, {">", "<"}, {">", "<="}} {
				spec := ops[0] + lo.String() + "," + ops[1] + hi.String()
				add(spec, len(spec))
			}
		}
	}
	slices.SortStableFunc(cs, func(a, b labelCandidate) int { return a.cost - b.cost })
	k.specs[name] = cs
	return cs
}

// singletonsLabel writes r as the versions it holds (up to four), when
// every version r holds is one of vs.
func singletonsLabel(vs []pep440.Version, r, absent pep440.Range) (string, bool) {
	in := pep440.Empty()
	n := 0
	for _, v := range vs {
		if r.Contains(v) {
			in = in.Union(pep440.Singleton(v))
			n++
		}
	}
	if n == 0 || n > 4 || !sameExisting(in, r, absent) {
		return "", false
	}
	return rawLabel(in), true
}

// sameExisting reports whether a and b differ only by versions in absent.
func sameExisting(a, b, absent pep440.Range) bool {
	return a.Difference(b).SubsetOf(absent) && b.Difference(a).SubsetOf(absent)
}

// rawLabel is a range's own written form, with clauses joined by "," as in
// a requirement.
func rawLabel(r pep440.Range) string {
	return strings.ReplaceAll(r.String(), ", ", ",")
}

// object names package p restricted to r, as the target of a requirement:
// "bar>=2.0", or "bar" for any version.
func (k *versionKnowledge) object(p Package, r pep440.Range) string {
	if p.IsRoot() {
		return p.String()
	}
	l := k.label(p, r)
	if l.all {
		return p.String()
	}
	return withRange(p, l.text)
}

// subject names package p restricted to r, as the subject of a sentence:
// "foo>=1.0", or "every version of foo" when r holds all its versions.
func (k *versionKnowledge) subject(p Package, r pep440.Range) (string, bool) {
	if p.IsRoot() {
		return p.String(), false
	}
	l := k.label(p, r)
	if l.all {
		return "every version of " + p.String(), true
	}
	return withRange(p, l.text), false
}

// withRange names a package with a range label; each alternative of a
// label such as "==1.0 or >=2.0" gets the name: "foo==1.0 or foo>=2.0".
func withRange(p Package, label string) string {
	if !startsWithOperator(label) {
		return p.String() + " " + label
	}
	parts := strings.Split(label, " or ")
	for i, part := range parts {
		parts[i] = p.String() + part
	}
	return strings.Join(parts, " or ")
}

func startsWithOperator(s string) bool {
	return s != "" && strings.ContainsAny(s[:1], "<>=!~")
}

// newestIn returns the newest version the tree names of a project within r.
func (k *versionKnowledge) newestIn(name string, r pep440.Range) (string, bool) {
	vs := k.named[name]
	for i := len(vs) - 1; i >= 0; i-- {
		if r.Contains(vs[i]) {
			return vs[i].String(), true
		}
	}
	return "", false
}
