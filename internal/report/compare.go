package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/finding"
)

// Comparison is a run set against a previous run: scenarios are matched by
// feature URI and name, drift findings by rule, operation and pointer.
type Comparison struct {
	// PreviousID and PreviousStarted identify the run compared with.
	PreviousID      string    `json:"previous_id"`
	PreviousStarted time.Time `json:"previous_started"`
	// NewlyFailing failed now and passed (or did not exist) before; Fixed
	// failed before and passes now; StillFailing failed in both.
	NewlyFailing []ScenarioRef `json:"newly_failing"`
	Fixed        []ScenarioRef `json:"fixed"`
	StillFailing []ScenarioRef `json:"still_failing"`
	// NewDrift is drift seen now and not before; VanishedDrift the reverse.
	NewDrift      []DriftRef `json:"new_drift"`
	VanishedDrift []DriftRef `json:"vanished_drift"`
}

// ScenarioRef names one scenario of a compared run.
type ScenarioRef struct {
	Feature string `json:"feature"`
	Name    string `json:"name"`
	Line    int    `json:"line"`
	// Class is the failure class (FailContract, ...), "" when it passed.
	Class string `json:"class,omitempty"`
}

// DriftRef names one drift finding of a compared run with how often it was seen.
type DriftRef struct {
	Rule      string `json:"rule"`
	Operation string `json:"operation,omitempty"`
	Pointer   string `json:"pointer,omitempty"`
	Count     int    `json:"count"`
}

// Compare sets current against previous. Scenarios are matched by feature
// URI and name; several scenarios of one feature with one name (the rows of
// a scenario outline whose name has no placeholder) are told apart by their
// order in the file, so a match holds across random orders and across edits
// that move lines. A scenario fails when it has a FailureClass (failed,
// undefined, usage); one missing from previous counts as not failing
// before, one missing from current is neither fixed nor failing (a shard or
// a selection ran less). Drift findings (class drift, not expected) are
// matched by rule, operation and pointer, with their counts in the run they
// are listed from. Every list is sorted, so two comparisons of the same runs
// are equal. Compare returns nil when either run is nil.
func Compare(previous, current *Run) *Comparison {
	if previous == nil || current == nil {
		return nil
	}
	c := &Comparison{PreviousID: previous.ID, PreviousStarted: previous.Started}
	before := scenarioIndex(previous)
	now := scenarioIndex(current)
	for k, cur := range now {
		old, existed := before[k]
		switch {
		case cur.Class != "" && (!existed || old.Class == ""):
			c.NewlyFailing = append(c.NewlyFailing, cur.ScenarioRef)
		case cur.Class != "":
			c.StillFailing = append(c.StillFailing, cur.ScenarioRef)
		case existed && old.Class != "" && cur.passed:
			c.Fixed = append(c.Fixed, cur.ScenarioRef)
		}
	}
	for _, l := range [][]ScenarioRef{c.NewlyFailing, c.Fixed, c.StillFailing} {
		slices.SortFunc(l, compareScenarioRefs)
	}
	driftBefore, driftNow := driftIndex(previous), driftIndex(current)
	c.NewDrift = driftMissing(driftNow, driftBefore)
	c.VanishedDrift = driftMissing(driftBefore, driftNow)
	return c
}

// comparedScenario is a scenario as Compare sees it.
type comparedScenario struct {
	ScenarioRef
	passed bool // passed or flaky
}

// scenarioIndex keys a run's scenarios by feature URI, name and, among
// scenarios of one feature with one name, their rank by line.
func scenarioIndex(r *Run) map[string]comparedScenario {
	out := map[string]comparedScenario{}
	for _, f := range r.Features {
		byName := map[string][]Scenario{}
		var names []string
		for _, s := range f.Scenarios {
			if _, ok := byName[s.Name]; !ok {
				names = append(names, s.Name)
			}
			byName[s.Name] = append(byName[s.Name], s)
		}
		for _, name := range names {
			group := byName[name]
			slices.SortStableFunc(group, func(a, b Scenario) int { return cmp.Compare(a.Line, b.Line) })
			for rank, s := range group {
				key := f.URI + "\x00" + name + "\x00" + strconv.Itoa(rank)
				out[key] = comparedScenario{
					ScenarioRef: ScenarioRef{Feature: f.URI, Name: s.Name, Line: s.Line, Class: s.FailureClass()},
					passed:      s.Status == Passed || s.Status == Flaky,
				}
			}
		}
	}
	return out
}

func compareScenarioRefs(a, b ScenarioRef) int {
	return cmp.Or(strings.Compare(a.Feature, b.Feature), cmp.Compare(a.Line, b.Line), strings.Compare(a.Name, b.Name))
}

// driftIndex counts a run's drift findings by rule, operation and pointer.
// The rule is the kind with the finding's own rule when it differs, as the
// finding's one line shows it ("undocumented-field properties").
func driftIndex(r *Run) map[DriftRef]int {
	out := map[DriftRef]int{}
	for _, fd := range r.Findings() {
		if fd.Class != finding.Drift || fd.Expected {
			continue
		}
		rule := fd.Kind
		if fd.Rule != "" && fd.Rule != fd.Kind {
			rule += " " + fd.Rule
		}
		out[DriftRef{Rule: rule, Operation: fd.Operation, Pointer: fd.Pointer}]++
	}
	return out
}

// driftMissing lists the drift of from that other lacks, with from's counts,
// sorted by rule, operation and pointer.
func driftMissing(from, other map[DriftRef]int) []DriftRef {
	var out []DriftRef
	for k, n := range from {
		if _, ok := other[k]; !ok {
			k.Count = n
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b DriftRef) int {
		return cmp.Or(strings.Compare(a.Rule, b.Rule), strings.Compare(a.Operation, b.Operation), strings.Compare(a.Pointer, b.Pointer))
	})
	return out
}
