package pep508

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pylock/pylock/pep440"
)

// The marker algebra is a reduced ordered decision diagram, as uv's marker
// trees are: every node tests one variable and has one edge per set of
// values, each edge leading to the node for what is left to test. Nodes are
// hash-consed, so two markers are equivalent exactly when they reach the same
// node. Variables come in three kinds:
//
//   - version variables (python_full_version, with python_version folded into
//     it, and implementation_version): edges carry disjoint pep440 Ranges that
//     together cover every version;
//   - string variables (sys_platform, os_name, ...) compared with == and !=
//     against values that are not versions: edges carry one value each, plus
//     a default edge for every other value;
//   - boolean atoms: `extra == "x"`, `"x" in extras`, `"x" in
//     dependency_groups`, and every comparison the algebra does not interpret
//     (keyed by its text), each true or false independently of the others.

// varKind tells the three kinds of variable apart.
type varKind uint8

const (
	versionVar varKind = iota
	stringVar
	boolVar
)

// variable is one decision variable. Variables are ordered by key, which
// puts python_full_version first, then implementation_version, then the
// string variables, then the boolean atoms.
type variable struct {
	kind varKind
	key  string
	name string // the marker variable (version and string kinds)
	// pos and neg are the comparisons a boolean atom prints as when true
	// and when false; negExact is false when neg is only the nearest
	// comparison PEP 508 can write (see printNegation).
	pos, neg comparison
	negExact bool
}

// dd is one diagram node. The two terminals have no variable.
type dd struct {
	id     int
	v      *variable
	ranges []pep440.Range // versionVar: ranges[i] leads to kids[i]
	vals   []string       // stringVar: vals[i] leads to kids[i], sorted
	kids   []*dd          // boolVar: kids[0] when true, kids[1] when false
	def    *dd            // stringVar: every other value
}

var (
	ddFalse = &dd{id: 0}
	ddTrue  = &dd{id: 1}
)

// algebra holds the unique table, the variables and the memo tables. One
// mutex guards it all; every exported operation takes it.
type algebra struct {
	mu      sync.Mutex
	nextID  int
	unique  map[string][]*dd
	vars    map[string]*variable
	applied map[[3]int]*dd
	negated map[int]*dd
	trees   map[*node]*dd
	ranges  map[rangeKey][]printedRange
	// fingerprints remembers fingerprint's answers by pep440.Range.Key:
	// a fingerprint probes hundreds of versions.
	fingerprints map[string]string
}

var alg = &algebra{
	nextID:  2,
	unique:  map[string][]*dd{},
	vars:    map[string]*variable{},
	applied: map[[3]int]*dd{},
	negated: map[int]*dd{},
	trees:   map[*node]*dd{},
	ranges:  map[rangeKey][]printedRange{},

	fingerprints: map[string]string{},
}

// variableFor interns a variable by key.
func (a *algebra) variableFor(v variable) *variable {
	if old, ok := a.vars[v.key]; ok {
		return old
	}
	p := &v
	a.vars[v.key] = p
	return p
}

func (a *algebra) versionVariable(name string) *variable {
	key := "0b" + name
	if name == "python_full_version" {
		key = "0a" + name
	}
	return a.variableFor(variable{kind: versionVar, key: key, name: name})
}

func (a *algebra) stringVariable(name string) *variable {
	return a.variableFor(variable{kind: stringVar, key: "1" + name, name: name})
}

// boolVariable interns a boolean atom; rank orders the atom families.
func (a *algebra) boolVariable(rank string, pos, neg comparison, negExact bool) *variable {
	var b strings.Builder
	pos.write(&b)
	return a.variableFor(variable{kind: boolVar, key: rank + b.String(), pos: pos, neg: neg, negExact: negExact})
}

// intern returns the unique node equal to n, registering n if it is new.
func (a *algebra) intern(n *dd) *dd {
	var b strings.Builder
	b.WriteString(n.v.key)
	for i, k := range n.kids {
		b.WriteString("|" + strconv.Itoa(k.id))
		if n.v.kind == versionVar {
			b.WriteString(":" + a.fingerprint(n.ranges[i]))
		}
		if n.v.kind == stringVar {
			b.WriteString(":" + strconv.Quote(n.vals[i]))
		}
	}
	if n.def != nil {
		b.WriteString("|" + strconv.Itoa(n.def.id))
	}
	key := b.String()
	for _, old := range a.unique[key] {
		if sameNode(old, n) {
			return old
		}
	}
	n.id = a.nextID
	a.nextID++
	a.unique[key] = append(a.unique[key], n)
	return n
}

