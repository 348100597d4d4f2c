package report

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/passfort-conformance/harness/internal/finding"
)

// One failure class per scenario, the same for the verdict and every
// report: an undefined, pending or ambiguous step wins even after a failed
// step; then a usage error; then the worst failing finding; then a failed
// assertion.
func TestFailureClass(t *testing.T) {
	t.Parallel()
	contract := finding.Finding{Class: finding.Contract}
	lifecycle := finding.Finding{Class: finding.Lifecycle}
	drift := finding.Finding{Class: finding.Drift}
	expected := finding.Finding{Class: finding.Contract, Expected: true}
	tests := map[string]struct {
		scenario Scenario
		want     string
	}{
		"passed":             {Scenario{Status: Passed}, ""},
		"flaky":              {Scenario{Status: Flaky}, ""},
		"skipped":            {Scenario{Status: Skipped}, ""},
		"undefined scenario": {Scenario{Status: Undefined, Steps: []Step{{Status: Undefined}}}, FailUndefined},
		"pending scenario":   {Scenario{Status: Pending, Steps: []Step{{Status: Pending}}}, FailUndefined},
		"undefined after a failed step": {Scenario{Status: Failed, Steps: []Step{
			{Status: Failed, Findings: []finding.Finding{contract}}, {Status: Undefined},
		}}, FailUndefined},
		"ambiguous after a usage error": {Scenario{Status: Failed, Steps: []Step{
			{Status: Failed, Usage: true}, {Status: Ambiguous},
		}}, FailUndefined},
		"usage": {Scenario{Status: Failed, Steps: []Step{{Status: Failed, Usage: true, Findings: []finding.Finding{contract}}}}, FailUsage},
		"contract over lifecycle": {Scenario{Status: Failed, Steps: []Step{
			{Status: Passed, Findings: []finding.Finding{lifecycle}}, {Status: Failed, Findings: []finding.Finding{contract}},
		}}, string(finding.Contract)},
		"drift and expected findings explain nothing": {Scenario{Status: Failed, Steps: []Step{
			{Status: Failed, Findings: []finding.Finding{drift, expected}},
		}}, FailAssertion},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, tc.scenario.FailureClass())
		})
	}
}
