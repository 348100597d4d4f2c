package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/passfort-conformance/harness/internal/finding"
)

// FindingsFile is the document WriteFindings writes (reports/findings.json):
// the run it came from and every finding, sorted by feature file and line.
type FindingsFile struct {
	Run      FindingsRun       `json:"run"`
	Findings []finding.Finding `json:"findings"`
}

// FindingsRun identifies the run a findings file came from.
type FindingsRun struct {
	ID       string     `json:"id"`
	Suite    string     `json:"suite,omitempty"`
	Target   string     `json:"target"`
	Seed     int64      `json:"seed"`
	SpecHash string     `json:"spec_hash"`
	Guard    string     `json:"guard,omitempty"`
	Started  time.Time  `json:"started"`
	Finished time.Time  `json:"finished"`
	Counts   CountsJSON `json:"counts"`
}

// CountsJSON is Counts with the JSON names reports use.
type CountsJSON struct {
	Total     int `json:"total"`
	Passed    int `json:"passed"`
	Failed    int `json:"failed"`
	Flaky     int `json:"flaky"`
	Skipped   int `json:"skipped"`
	Undefined int `json:"undefined"`
}

// JSON returns the counts with their JSON names.
func (c Counts) JSON() CountsJSON {
	return CountsJSON{Total: c.Total, Passed: c.Passed, Failed: c.Failed, Flaky: c.Flaky, Skipped: c.Skipped, Undefined: c.Undefined}
}

// WriteFindings writes the run's findings as JSON (reports/findings.json),
// each located (feature, scenario, step, line) and sorted by feature file,
// then line; findings on the same line keep the run's order.
func WriteFindings(w io.Writer, r *Run) error {
	doc := FindingsFile{
		Run: FindingsRun{
			ID: r.ID, Suite: r.Suite, Target: r.Target, Seed: r.Seed, SpecHash: r.SpecHash,
			Guard: r.Guard, Started: r.Started, Finished: r.Finished, Counts: r.Count().JSON(),
		},
		Findings: r.LocatedFindings(),
	}
	if doc.Findings == nil {
		doc.Findings = []finding.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write findings json: %w", err)
	}
	return nil
}