// probes are the versions a range's fingerprint tests, made on first use
// (not at start-up, which every pylock command pays).
var probes = sync.OnceValue(func() []pep440.Version {
	var out []pep440.Version
	for _, major := range []int{0, 1, 2, 3, 4, 5, 7} {
		for minor := range 16 {
			for _, f := range []string{"%d.%d", "%d.%d.0rc1", "%d.%d.1", "%d.%d.7", "%d.%d.post1", "%d.%d+local"} {
				out = append(out, pep440.MustParse(fmt.Sprintf(f, major, minor)))
			}
		}
	}
	return out
})

// fingerprint tells which probes r holds: equal ranges have equal
// fingerprints, so it buckets nodes for the unique table.
func fingerprint(r pep440.Range) string {
	versions := probes()
	b := make([]byte, len(versions))
	for i, v := range versions {
		b[i] = '0'
		if r.Contains(v) {
			b[i] = '1'
		}
	}
	return string(b)
}

// fingerprint is the package's fingerprint of r, remembered.
func (a *algebra) fingerprint(r pep440.Range) string {
	key := r.Key()
	fp, ok := a.fingerprints[key]
	if !ok {
		fp = fingerprint(r)
		a.fingerprints[key] = fp
	}
	return fp
}

// sameNode compares two nodes whose keys agree; only ranges can differ.
func sameNode(x, y *dd) bool {
	for i := range x.ranges {
		if !x.ranges[i].Equal(y.ranges[i]) {
			return false
		}
	}
	return true
}

// mkVersion builds a version node from edges that partition every version,
// merging edges that lead to the same node.
func (a *algebra) mkVersion(v *variable, ranges []pep440.Range, kids []*dd) *dd {
	var rs []pep440.Range
	var ks []*dd
	for i, k := range kids {
		if ranges[i].IsEmpty() {
			continue
		}
		if j := slices.Index(ks, k); j >= 0 {
			rs[j] = rs[j].Union(ranges[i])
			continue
		}
		rs, ks = append(rs, ranges[i]), append(ks, k)
	}
	if len(ks) == 1 {
		return ks[0]
	}
	order := make([]int, len(ks))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return ks[i].id - ks[j].id })
	n := &dd{v: v}
	for _, i := range order {
		n.ranges, n.kids = append(n.ranges, rs[i]), append(n.kids, ks[i])
	}
	return a.intern(n)
}

// mkString builds a string node, dropping values that lead where the
// default edge does.
func (a *algebra) mkString(v *variable, vals []string, kids []*dd, def *dd) *dd {
	n := &dd{v: v, def: def}
	order := make([]int, len(vals))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return strings.Compare(vals[i], vals[j]) })
	for _, i := range order {
		if kids[i] != def {
			n.vals, n.kids = append(n.vals, vals[i]), append(n.kids, kids[i])
		}
	}
	if len(n.vals) == 0 {
		return def
	}
	return a.intern(n)
}

// mkBool builds a boolean node.
func (a *algebra) mkBool(v *variable, hi, lo *dd) *dd {
	if hi == lo {
		return hi
	}
	return a.intern(&dd{v: v, kids: []*dd{hi, lo}})
}

// Operations for apply.
const (
	opAnd = iota
	opOr
)

// apply returns x and y, or x or y.
func (a *algebra) apply(op int, x, y *dd) *dd {
	if r, ok := terminalCase(op, x, y); ok {
		return r
	}
	if x.id > y.id {
		x, y = y, x
	}
	key := [3]int{op, x.id, y.id}
	if r, ok := a.applied[key]; ok {
		return r
	}
	v := x.v
	if y.v.key < v.key {
		v = y.v
	}
	var r *dd
	switch v.kind {
	case versionVar:
		r = a.applyVersion(op, v, x, y)
	case stringVar:
		r = a.applyString(op, v, x, y)
	default:
		hx, lx := boolKids(x, v)
		hy, ly := boolKids(y, v)
		r = a.mkBool(v, a.apply(op, hx, hy), a.apply(op, lx, ly))
	}
	a.applied[key] = r
	return r
}

