package pep508

import (
	"slices"

	"github.com/pylock/pylock/pep440"
)

// restrict simplifies f where care holds (Coudert and Madre's restrict):
// the result agrees with f wherever care is true and is usually smaller,
// because edges that lead outside care may go wherever suits. It always
// lies between "f and care" and "f or not care".
func (a *algebra) restrict(f, care *dd) *dd {
	if care == ddTrue || f == ddTrue || f == ddFalse || care == ddFalse {
		return f
	}
	key := [3]int{2, f.id, care.id}
	if r, ok := a.applied[key]; ok {
		return r
	}
	var r *dd
	switch {
	case care.v.key < f.v.key:
		r = a.restrict(f, a.anyKid(care))
	case f.v.key < care.v.key:
		r = a.restrictKids(f, care)
	default:
		r = a.restrictSame(f, care)
	}
	a.applied[key] = r
	return r
}

// anyKid is care with its top variable quantified away.
func (a *algebra) anyKid(n *dd) *dd {
	out := ddFalse
	for _, k := range n.kids {
		out = a.apply(opOr, out, k)
	}
	if n.def != nil {
		out = a.apply(opOr, out, n.def)
	}
	return out
}

// restrictKids restricts every child of f, whose variable care does not test.
func (a *algebra) restrictKids(f, care *dd) *dd {
	kids := make([]*dd, len(f.kids))
	for i, k := range f.kids {
		kids[i] = a.restrict(k, care)
	}
	switch f.v.kind {
	case versionVar:
		return a.mkVersion(f.v, f.ranges, kids)
	case stringVar:
		return a.mkString(f.v, f.vals, kids, a.restrict(f.def, care))
	}
	return a.mkBool(f.v, kids[0], kids[1])
}

// region is one set of values of a variable with where f and care lead.
type region struct {
	f, care, out *dd
}

// settle gives every region outside care a result: the one of a region in
// care that f treats alike, else f's own. It reports the single result
// when all regions in care agree.
func settle(regions []region) (*dd, bool) {
	var same *dd
	agree := true
	for _, g := range regions {
		if g.care == ddFalse {
			continue
		}
		if same != nil && same != g.out {
			agree = false
		}
		same = g.out
	}
	if agree && same != nil {
		return same, true
	}
	for i, g := range regions {
		if g.care != ddFalse {
			continue
		}
		regions[i].out = g.f
		for _, h := range regions {
			if h.care != ddFalse && h.f == g.f {
				regions[i].out = h.out
				break
			}
		}
	}
	return nil, false
}

func (a *algebra) restrictSame(f, care *dd) *dd {
	switch f.v.kind {
	case versionVar:
		return a.restrictVersion(f, care)
	case stringVar:
		return a.restrictString(f, care)
	}
	regions := []region{
		{f: f.kids[0], care: care.kids[0], out: a.restrict(f.kids[0], care.kids[0])},
		{f: f.kids[1], care: care.kids[1], out: a.restrict(f.kids[1], care.kids[1])},
	}
	if r, ok := settle(regions); ok {
		return r
	}
	return a.mkBool(f.v, regions[0].out, regions[1].out)
}

func (a *algebra) restrictVersion(f, care *dd) *dd {
	var rs []pep440.Range
	var regions []region
	for i, fk := range f.kids {
		for j, ck := range care.kids {
			if r := f.ranges[i].Intersect(care.ranges[j]); !r.IsEmpty() {
				rs = append(rs, r)
				regions = append(regions, region{f: fk, care: ck, out: a.restrict(fk, ck)})
			}
		}
	}
	if r, ok := settle(regions); ok {
		return r
	}
	return a.mkVersion(f.v, rs, outs(regions))
}

func (a *algebra) restrictString(f, care *dd) *dd {
	vals := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(f.vals), care.vals...))))
	regions := make([]region, len(vals)+1)
	for i, s := range vals {
		fk, ck := stringKid(f, f.v, s), stringKid(care, f.v, s)
		regions[i] = region{f: fk, care: ck, out: a.restrict(fk, ck)}
	}
	regions[len(vals)] = region{f: f.def, care: care.def, out: a.restrict(f.def, care.def)}
	if r, ok := settle(regions); ok {
		return r
	}
	kids := outs(regions)
	return a.mkString(f.v, vals, kids[:len(vals)], kids[len(vals)])
}

func outs(regions []region) []*dd {
	kids := make([]*dd, len(regions))
	for i, g := range regions {
		kids[i] = g.out
	}
	return kids
}
