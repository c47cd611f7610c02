package main

import (
	"fmt"
	"strings"
	"time"
)

// speedGoal is a goal of issue 7 on pylock's speed against a peer: the
// peer's median over pylock's must be at least times, in every case.
type speedGoal struct {
	measurement string
	peer        string // tool key
	times       float64
}

var speedGoals = []speedGoal{
	{coldLock, "poetry", 10}, {coldLock, "pdm", 10}, {coldLock, "pip", 5},
	{warmLock, "poetry", 30}, {warmLock, "pdm", 30}, {warmLock, "pip", 30},
	{warmInstall, "pip", 10},
}

// limitGoal is a goal on pylock's own figures: under limit in every case.
type limitGoal struct {
	measurement string
	limit       time.Duration
}

var limitGoals = []limitGoal{{noopInstall, 50 * time.Millisecond}, {checkLock, 50 * time.Millisecond}}

// peakGoal is pylock's peak memory limit on the largest case.
const peakGoal = 150 << 20

// goals writes issue 7's goals with what this run measured.
func (r *report) goals(sb *strings.Builder) {
	sb.WriteString("## Goals (issue 7)\n\n| goal | measured | met |\n|---|---|---|\n")
	for _, g := range speedGoals {
		var got []string
		met := true
		for _, c := range r.cases {
			pylock, peer := c.results["pylock"][g.measurement], c.results[g.peer][g.measurement]
			if !pylock.ok() || !peer.ok() {
				got, met = append(got, c.name+": not measured"), false
				continue
			}
			x := ratio(pylock, peer)
			got, met = append(got, fmt.Sprintf("%s: %.1f×", c.name, x)), met && x >= g.times
		}
		fmt.Fprintf(sb, "| %s ≥ %g× faster than %s | %s | %s |\n", g.measurement, g.times, r.toolName(g.peer), strings.Join(got, ", "), yesNo(met))
	}
	for _, g := range limitGoals {
		var got []string
		met := true
		for _, c := range r.cases {
			s := c.results["pylock"][g.measurement]
			if !s.ok() {
				got, met = append(got, c.name+": not measured"), false
				continue
			}
			got, met = append(got, fmt.Sprintf("%s: %s (CPU %s)", c.name, ms(s.median()), ms(s.medianCPU()))), met && s.median() < g.limit
		}
		fmt.Fprintf(sb, "| pylock %s under %v | %s | %s |\n", g.measurement, g.limit, strings.Join(got, ", "), yesNo(met))
	}
	name, peak := r.largestPeak()
	fmt.Fprintf(sb, "| pylock peak memory under %s on the largest case | %s: %s | %s |\n\n", mb(peakGoal), name, mb(peak), yesNo(peak > 0 && peak < peakGoal))
}

// largestPeak is pylock's peak memory over every measurement of the case
// with the most locked packages.
func (r *report) largestPeak() (string, int64) {
	var largest *caseResult
	for _, c := range r.cases {
		if largest == nil || c.packages > largest.packages {
			largest = c
		}
	}
	var peak int64
	for _, s := range largest.results["pylock"] {
		peak = max(peak, s.peak())
	}
	return largest.name, peak
}

// toolName is the display name of a tool key.
func (r *report) toolName(key string) string {
	for _, t := range r.tools {
		if t.key == key {
			return t.name
		}
	}
	return key
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}
