package venv

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
)

// RecordEntry is one row of a RECORD file (PEP 376/627): a path relative to the
// directory holding the .dist-info directory, "<algorithm>=<urlsafe-base64
// digest without padding>" or "", and the size in bytes (-1 when not given).
type RecordEntry struct {
	Path string
	Hash string
	Size int64
}

// RecordError reports a malformed RECORD row.
type RecordError struct {
	Line   int    // 1-based row
	Text   string // the offending field or row
	Reason string
}

// Error implements error.
func (e *RecordError) Error() string {
	return fmt.Sprintf("venv: RECORD:%d: %s: %q", e.Line, e.Reason, e.Text)
}

// ParseRecord reads a RECORD file: CSV rows of path, hash, size.
func ParseRecord(data []byte) ([]RecordEntry, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	var out []RecordEntry
	for {
		row, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &RecordError{Line: line, Text: err.Error(), Reason: "bad csv"}
		}
		line, _ := r.FieldPos(0)
		e, err := recordRow(line, row)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
}

func recordRow(line int, row []string) (RecordEntry, error) {
	if len(row) != 3 {
		return RecordEntry{}, &RecordError{Line: line, Text: strings.Join(row, ","), Reason: "expected 3 fields"}
	}
	e := RecordEntry{Path: row[0], Hash: row[1], Size: -1}
	if e.Path == "" {
		return e, &RecordError{Line: line, Text: strings.Join(row, ","), Reason: "empty path"}
	}
	if e.Hash != "" {
		if _, _, err := splitHash(e.Hash); err != nil {
			return e, &RecordError{Line: line, Text: e.Hash, Reason: err.Error()}
		}
	}
	if row[2] != "" {
		n, err := strconv.ParseInt(row[2], 10, 64)
		if err != nil || n < 0 {
			return e, &RecordError{Line: line, Text: row[2], Reason: "bad size"}
		}
		e.Size = n
	}
	return e, nil
}

// newHash returns a hasher for a RECORD algorithm; md5 and sha1 are not allowed.
func newHash(algo string) (hash.Hash, error) {
	switch algo {
	case "sha256":
		return sha256.New(), nil
	case "sha384":
		return sha512.New384(), nil
	case "sha512":
		return sha512.New(), nil
	}
	return nil, fmt.Errorf("unsupported hash algorithm %q", algo)
}

// splitHash splits "algo=digest" and decodes the digest.
func splitHash(h string) (string, []byte, error) {
	algo, digest, ok := strings.Cut(h, "=")
	if !ok {
		return "", nil, errors.New("hash lacks \"=\"")
	}
	hh, err := newHash(algo)
	if err != nil {
		return "", nil, err
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(digest, "="))
	if err != nil || len(raw) != hh.Size() {
		return "", nil, errors.New("bad digest")
	}
	return algo, raw, nil
}

// recordHash is the RECORD form of the sha256 of data.
func recordHash(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256=" + base64.RawURLEncoding.EncodeToString(sum[:])
}

// formatRecord writes RECORD rows as CSV.
func formatRecord(entries []RecordEntry) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for _, e := range entries {
		size := ""
		if e.Size >= 0 {
			size = strconv.FormatInt(e.Size, 10)
		}
		_ = w.Write([]string{e.Path, e.Hash, size})
	}
	w.Flush()
	return b.Bytes()
}
