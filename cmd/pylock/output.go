package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pylock/pylock/internal/project"
)

// planColor is the colour of an install plan's line: additions green,
// removals red, upgrades and downgrades yellow, the rest none.
func planColor(kind project.ChangeKind) string {
	switch kind {
	case project.ChangeInstall:
		return ansiGreen
	case project.ChangeRemove:
		return ansiRed
	case project.ChangeUpgrade, project.ChangeDowngrade:
		return ansiYellow
	}
	return ""
}

// planLine is an install plan's line for stderr, coloured by its kind.
func (u *ui) planLine(c project.Change) string {
	code := planColor(c.Kind)
	return paint(u.colorErr && code != "", code, c.String())
}

// differenceColor is the colour of one of check's differences: added
// green, removed red, changed yellow.
func differenceColor(d project.Difference) string {
	switch {
	case d.Old == "":
		return ansiGreen
	case d.New == "":
		return ansiRed
	}
	return ansiYellow
}

// differenceLine is one of check's differences for stdout, coloured.
func (u *ui) differenceLine(d project.Difference) string {
	return paint(u.colorOut, differenceColor(d), d.String())
}

// differenceMessage is a difference's text without its "file:line: " lead.
func differenceMessage(d project.Difference) string {
	where := d.File
	if d.Line > 0 {
		where = fmt.Sprintf("%s:%d", d.File, d.Line)
	}
	return strings.TrimPrefix(d.String(), where+": ")
}

// updateColor is the colour of an update's change kind.
func updateColor(kind string) string {
	switch kind {
	case project.ChangeAdded:
		return ansiGreen
	case project.ChangeRemoved:
		return ansiRed
	}
	return ansiYellow
}

// writeJSON writes v on stdout as one indented JSON document.
func (g *globals) writeJSON(v any) error {
	_, err := g.streams.Out.Write(marshalJSON(v))
	return err
}

// marshalJSON is v as indented JSON, ending in a newline, with <, > and &
// left as they are (requires-python reads ">=3.9", not "\u003e=3.9").
func marshalJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err) // the documents hold only strings, numbers, booleans and lists
	}
	return b.Bytes()
}
