package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/passfort-conformance/harness/internal/finding"
)

// Event types of the NDJSON stream, in the order they appear.
const (
	EventRunStarted       = "run-started"
	EventScenarioStarted  = "scenario-started"
	EventStepFinished     = "step-finished"
	EventScenarioFinished = "scenario-finished"
	EventRunFinished      = "run-finished"
)

// Event is one line of the NDJSON stream. Type says which fields are set.
type Event struct {
	Type string `json:"type"`

	// run-started and run-finished
	RunID    string      `json:"run_id,omitempty"`
	Suite    string      `json:"suite,omitempty"`
	Target   string      `json:"target,omitempty"`
	Seed     *int64      `json:"seed,omitempty"`
	SpecHash string      `json:"spec_hash,omitempty"`
	Guard    string      `json:"guard,omitempty"`
	Counts   *CountsJSON `json:"counts,omitempty"`

	// scenario and step events
	Feature    string   `json:"feature,omitempty"` // feature file URI
	ScenarioID string   `json:"scenario_id,omitempty"`
	Scenario   string   `json:"scenario,omitempty"`
	Line       int      `json:"line,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	Keyword    string   `json:"keyword,omitempty"`
	Text       string   `json:"text,omitempty"`
	Location   string   `json:"location,omitempty"`
	Status     Status   `json:"status,omitempty"`
	Attempts   int      `json:"attempts,omitempty"`
	Error      string   `json:"error,omitempty"`

	Exchanges []ExchangeSummary `json:"exchanges,omitempty"`
	Findings  []finding.Finding `json:"findings,omitempty"`

	Time     *time.Time `json:"time,omitempty"`
	Duration *int64     `json:"duration_ns,omitempty"`
}

// ExchangeSummary is an exchange without headers and bodies, as the event
// stream carries it.
type ExchangeSummary struct {
	Method   string `json:"method"`
	Path     string `json:"path"`
	Status   int    `json:"status"`
	Duration int64  `json:"duration_ns"`
	Attempts int    `json:"attempts,omitempty"`
	Error    string `json:"error,omitempty"`
}

// WriteNDJSON writes the run as a stream of JSON events, one per line:
// run-started, then for each scenario scenario-started, one step-finished
// per step (exchanges summarised, findings in full) and scenario-finished,
// and last run-finished with the counts. Every line parses on its own.
func WriteNDJSON(w io.Writer, r *Run) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw) // Encode ends each value with a newline
	enc.SetEscapeHTML(false)
	emit := func(e Event) error {
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("write ndjson %s event: %w", e.Type, err)
		}
		return nil
	}
	seed := r.Seed
	if err := emit(Event{
		Type: EventRunStarted, RunID: r.ID, Suite: r.Suite, Target: r.Target, Seed: &seed,
		SpecHash: r.SpecHash, Guard: r.Guard, Time: timePtr(r.Started),
	}); err != nil {
		return err
	}
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			if err := emit(Event{
				Type: EventScenarioStarted, Feature: f.URI, ScenarioID: s.ID, Scenario: s.Name,
				Line: s.Line, Tags: s.Tags, Time: timePtr(s.Started),
			}); err != nil {
				return err
			}
			for _, st := range s.Steps {
				e := Event{
					Type: EventStepFinished, Feature: f.URI, ScenarioID: s.ID, Keyword: st.Keyword, Text: st.Text,
					Line: st.Line, Location: st.Location, Status: st.Status, Error: st.Error,
					Duration: durPtr(st.Duration), Findings: st.Findings,
				}
				for _, ex := range st.Exchanges {
					e.Exchanges = append(e.Exchanges, ExchangeSummary{
						Method: ex.Method, Path: ex.Path, Status: ex.Status,
						Duration: int64(nonNegative(ex.Duration)), Attempts: ex.Attempts, Error: ex.Err,
					})
				}
				if err := emit(e); err != nil {
					return err
				}
			}
			if err := emit(Event{
				Type: EventScenarioFinished, Feature: f.URI, ScenarioID: s.ID, Scenario: s.Name, Line: s.Line,
				Status: s.Status, Attempts: s.Attempts, Error: s.Error, Duration: durPtr(s.Duration),
			}); err != nil {
				return err
			}
		}
	}
	counts := r.Count().JSON()
	if err := emit(Event{
		Type: EventRunFinished, RunID: r.ID, Counts: &counts, Time: timePtr(r.Finished), Duration: durPtr(r.Duration()),
	}); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write ndjson: %w", err)
	}
	return nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func durPtr(d time.Duration) *int64 {
	n := int64(nonNegative(d))
	return &n
}
