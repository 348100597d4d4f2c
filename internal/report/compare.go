package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
)

// Comparison is a run set against a previous run: scenarios are matched by
// feature URI, name and step texts (see Compare), drift findings by rule,
// operation and pointer (array indices as "*").
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

// Compare sets current against previous. Scenarios are matched within a
// feature URI by name and step texts, so the rows of a scenario outline
// (one name, the rows' values in the steps) match row by row even when one
// run selected only some rows; scenarios alike in both are told apart by
// their order in the file. A scenario left unmatched then (its steps were
// edited) is matched by name alone, again in file order. Lines are not
// used, so a match holds across random orders and across edits that move
// lines. A scenario fails when it has a FailureClass (failed, undefined,
// usage); one missing from previous counts as not failing before, one
// missing from current is neither fixed nor failing (a shard or a
// selection ran less). Drift findings (class drift, not expected) are
// matched by rule, operation and pointer (array indices as "*"), with
// their counts in the run they are listed from. Every list is sorted, so
// two comparisons of the same runs are equal. Compare returns nil when
// either run is nil.
func Compare(previous, current *Run) *Comparison {
	if previous == nil || current == nil {
		return nil
	}
	c := &Comparison{PreviousID: previous.ID, PreviousStarted: previous.Started}
	for _, m := range matchScenarios(previous, current) {
		cur, old := m.now, m.before
		switch {
		case cur.Class != "" && (old == nil || old.Class == ""):
			c.NewlyFailing = append(c.NewlyFailing, cur.ScenarioRef)
		case cur.Class != "":
			c.StillFailing = append(c.StillFailing, cur.ScenarioRef)
		case old != nil && old.Class != "" && cur.passed:
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
	passed bool   // passed or flaky
	steps  string // the step texts, one per line
}

// scenarioMatch is a scenario of the current run with its match in the
// previous run, nil when it has none.
type scenarioMatch struct {
	now    comparedScenario
	before *comparedScenario
}

// matchScenarios pairs every scenario of current with the one of previous
// it continues: first by feature URI, name and step texts, then, for the
// ones left, by feature URI and name; within each key in file order.
func matchScenarios(previous, current *Run) []scenarioMatch {
	before, now := comparedScenarios(previous), comparedScenarios(current)
	matches := make([]scenarioMatch, len(now))
	for i := range now {
		matches[i].now = now[i]
	}
	taken := make([]bool, len(before))
	pair := func(key func(comparedScenario) string) {
		free := map[string][]int{} // key → unmatched previous scenarios in file order
		for i, s := range before {
			if !taken[i] {
				free[key(s)] = append(free[key(s)], i)
			}
		}
		for i := range matches {
			if matches[i].before != nil {
				continue
			}
			k := key(matches[i].now)
			if q := free[k]; len(q) > 0 {
				matches[i].before, taken[q[0]] = &before[q[0]], true
				free[k] = q[1:]
			}
		}
	}
	pair(func(s comparedScenario) string { return s.Feature + "\x00" + s.Name + "\x00" + s.steps })
	pair(func(s comparedScenario) string { return s.Feature + "\x00" + s.Name })
	return matches
}

// comparedScenarios lists a run's scenarios by feature URI, then line, so
// that scenarios with one key keep their order in the file.
func comparedScenarios(r *Run) []comparedScenario {
	var out []comparedScenario
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			texts := make([]string, len(s.Steps))
			for i, st := range s.Steps {
				texts[i] = st.Text
			}
			out = append(out, comparedScenario{
				ScenarioRef: ScenarioRef{Feature: f.URI, Name: s.Name, Line: s.Line, Class: s.FailureClass()},
				passed:      s.Status == Passed || s.Status == Flaky,
				steps:       strings.Join(texts, "\n"),
			})
		}
	}
	slices.SortStableFunc(out, func(a, b comparedScenario) int {
		return cmp.Or(strings.Compare(a.Feature, b.Feature), cmp.Compare(a.Line, b.Line))
	})
	return out
}

func compareScenarioRefs(a, b ScenarioRef) int {
	return cmp.Or(strings.Compare(a.Feature, b.Feature), cmp.Compare(a.Line, b.Line), strings.Compare(a.Name, b.Name))
}

// driftIndex counts a run's drift findings by rule, operation and pointer.
// The rule is the finding's KindRule ("undocumented-field properties"); the
// pointer has its array indices as "*", as the report's finding groups and
// the drift report key it: the same field of another item of a list is the
// same drift, whatever the run's data.
func driftIndex(r *Run) map[DriftRef]int {
	out := map[DriftRef]int{}
	for _, fd := range r.Findings() {
		if fd.Class != finding.Drift || fd.Expected {
			continue
		}
		out[DriftRef{Rule: fd.KindRule(), Operation: fd.Operation, Pointer: jsonpointer.Templated(fd.Pointer)}]++
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
