package pep508

import "github.com/pylock/pylock/pep440"

// The marker algebra decides what universal resolution asks of markers:
// whether two markers can hold together, whether one implies another, and
// the short canonical form a lock file records.
//
// Semantics. A marker is read as a function of the environment in which:
//
//   - python_full_version and implementation_version are PEP 440 versions,
//     and a comparison with a valid specifier allows exactly the versions its
//     pep440 Range holds (the range of a specifier with pre-releases allowed,
//     which is how Evaluate compares);
//   - python_version is the major.minor of python_full_version, so a
//     python_version comparison allows whole releases, pre-releases
//     included: python_version >= "3.10" is python_full_version >= 3.10.dev0,
//     python_version == "3.10" is python_full_version == "3.10.*", and
//     python_version < "3.10" is exactly python_full_version < "3.10". So
//     python_version >= "3.10" and python_full_version < "3.10" are disjoint,
//     while python_full_version >= "3.10" implies python_version >= "3.10"
//     but is not equivalent to it (3.10.0rc1 satisfies only the second);
//   - sys_platform, platform_system, os_name, platform_machine,
//     platform_python_implementation, implementation_name, platform_release
//     and platform_version compared with == or != against a value that is
//     not a version hold one string each: sys_platform == "linux" and
//     sys_platform == "win32" are disjoint;
//   - extra == "x", "x" in extras and "x" in dependency_groups are boolean
//     atoms, one per name, independent of each other (as uv treats extras):
//     extra == "a" and extra == "b" is satisfiable;
//   - every other comparison (substring tests, ordering of strings,
//     comparisons of two variables, === ...) is an opaque boolean atom keyed
//     by its text, independent of every other atom. This is sound: what the
//     algebra calls false, disjoint or implied is so in every environment.
//
// No platform facts are assumed: sys_platform == "linux" does not imply
// platform_system == "Linux" (uv assumes some such facts; here every
// variable is independent, so nothing is concluded that an unusual
// interpreter could contradict).
//
// Every exported operation is safe for concurrent use.

// Not returns the marker true exactly where m is false.
func Not(m Marker) Marker {
	alg.mu.Lock()
	defer alg.mu.Unlock()
	return alg.marker(alg.not(m.diagram()), pep440.Full())
}

// False returns the marker no environment satisfies. It prints as
// `python_full_version < "0"`, as uv writes it.
func False() Marker {
	alg.mu.Lock()
	defer alg.mu.Unlock()
	return alg.marker(ddFalse, pep440.Full())
}

// IsFalse reports whether no environment satisfies m.
func (m Marker) IsFalse() bool {
	alg.mu.Lock()
	defer alg.mu.Unlock()
	return m.diagram() == ddFalse
}

// IsAlwaysTrue reports whether every environment satisfies m (IsTrue only
// looks at the text).
func (m Marker) IsAlwaysTrue() bool {
	alg.mu.Lock()
	defer alg.mu.Unlock()
	return m.diagram() == ddTrue
}

// Disjoint reports whether no environment satisfies both a and b.
func Disjoint(a, b Marker) bool {
	alg.mu.Lock()
	defer alg.mu.Unlock()
	return alg.apply(opAnd, a.diagram(), b.diagram()) == ddFalse
}

// Implies reports whether every environment satisfying m satisfies o.
func (m Marker) Implies(o Marker) bool {
	alg.mu.Lock()
	defer alg.mu.Unlock()
	return alg.implies(m.diagram(), o.diagram())
}

// Equivalent reports whether m and o hold in the same environments.
func (m Marker) Equivalent(o Marker) bool {
	alg.mu.Lock()
	defer alg.mu.Unlock()
	return m.diagram() == o.diagram()
}

// Simplify returns a short marker equivalent to m, in canonical form:
// equivalent markers give identical String output. Comparisons come in the
// variable order (python first, then implementation_version, the string
// variables, extras and groups, the other comparisons), python ranges that
// are whole minor releases are written with python_version, and a marker
// true everywhere is the zero Marker.
func (m Marker) Simplify() Marker {
	alg.mu.Lock()
	defer alg.mu.Unlock()
	return alg.marker(m.diagram(), pep440.Full())
}

// SimplifyPython is Simplify for environments whose python_full_version is
// in r: the result agrees with m wherever python_full_version is in r, and
// drops what r implies, so with r = >=3.9, python_version >= "3.8" becomes
// the zero Marker and python_version >= "3.8" and os_name == "nt" becomes
// os_name == "nt". An empty r gives the zero Marker.
func (m Marker) SimplifyPython(r pep440.Range) Marker {
	if r.IsEmpty() {
		return Marker{}
	}
	alg.mu.Lock()
	defer alg.mu.Unlock()
	return alg.marker(m.diagram(), r)
}

// PythonRange returns the python_full_version values for which some
// environment satisfies m.
func (m Marker) PythonRange() pep440.Range {
	alg.mu.Lock()
	defer alg.mu.Unlock()
	n := m.diagram()
	switch {
	case n == ddFalse:
		return pep440.Empty()
	case n.v == nil || n.v.kind != versionVar || n.v.name != "python_full_version":
		return pep440.Full()
	}
	out := pep440.Empty()
	for i, k := range n.kids {
		if k != ddFalse {
			out = out.Union(n.ranges[i])
		}
	}
	return out
}

// PythonMarker returns the marker allowing exactly the python_full_version
// values in r, written with python_version where r is made of whole minor
// releases: PythonMarker of the range of ">=3.10" is
// python_full_version >= "3.10", and of "==3.10.*" python_version == "3.10".
func PythonMarker(r pep440.Range) Marker {
	alg.mu.Lock()
	defer alg.mu.Unlock()
	return alg.marker(alg.rangeDD(alg.versionVariable("python_full_version"), r), pep440.Full())
}

// diagram returns m's decision diagram; alg.mu must be held.
func (m Marker) diagram() *dd {
	if m.alg != nil {
		return m.alg
	}
	return alg.treeDD(m.root)
}
