package pep440

import (
	"math"
	"strconv"
	"strings"
)

// num is a non-negative integer of any size, kept as its decimal digits with
// no leading zeros ("0" for zero), so that packaging's arbitrary-precision
// integers never overflow.
type num string

// mkNum normalizes a run of ASCII digits.
func mkNum(digits string) num {
	d := strings.TrimLeft(digits, "0")
	if d == "" {
		return "0"
	}
	return num(d)
}

// cmpNum compares two normalized numbers.
func cmpNum(a, b num) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(string(a), string(b))
}

// inc returns n+1.
func (n num) inc() num {
	b := []byte(n)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != '9' {
			b[i]++
			return num(b)
		}
		b[i] = '0'
	}
	return num("1" + string(b))
}

// isZero reports whether n is zero.
func (n num) isZero() bool { return n == "0" || n == "" }

// int converts n to an int, saturating at math.MaxInt.
func (n num) int() int {
	if n == "" {
		return 0
	}
	i, err := strconv.Atoi(string(n))
	if err != nil {
		return math.MaxInt
	}
	return i
}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
