package report

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

// DecodeCompared keeps what Compare reads of every scenario: its failure
// class by each of FailureClass's branches, and the drift it saw, expected
// drift and rules other than the kind included; the exchanges it drops.
func TestDecodeComparedKeepsWhatCompareReads(t *testing.T) {
	t.Parallel()
	lifecycle := finding.Finding{Class: finding.Lifecycle, Kind: finding.IllegalTransition, Rule: "approve", Message: "illegal"}
	infra := finding.Finding{Class: finding.Infrastructure, Kind: finding.Timeout, Operation: "GET /x", Message: "timeout"}
	expected := missingStatus
	expected.Expected = true
	expectedDrift := drifted("GET /x", "/planted")
	expectedDrift.Expected = true
	enumDrift := finding.Finding{Class: finding.Drift, Kind: finding.UnknownEnumValue, Operation: "GET /x", Pointer: "/items/3/status", Message: "unknown"}
	usage := sc("usage", 30, Failed)
	usage.Steps[0].Usage = true
	pending := sc("pending after the failure", 40, Failed)
	pending.Steps = append(pending.Steps, Step{Text: "y", Status: Pending})
	scenarios := map[string]Scenario{
		"passed":    sc("passed", 3, Passed, drifted("GET /x", "/a/0/b"), expectedDrift),
		"flaky":     sc("flaky", 6, Flaky, infra),
		"skipped":   sc("skipped", 9, Skipped),
		"contract":  sc("contract", 12, Failed, infra, missingStatus, lifecycle),
		"lifecycle": sc("lifecycle", 15, Failed, lifecycle, enumDrift),
		"infra":     sc("infrastructure", 18, Failed, infra),
		"assertion": sc("assertion", 21, Failed, expected),
		"undefined": sc("undefined", 24, Undefined),
		"ambiguous": sc("ambiguous", 27, Ambiguous),
		"usage":     usage,
		"pending":   pending,
		"no steps":  {Name: "no steps", Line: 50, Status: Failed},
	}
	whole := &Run{ID: "run-1", SpecHash: "abc", Started: time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC)}
	var all []Scenario
	for _, s := range scenarios {
		s.Steps = append([]Step(nil), s.Steps...)
		if len(s.Steps) > 0 {
			s.Steps[0].Exchanges = []exchange.Exchange{{}}
		}
		all = append(all, s)
	}
	whole.Features = []Feature{feat("features/a.feature", all...)}
	data, err := json.Marshal(whole)
	require.NoError(t, err)

	lean, err := DecodeCompared(data)
	require.NoError(t, err)
	require.Len(t, lean.Features, 1)
	require.Len(t, lean.Features[0].Scenarios, len(all))
	for i, s := range lean.Features[0].Scenarios {
		assert.Equal(t, all[i].FailureClass(), s.FailureClass(), all[i].Name)
		for _, st := range s.Steps {
			assert.Empty(t, st.Exchanges, all[i].Name)
		}
	}
	assert.Equal(t, driftIndex(whole), driftIndex(lean))
	assert.NotEmpty(t, driftIndex(whole))
	current := runOf("run-2", feat("features/a.feature", sc("passed", 3, Failed, missingStatus), sc("contract", 12, Passed)))
	assert.Equal(t, Compare(whole, current), Compare(lean, current))
	assert.Equal(t, whole.ID, lean.ID)
	assert.Equal(t, whole.SpecHash, lean.SpecHash)
	assert.True(t, whole.Started.Equal(lean.Started))
}
