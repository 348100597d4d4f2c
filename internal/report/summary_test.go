package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

func TestSummary(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	r := sampleRun()
	r.Build = &Build{Label: "nightly", SDK: "passfort-go", SDKVersion: "1.2.3", Commit: "abc123", Branch: "main", URL: "https://ci.example.test/job/7"}
	require.NoError(t, WriteSummary(&b, r))
	want := `drift: 2 findings (not failures; see findings.json)
seed: 42
target: embedded mock
spec: 0123456789ab
guard: allowed: embedded mock
build: nightly; passfort-go 1.2.3; commit abc123; branch main; https://ci.example.test/job/7
8 scenarios: 1 passed, 4 failed, 1 flaky, 1 skipped, 1 undefined (1.42s)
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
	want := "seed: -7\ntarget: https://api.example.test/4.0\nspec: abc\n1 scenario: 1 passed, 0 failed, 0 flaky, 0 skipped (0.25s)\n"
	assert.Equal(t, want, b.String(), "summary")
	b.Reset()
	require.NoError(t, WriteNotPassed(&b, r))
	assert.Empty(t, b.String(), "nothing to list")
}

// Every scenario that did not pass is written once: its findings, the
// assertion lines of its error that are not those findings again, and its
// last exchange.
func TestNotPassed(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	require.NoError(t, WriteNotPassed(&b, sampleRun()))
	want := `--- SKIP: Only on the mock (features/profiles.feature:19): @mock-only: target is not the embedded mock

--- FAIL: Profile has a "status" & <role> (features/profiles.feature:10) [contract]
    contract: GET /profiles/{profile_id} 200 /status: value is required [missing-required required]
    step "When I read the profile" (line 11):
      GET /profiles/{profile_id} 200: 1 contract finding
    last exchange: GET /profiles/8e1c2a3b-0000-4000-8000-000000000001 -> 200

--- FAIL: Approve twice (features/applications.feature:4) [lifecycle]
    lifecycle: POST /profiles/{profile_id}/applications/{application_id}/approve 200 APPROVED may not go back to IN_REVIEW [illegal-transition APPROVED->IN_REVIEW]
    step "When I approve the application again" (line 5):
      lifecycle: 1 finding

--- FAIL: Target down (features/applications.feature:8) [infrastructure]
    infrastructure: GET /profiles no response within 10s [timeout]
    step "When I list profiles" (line 9):
      GET /profiles: timeout

--- FAIL: Wrong status (features/applications.feature:12) [assertion]
    step "Then the response status is 201" (line 13):
      status: got 200, want 201

--- FAIL: Not written yet (features/applications.feature:16) [undefined]
    undefined step: When something nobody wrote
`
	assert.Equal(t, want, b.String())
}

// A step error that repeats the findings (as the suite writes it) is not
// printed twice; many findings and long errors are cut with a count; a
// transport error is the last exchange's outcome.
func TestNotPassedPrintsEachLineOnce(t *testing.T) {
	t.Parallel()
	var fs []finding.Finding
	var lines []string
	for i := range 12 {
		f := missingStatus
		f.Pointer = "/f" + string(rune('a'+i))
		fs = append(fs, f)
		lines = append(lines, f.String())
	}
	errText := "12 finding(s) in the response:\n  " + strings.Join(lines, "\n  ")
	r := &Run{Features: []Feature{{URI: "f.feature", Scenarios: []Scenario{{
		Name: "many", Line: 3, Status: Failed,
		Steps: []Step{{Keyword: "When ", Text: "x", Line: 4, Status: Failed, Error: errText, Findings: fs,
			Exchanges: []exchange.Exchange{{Method: "GET", Path: "/a", Status: 200}, {Method: "GET", Path: "/b", Err: "timeout after 1s"}}}},
	}}}}}
	var b strings.Builder
	require.NoError(t, WriteNotPassed(&b, r))
	out := b.String()
	for i, l := range lines {
		assert.Equal(t, map[bool]int{true: 1, false: 0}[i < 10], strings.Count(out, l), "line %q", l)
	}
	assert.Contains(t, out, "    ... and 2 more findings (report.html, junit.xml)\n")
	assert.NotContains(t, out, "finding(s) in the response")
	assert.NotContains(t, out, "step \"When x\"", "the error holds nothing the findings did not say")
	assert.Contains(t, out, "    last exchange: GET /b -> timeout after 1s\n")
}

func TestComparisonOnTheConsole(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	require.NoError(t, WriteComparison(&b, nil))
	assert.Empty(t, b.String())
	c := &Comparison{PreviousID: "run-0",
		NewlyFailing: []ScenarioRef{{Feature: "f.feature", Name: "broke\nagain", Line: 3, Class: FailContract}},
		Fixed:        []ScenarioRef{{Feature: "f.feature", Name: "mended", Line: 9}},
		NewDrift:     []DriftRef{{Rule: "undocumented-field", Operation: "GET /x", Pointer: "/y", Count: 2}},
	}
	require.NoError(t, WriteComparison(&b, c))
	assert.Equal(t, "compared with run-0: 1 newly failing, 1 fixed, 0 still failing, 1 new drift, 0 vanished drift\n"+
		"  newly failing: broke again (f.feature:3) [contract]\n", b.String())
}

func TestComparisonOnTheConsoleIsCapped(t *testing.T) {
	t.Parallel()
	c := &Comparison{PreviousID: "run-0"}
	for i := range 60 {
		c.NewlyFailing = append(c.NewlyFailing, ScenarioRef{Feature: "f.feature", Name: "s", Line: i + 1, Class: FailContract})
	}
	var b strings.Builder
	require.NoError(t, WriteComparison(&b, c))
	assert.Equal(t, 50, strings.Count(b.String(), "  newly failing: s (f.feature:"))
	assert.Contains(t, b.String(), "  ... and 10 more newly failing (summary.md, report.html)\n")
}
