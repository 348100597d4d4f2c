package report

import "time"

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
