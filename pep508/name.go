package pep508

import "strings"

// NormalizeName returns the PEP 503 normalized form of a project name: lower
// case, with every run of "-", "_" and "." replaced by a single "-".
func NormalizeName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inRun := false
	for _, r := range s {
		if r == '-' || r == '_' || r == '.' {
			if !inRun {
				b.WriteByte('-')
			}
			inRun = true
			continue
		}
		inRun = false
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

// ValidName reports whether s is a valid project name by the core metadata
// rule: ASCII letters and digits, with ".", "_" and "-" allowed only between
// them.
func ValidName(s string) bool {
	if s == "" || !isASCIIAlnum(s[0]) || !isASCIIAlnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isASCIIAlnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-' {
			return false
		}
	}
	return true
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
