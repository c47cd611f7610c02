package venv

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// WheelFile is the content of a wheel's .dist-info/WHEEL file: "Key: Value"
// lines (RFC 822 style, no continuation lines).
type WheelFile struct {
	Version       string   // Wheel-Version, e.g. "1.0"
	Generator     string   // Generator
	RootIsPurelib bool     // Root-Is-Purelib: "true" installs the root into purelib, else platlib
	Tags          []string // Tag lines
	Build         string   // Build
}

// WheelFileError reports a malformed or unsupported WHEEL file.
type WheelFileError struct {
	Line   int
	Text   string
	Reason string
}

// Error implements error.
func (e *WheelFileError) Error() string {
	return fmt.Sprintf("venv: WHEEL:%d: %s: %q", e.Line, e.Reason, e.Text)
}

// ParseWheelFile reads a WHEEL file; a Wheel-Version whose major number is not 1
// is refused, as the wheel specification asks.
func ParseWheelFile(data []byte) (WheelFile, error) {
	var w WheelFile
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return w, &WheelFileError{Line: n, Text: line, Reason: "expected \"Key: Value\""}
		}
		w.set(strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v))
	}
	if err := sc.Err(); err != nil {
		return w, &WheelFileError{Line: n, Text: err.Error(), Reason: "unreadable"}
	}
	if w.Version == "" {
		return w, &WheelFileError{Line: n, Text: "", Reason: "no Wheel-Version"}
	}
	major, _, _ := strings.Cut(w.Version, ".")
	if m, err := strconv.Atoi(major); err != nil || m != 1 {
		return w, &WheelFileError{Line: 0, Text: w.Version, Reason: "unsupported Wheel-Version"}
	}
	return w, nil
}

func (w *WheelFile) set(key, value string) {
	switch key {
	case "wheel-version":
		w.Version = value
	case "generator":
		w.Generator = value
	case "root-is-purelib":
		w.RootIsPurelib = strings.EqualFold(value, "true")
	case "tag":
		w.Tags = append(w.Tags, value)
	case "build":
		w.Build = value
	}
}
