package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSummary(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	require.NoError(t, WriteSummary(&b, sampleRun()))
	want := `8 scenarios: 1 passed, 4 failed, 1 flaky, 1 skipped, 1 undefined (1.42s)
seed: 42
target: embedded mock
spec: 0123456789ab
guard: allowed: embedded mock
drift: 2 findings (not failures; see findings.json)
not passed:
  features/profiles.feature:10 Profile has a "status" & <role> [contract]
    contract: GET /profiles/{profile_id} 200 /status: value is required [missing-required required]
    error: GET /profiles/{profile_id} 200: 1 contract finding
  features/applications.feature:4 Approve twice [lifecycle]
    lifecycle: POST /profiles/{profile_id}/applications/{application_id}/approve 200 APPROVED may not go back to IN_REVIEW [illegal-transition APPROVED->IN_REVIEW]
    error: lifecycle: 1 finding
  features/applications.feature:8 Target down [infrastructure]
    infrastructure: GET /profiles no response within 10s [timeout]
    error: GET /profiles: timeout
  features/applications.feature:12 Wrong status [assertion]
    error: status: got 200, want 201
  features/applications.feature:16 Not written yet [undefined]
    undefined step: When something nobody wrote
`
	assert.Equal(t, want, b.String())
}

func TestSummaryAllPassed(t *testing.T) {
	t.Parallel()
	r := &Run{Target: "https://api.example.test/4.0\n", Seed: -7, SpecHash: "abc", Features: []Feature{{
		URI: "f.feature", Scenarios: []Scenario{{Name: "a", Status: Passed, Duration: 250_000_000}},
	}}}
	var b strings.Builder
	require.NoError(t, WriteSummary(&b, r))
	want := "1 scenarios: 1 passed, 0 failed, 0 flaky, 0 skipped (0.25s)\nseed: -7\ntarget: https://api.example.test/4.0\nspec: abc\n"
	assert.Equal(t, want, b.String(), "summary")
}
