package project

import (
	"strings"

	"github.com/pylock/pylock/pep508"
)

// selectionVars are PEP 751's set-valued marker variables, which only an
// installer of the lock knows the value of.
var selectionVars = map[string]bool{"extras": true, "dependency_groups": true}

// markerExpr is a marker as a tree of and/or over comparisons, each
// comparison kept as written.
type markerExpr struct {
	op    string // "and", "or", or "" for a comparison
	kids  []*markerExpr
	text  string // the comparison, for op ""
	isSel bool   // the comparison uses extras or dependency_groups
}

// resolveSelection replaces every comparison of marker that uses extras or
// dependency_groups by its value in env and returns what remains: ok is
// false when the marker is then false, and the marker is "" when it is then
// true. A marker that does not parse is returned whole.
func resolveSelection(marker string, env pep508.Environment) (string, bool) {
	if marker == "" {
		return "", true
	}
	toks, ok := markerTokens(marker)
	if !ok {
		return marker, true
	}
	p := &markerParser{toks: toks}
	expr, ok := p.or()
	if !ok || p.pos != len(toks) {
		return marker, true
	}
	val, rest := expr.reduce(env)
	if rest == "" {
		return "", val
	}
	m, err := pep508.ParseMarker(rest)
	if err != nil {
		return marker, true
	}
	return m.String(), true
}

// reduce evaluates the selection comparisons: it returns ("", value) when
// the expression is constant, else the remaining marker text.
func (e *markerExpr) reduce(env pep508.Environment) (bool, string) {
	if e.op == "" {
		if !e.isSel {
			return true, e.text
		}
		m, err := pep508.ParseMarker(e.text)
		return err == nil && m.Evaluate(env), ""
	}
	absorbing := e.op == "or" // true absorbs an or, false an and
	var parts []string
	for _, k := range e.kids {
		val, rest := k.reduce(env)
		if rest == "" {
			if val == absorbing {
				return absorbing, ""
			}
			continue
		}
		if k.op != "" && k.op != e.op {
			rest = "(" + rest + ")"
		}
		parts = append(parts, rest)
	}
	if len(parts) == 0 {
		return !absorbing, ""
	}
	return true, strings.Join(parts, " "+e.op+" ")
}

// markerToken is "(", ")", "and", "or" or a comparison's text.
type markerToken struct {
	kind  string // "(", ")", "and", "or", "cmp"
	text  string
	isSel bool
}

// markerTokens splits a marker into parentheses, and/or, and comparisons.
func markerTokens(s string) ([]markerToken, bool) {
	var toks []markerToken
	var cur strings.Builder
	sel := false
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			toks = append(toks, markerToken{kind: "cmp", text: t, isSel: sel})
		}
		cur.Reset()
		sel = false
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '(' || c == ')':
			flush()
			toks = append(toks, markerToken{kind: string(c)})
			i++
		case c == '\'' || c == '"':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, false
			}
			cur.WriteString(s[i : i+end+2])
			i += end + 2
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			word := s[i:j]
			if word == "and" || word == "or" {
				flush()
				toks = append(toks, markerToken{kind: word})
			} else {
				sel = sel || selectionVars[word]
				cur.WriteString(word)
			}
			i = j
		default:
			cur.WriteByte(c)
			i++
		}
	}
	flush()
	return toks, true
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// markerParser reads markerTokens: or = and ("or" and)*; and = atom ("and"
// atom)*; atom = "(" or ")" | comparison.
type markerParser struct {
	toks []markerToken
	pos  int
}

func (p *markerParser) or() (*markerExpr, bool) {
	return p.list("or", p.and)
}

func (p *markerParser) and() (*markerExpr, bool) {
	return p.list("and", p.atom)
}

func (p *markerParser) list(op string, next func() (*markerExpr, bool)) (*markerExpr, bool) {
	first, ok := next()
	if !ok {
		return nil, false
	}
	e := &markerExpr{op: op, kids: []*markerExpr{first}}
	for p.pos < len(p.toks) && p.toks[p.pos].kind == op {
		p.pos++
		k, ok := next()
		if !ok {
			return nil, false
		}
		e.kids = append(e.kids, k)
	}
	if len(e.kids) == 1 {
		return first, true
	}
	return e, true
}

func (p *markerParser) atom() (*markerExpr, bool) {
	if p.pos >= len(p.toks) {
		return nil, false
	}
	t := p.toks[p.pos]
	p.pos++
	switch t.kind {
	case "cmp":
		return &markerExpr{text: t.text, isSel: t.isSel}, true
	case "(":
		e, ok := p.or()
		if !ok || p.pos >= len(p.toks) || p.toks[p.pos].kind != ")" {
			return nil, false
		}
		p.pos++
		return e, true
	}
	return nil, false
}