// terminalCase settles apply when a terminal or identical operands decide it.
func terminalCase(op int, x, y *dd) (*dd, bool) {
	absorbing, neutral := ddFalse, ddTrue
	if op == opOr {
		absorbing, neutral = ddTrue, ddFalse
	}
	switch {
	case x == absorbing || y == absorbing:
		return absorbing, true
	case x == neutral:
		return y, true
	case y == neutral || x == y:
		return x, true
	}
	return nil, false
}

// versionEdges returns n's edges on v: its own, or one edge of every version.
func versionEdges(n *dd, v *variable) ([]pep440.Range, []*dd) {
	if n.v == v {
		return n.ranges, n.kids
	}
	return []pep440.Range{pep440.Full()}, []*dd{n}
}

func (a *algebra) applyVersion(op int, v *variable, x, y *dd) *dd {
	rx, kx := versionEdges(x, v)
	ry, ky := versionEdges(y, v)
	var ranges []pep440.Range
	var kids []*dd
	for i := range rx {
		for j := range ry {
			r := rx[i].Intersect(ry[j])
			if r.IsEmpty() {
				continue
			}
			ranges, kids = append(ranges, r), append(kids, a.apply(op, kx[i], ky[j]))
		}
	}
	return a.mkVersion(v, ranges, kids)
}

// stringKid returns where n leads for value s of v.
func stringKid(n *dd, v *variable, s string) *dd {
	if n.v != v {
		return n
	}
	if i, ok := slices.BinarySearch(n.vals, s); ok {
		return n.kids[i]
	}
	return n.def
}

func stringDefault(n *dd, v *variable) *dd {
	if n.v != v {
		return n
	}
	return n.def
}

func (a *algebra) applyString(op int, v *variable, x, y *dd) *dd {
	var vals []string
	for _, n := range []*dd{x, y} {
		if n.v == v {
			vals = append(vals, n.vals...)
		}
	}
	slices.Sort(vals)
	vals = slices.Compact(vals)
	kids := make([]*dd, len(vals))
	for i, s := range vals {
		kids[i] = a.apply(op, stringKid(x, v, s), stringKid(y, v, s))
	}
	def := a.apply(op, stringDefault(x, v), stringDefault(y, v))
	return a.mkString(v, vals, kids, def)
}

func boolKids(n *dd, v *variable) (hi, lo *dd) {
	if n.v != v {
		return n, n
	}
	return n.kids[0], n.kids[1]
}

// not returns the negation of n.
func (a *algebra) not(n *dd) *dd {
	switch n {
	case ddTrue:
		return ddFalse
	case ddFalse:
		return ddTrue
	}
	if r, ok := a.negated[n.id]; ok {
		return r
	}
	kids := make([]*dd, len(n.kids))
	for i, k := range n.kids {
		kids[i] = a.not(k)
	}
	var r *dd
	switch n.v.kind {
	case versionVar:
		r = a.mkVersion(n.v, n.ranges, kids)
	case stringVar:
		r = a.mkString(n.v, n.vals, kids, a.not(n.def))
	default:
		r = a.mkBool(n.v, kids[0], kids[1])
	}
	a.negated[n.id] = r
	a.negated[r.id] = n
	return r
}

// implies reports whether every assignment reaching true in x does in y.
func (a *algebra) implies(x, y *dd) bool {
	return a.apply(opAnd, x, a.not(y)) == ddFalse
}

// eval follows n's edges for env. A version variable whose value is not a
// valid version takes no edge, and the marker is false.
func (n *dd) eval(env *Environment) bool {
	for n != ddTrue && n != ddFalse {
		switch n.v.kind {
		case versionVar:
			value := operand{variable: true, text: n.v.name}.value(env)
			ver, err := pep440.Parse(value)
			if err != nil {
				return false
			}
			i := slices.IndexFunc(n.ranges, func(r pep440.Range) bool { return r.Contains(ver) })
			n = n.kids[i]
		case stringVar:
			n = stringKid(n, n.v, env.Vars[n.v.name])
		default:
			if n.v.pos.eval(env) {
				n = n.kids[0]
			} else {
				n = n.kids[1]
			}
		}
	}
	return n == ddTrue
}
