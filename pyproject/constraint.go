package pyproject

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/pylock/pylock/pep440"
)

// Constraint is a version constraint as a union of PEP 440 specifier sets: a
// version satisfies it when some set contains it. nil allows every version.
// Constraints from PEP 508 requirements, and most Poetry constraints, have
// one set; only a Poetry "||" union that no single set can express has more.
// The clauses of each set keep the order they were written or printed in.
type Constraint []pep440.SpecifierSet

// IsAny reports whether the constraint allows every version.
func (c Constraint) IsAny() bool { return len(c) == 0 }

// IsUnion reports whether the constraint needs more than one specifier set.
func (c Constraint) IsUnion() bool { return len(c) > 1 }

// Range returns the exact set of versions the constraint allows.
func (c Constraint) Range() pep440.Range {
	if len(c) == 0 {
		return pep440.Full()
	}
	r := pep440.Empty()
	for _, s := range c {
		r = r.Union(s.Range())
	}
	return r
}

// String prints the constraint with its clauses in their stored order: ","
// between the clauses of a set and " || " between sets; "" allows every
// version. For a Poetry constraint with one set this is poetry-core's PEP 440
// form.
func (c Constraint) String() string {
	sets := make([]string, len(c))
	for i, s := range c {
		clauses := make([]string, len(s))
		for j, spec := range s {
			clauses[j] = spec.Op + spec.Version
		}
		sets[i] = strings.Join(clauses, ",")
	}
	return strings.Join(sets, " || ")
}

// Canonical prints the constraint so that equivalent spellings print alike:
// versions normalized (trailing zero release parts dropped where PEP 440
// pads them anyway), clauses deduplicated and sorted, sets sorted.
func (c Constraint) Canonical() string {
	sets := make([]string, 0, len(c))
	for _, s := range c {
		sets = append(sets, canonicalSet(s))
	}
	slices.Sort(sets)
	return strings.Join(slices.Compact(sets), " || ")
}

func canonicalSet(s pep440.SpecifierSet) string {
	clauses := make([]string, len(s))
	for i, spec := range s {
		clauses[i] = canonicalClause(spec)
	}
	slices.Sort(clauses)
	return strings.Join(slices.Compact(clauses), ",")
}

var normalRelease = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([0-9]+!)?([0-9]+(?:\.[0-9]+)*)(.*)$`) })

// canonicalClause normalizes one clause's version. "==1.0" and "==1" (and
// likewise for !=, <, <=, >, >=) are the same clause, since PEP 440 pads
// release segments with zeros; "~=" and wildcards keep their precision.
func canonicalClause(spec pep440.Specifier) string {
	if spec.Op == "===" {
		return spec.Op + spec.Version
	}
	prefix, wildcard := strings.CutSuffix(spec.Version, ".*")
	v, err := pep440.Parse(prefix)
	if err != nil {
		return spec.Op + spec.Version
	}
	text := v.String()
	if wildcard {
		return spec.Op + text + ".*"
	}
	if spec.Op == "~=" {
		return spec.Op + text
	}
	m := normalRelease().FindStringSubmatch(text)
	release := m[2]
	for strings.HasSuffix(release, ".0") {
		release = strings.TrimSuffix(release, ".0")
	}
	return spec.Op + m[1] + release + m[3]
}

var errNoVersion = errors.New("it allows no version")

// buildConstraint turns clause alternatives into a Constraint: an empty
// alternative allows everything, alternatives that allow nothing are
// dropped (as poetry-core drops them), and a union that one of its sets
// already covers collapses to that set.
func buildConstraint(alts [][]string) (Constraint, error) {
	var c Constraint
	for _, alt := range alts {
		if len(alt) == 0 {
			return nil, nil
		}
		set := make(pep440.SpecifierSet, 0, len(alt))
		for _, clause := range alt {
			spec, err := pep440.ParseSpecifier(clause)
			if err != nil {
				return nil, err
			}
			set = append(set, spec)
		}
		if !set.Range().IsEmpty() {
			c = append(c, set)
		}
	}
	if len(c) == 0 {
		return nil, errNoVersion
	}
	union := c.Range()
	for _, s := range c {
		if s.Range().Equal(union) {
			return Constraint{s}, nil
		}
	}
	return c, nil
}
