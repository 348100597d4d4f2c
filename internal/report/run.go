// Package report turns a finished run into the files people and CI read:
// JUnit XML, Cucumber JSON, findings.json, and (as they land) HTML, SARIF,
// NDJSON and coverage. Every writer reads the same Run record; none of them
// talks to godog, so a report can be written again from a saved run.
package report

import (
	"time"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

// Status of a scenario or step. Values follow Cucumber's words.
type Status string

// Scenario and step statuses.
const (
	Passed    Status = "passed"
	Failed    Status = "failed"
	Skipped   Status = "skipped"
	Undefined Status = "undefined"
	Pending   Status = "pending"
	Ambiguous Status = "ambiguous"
	// Flaky: failed for infrastructure reasons, then passed on a retry.
	Flaky Status = "flaky"
)

// IsUndefined reports whether a step with status s did not run for want of
// one definition to run it: undefined, pending or ambiguous, which the
// reports count as undefined (FailUndefined).
func (s Status) IsUndefined() bool {
	return s == Undefined || s == Pending || s == Ambiguous
}

// Run is one execution of the suite against one target.
type Run struct {
	ID       string    `json:"id"`
	Suite    string    `json:"suite"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// Target is the base URL, or "embedded mock".
	Target string `json:"target"`
	// Seed is the random order seed; the run is reproduced with it.
	Seed int64 `json:"seed"`
	// SpecHash is the SHA-256 of the OpenAPI document the run checked against.
	SpecHash string `json:"spec_hash"`
	// Guard is the production guard's decision, one line.
	Guard string `json:"guard,omitempty"`
	// Verdict is the suite's verdict ("pass", "contract", "drift", ...),
	// set when the run was judged; "" in a run not judged yet (a shard's
	// run.json is judged as a shard, its merge again).
	Verdict string `json:"verdict,omitempty"`
	// Reasons are one line per reason the run did not pass, as the
	// verdict's judge gave them.
	Reasons []string `json:"reasons,omitempty"`
	// Selection is what chose the run's scenarios, so that a merge can
	// tell whether its shards make one whole run; nil in older run.json.
	Selection *Selection `json:"selection,omitempty"`
	// Requests counts what the run sent, as the console's "requests:" line
	// prints it; merged shards add theirs up.
	Requests exchange.Stats `json:"requests"`
	// ModelOptions are the lifecycle model's options the run judged the
	// target by (revert_mode, ...), every one with its value; empty in
	// older run.json.
	ModelOptions map[string]string `json:"model_options,omitempty"`
	// Build is what the pipeline told the run about itself; nil when
	// nothing was told.
	Build    *Build    `json:"build,omitempty"`
	Features []Feature `json:"features"`
}

// Build identifies what a run tested and where it ran, from the run's label
// settings and the CI system's standard environment variables.
type Build struct {
	// Label is a free text naming the run, e.g. "nightly demo account".
	Label      string `json:"label,omitempty"`
	SDK        string `json:"sdk,omitempty"`
	SDKVersion string `json:"sdk_version,omitempty"`
	Commit     string `json:"commit,omitempty"`
	Branch     string `json:"branch,omitempty"`
	// URL links to the CI job or pipeline that ran the suite.
	URL string `json:"url,omitempty"`
}

// Selection is what chose a run's scenarios.
type Selection struct {
	// Shard is "i/n" for shard i of n, "" for a run that was not sharded.
	Shard string `json:"shard,omitempty"`
	// Tags is the tag expression (godog's), "" for every scenario.
	Tags string `json:"tags,omitempty"`
	// Name is the regular expression scenario names had to match, "" for any.
	Name string `json:"name,omitempty"`
}

// Feature is one .feature file.
type Feature struct {
	URI         string     `json:"uri"` // e.g. "features/add_application.feature"
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	Line        int        `json:"line"`
	Tags        []string   `json:"tags,omitempty"`
	Scenarios   []Scenario `json:"scenarios"`
}

// Scenario is one pickle: a scenario or one row of a scenario outline.
type Scenario struct {
	ID       string        `json:"id"` // godog's pickle id, unique within the run
	Name     string        `json:"name"`
	Line     int           `json:"line"`
	Tags     []string      `json:"tags,omitempty"`
	Status   Status        `json:"status"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	// Attempts is 1 unless the scenario was retried after an infrastructure failure.
	Attempts int `json:"attempts"`
	// Worker numbers the concurrent slot that ran the scenario, from 1; 0
	// when unknown (older run.json). A merged run numbers each shard's
	// slots on after the shards before it.
	Worker int `json:"worker,omitempty"`
	// Error is why it failed or was skipped, one line.
	Error string `json:"error,omitempty"`
	Steps []Step `json:"steps"`
}

// Step is one Gherkin step with what it sent and what the checks found.
type Step struct {
	Keyword   string        `json:"keyword"` // "Given ", "When ", ...
	Text      string        `json:"text"`
	Line      int           `json:"line"`
	DocString string        `json:"doc_string,omitempty"`
	Status    Status        `json:"status"`
	Duration  time.Duration `json:"duration_ns"`
	Error     string        `json:"error,omitempty"`
	// Usage marks a step that failed on the feature's own mistake (a write
	// from a scenario not tagged @mutating), not on the target.
	Usage bool `json:"usage,omitempty"`
	// Location is the Go step definition that matched, e.g. "steps/http.go:42".
	Location  string              `json:"location,omitempty"`
	Exchanges []exchange.Exchange `json:"exchanges,omitempty"`
	Findings  []finding.Finding   `json:"findings,omitempty"`
}

// Counts of scenarios by status.
type Counts struct {
	Total, Passed, Failed, Skipped, Undefined, Flaky int
}

// Count tallies the run's scenarios.
func (r *Run) Count() Counts {
	var c Counts
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			c.add(s.Status)
		}
	}
	return c
}

// add counts one scenario of status s; a status that is none of passed,
// failed, skipped and flaky counts as undefined.
func (c *Counts) add(s Status) {
	c.Total++
	switch s {
	case Passed:
		c.Passed++
	case Failed:
		c.Failed++
	case Skipped:
		c.Skipped++
	case Flaky:
		c.Flaky++
	default:
		c.Undefined++
	}
}

// Findings returns every finding of the run in feature, scenario and step order.
func (r *Run) Findings() []finding.Finding {
	var out []finding.Finding
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			for _, st := range s.Steps {
				out = append(out, st.Findings...)
			}
		}
	}
	return out
}
