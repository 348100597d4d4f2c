package report

import (
	"encoding/json"
	"time"

	"github.com/passfort-conformance/harness/internal/finding"
)

// DecodeCompared decodes a run.json into a Run that holds only what Compare
// reads of the previous run: the run's id, start and spec hash; each
// scenario's feature URI, name, line and status; each step's text, status
// and usage mark; each finding's class, kind, rule, operation, pointer and
// expected mark. Everything else is left zero. The types it decodes into
// have no field for the exchanges, so encoding/json steps over their bodies
// (most of a run.json's tens of megabytes) without allocating them.
func DecodeCompared(data []byte) (*Run, error) {
	var in comparedRunInput
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, err
	}
	return in.run(), nil
}

// comparedRunInput and the types below are a run.json as Compare reads it:
// the JSON names are Run's, Feature's, Scenario's, Step's and Finding's.
type comparedRunInput struct {
	ID       string                 `json:"id"`
	Started  time.Time              `json:"started"`
	SpecHash string                 `json:"spec_hash"`
	Features []comparedFeatureInput `json:"features"`
}

type comparedFeatureInput struct {
	URI       string                  `json:"uri"`
	Scenarios []comparedScenarioInput `json:"scenarios"`
}

type comparedScenarioInput struct {
	Name   string              `json:"name"`
	Line   int                 `json:"line"`
	Status Status              `json:"status"`
	Steps  []comparedStepInput `json:"steps"`
}

type comparedStepInput struct {
	Text     string                 `json:"text"`
	Status   Status                 `json:"status"`
	Usage    bool                   `json:"usage"`
	Findings []comparedFindingInput `json:"findings"`
}

type comparedFindingInput struct {
	Class     finding.Class `json:"class"`
	Kind      string        `json:"kind"`
	Rule      string        `json:"rule"`
	Operation string        `json:"operation"`
	Pointer   string        `json:"pointer"`
	Expected  bool          `json:"expected"`
}

func (in *comparedRunInput) run() *Run {
	r := &Run{ID: in.ID, Started: in.Started, SpecHash: in.SpecHash, Features: make([]Feature, len(in.Features))}
	for i, f := range in.Features {
		r.Features[i] = Feature{URI: f.URI, Scenarios: make([]Scenario, len(f.Scenarios))}
		for j, s := range f.Scenarios {
			r.Features[i].Scenarios[j] = s.scenario()
		}
	}
	return r
}

func (in *comparedScenarioInput) scenario() Scenario {
	s := Scenario{Name: in.Name, Line: in.Line, Status: in.Status, Steps: make([]Step, len(in.Steps))}
	for i, st := range in.Steps {
		s.Steps[i] = Step{Text: st.Text, Status: st.Status, Usage: st.Usage}
		for _, fd := range st.Findings {
			s.Steps[i].Findings = append(s.Steps[i].Findings, finding.Finding{
				Class: fd.Class, Kind: fd.Kind, Rule: fd.Rule, Operation: fd.Operation, Pointer: fd.Pointer, Expected: fd.Expected,
			})
		}
	}
	return s
}
