package report

import (
	"net/http"
	"time"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

// t0 is the fixed start of the sample run, so outputs are reproducible.
var t0 = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

// Finding lines the tests look for.
var (
	missingStatus = finding.Finding{
		Class: finding.Contract, Kind: finding.MissingRequired,
		Operation: "GET /profiles/{profile_id}", Status: 200, Pointer: "/status",
		Rule: "required", Message: "value is required",
	}
	extraField = finding.Finding{
		Class: finding.Drift, Kind: finding.UndocumentedField,
		Operation: "GET /profiles/{profile_id}", Status: 200, Pointer: "/shoe_size",
		Message: "field not in the contract", Example: "42",
	}
	illegalMove = finding.Finding{
		Class: finding.Lifecycle, Kind: finding.IllegalTransition,
		Operation: "POST /profiles/{profile_id}/applications/{application_id}/approve", Status: 200,
		Rule: "APPROVED->IN_REVIEW", Message: "APPROVED may not go back to IN_REVIEW",
	}
	timedOut = finding.Finding{
		Class: finding.Infrastructure, Kind: finding.Timeout,
		Operation: "GET /profiles", Message: "no response within 10s",
	}
)

// sampleRun is a run with one scenario of every verdict the writers handle:
// passed (with a drift finding), contract failure, lifecycle failure,
// infrastructure-only failure, plain assertion failure, skipped, flaky and
// undefined, across two features.
func sampleRun() *Run {
	ex := exchange.Exchange{
		Method: "GET", Path: "/profiles/8e1c2a3b-0000-4000-8000-000000000001",
		URL:           "http://127.0.0.1:9/4.0/profiles/8e1c2a3b-0000-4000-8000-000000000001",
		RequestHeader: http.Header{"Apikey": {"[REDACTED]"}, "Accept": {"application/json"}},
		Status:        200,
		ResponseHeader: http.Header{
			"Content-Type": {"application/json"},
			"X-Request-Id": {"r-1"},
		},
		ResponseBody: []byte(`{"id":"8e1c2a3b-0000-4000-8000-000000000001","role":"INDIVIDUAL_CUSTOMER","shoe_size":42,"note":"<script>alert(1)</script>"}`),
		Started:      t0.Add(10 * time.Millisecond),
		Duration:     12 * time.Millisecond,
		Attempts:     1,
	}
	post := exchange.Exchange{
		Method: "POST", Path: "/profiles",
		RequestHeader:  http.Header{"Apikey": {"[REDACTED]"}, "Content-Type": {"application/json"}},
		RequestBody:    []byte(`{"role":"INDIVIDUAL_CUSTOMER"}`),
		Status:         201,
		ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		ResponseBody:   []byte(`{"id":"8e1c2a3b-0000-4000-8000-000000000001"}`),
		Started:        t0, Duration: 8 * time.Millisecond, Attempts: 1,
	}
	withF := func(f finding.Finding, scenario string, line int) finding.Finding {
		f.Feature, f.Scenario, f.Line = "features/profiles.feature", scenario, line
		return f
	}
	inApps := func(f finding.Finding) finding.Finding {
		f.Feature = "features/applications.feature"
		return f
	}
	return &Run{
		ID: "run-1", Suite: "passfort-conformance",
		Started: t0, Finished: t0.Add(1420 * time.Millisecond),
		Target: "embedded mock", Seed: 42,
		SpecHash: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		Guard:    "allowed: embedded mock",
		Features: []Feature{
			{
				URI: "features/profiles.feature", Name: "Profiles", Line: 2,
				Description: "Create and read profiles.", Tags: []string{"@smoke"},
				Scenarios: []Scenario{
					{
						ID: "p-1", Name: "Read a profile", Line: 5, Status: Passed,
						Started: t0, Duration: 100 * time.Millisecond, Attempts: 1,
						Steps: []Step{
							{Keyword: "Given ", Text: "a profile", Line: 6, Status: Passed, Duration: 8 * time.Millisecond,
								Location: "steps/profiles.go:20", Exchanges: []exchange.Exchange{post},
								DocString: `{"role":"INDIVIDUAL_CUSTOMER"}`},
							{Keyword: "When ", Text: "I read the profile", Line: 7, Status: Passed, Duration: 12 * time.Millisecond,
								Location: "steps/profiles.go:31", Exchanges: []exchange.Exchange{ex},
								Findings: []finding.Finding{withF(extraField, "Read a profile", 7)}},
						},
					},
					{
						ID: "p-2", Name: `Profile has a "status" & <role>`, Line: 10, Status: Failed,
						Tags: []string{"@negative"}, Started: t0.Add(100 * time.Millisecond),
						Duration: 200 * time.Millisecond, Attempts: 1,
						Error: "contract: response breaks the contract",
						Steps: []Step{
							{Keyword: "When ", Text: "I read the profile", Line: 11, Status: Failed, Duration: 12 * time.Millisecond,
								Error:     "GET /profiles/{profile_id} 200: 1 contract finding",
								Exchanges: []exchange.Exchange{ex},
								Findings: []finding.Finding{
									withF(missingStatus, `Profile has a "status" & <role>`, 11),
									withF(extraField, `Profile has a "status" & <role>`, 11),
								}},
							{Keyword: "Then ", Text: "the response status is 200", Line: 12, Status: Skipped},
						},
					},
					{
						ID: "p-3", Name: "Retry after a timeout", Line: 15, Status: Flaky,
						Started: t0.Add(300 * time.Millisecond), Duration: 50 * time.Millisecond, Attempts: 2,
						Error: "GET /profiles: timeout after 10s",
						Steps: []Step{{Keyword: "When ", Text: "I list profiles", Line: 16, Status: Passed}},
					},
					{
						ID: "p-4", Name: "Only on the mock", Line: 19, Status: Skipped,
						Error: "@mock-only: target is not the embedded mock",
						Steps: []Step{{Keyword: "Given ", Text: "the mock fails", Line: 20, Status: Skipped}},
					},
				},
			},
			{
				URI: "features/applications.feature", Name: "Applications", Line: 1,
				Scenarios: []Scenario{
					{
						ID: "a-1", Name: "Approve twice", Line: 4, Status: Failed,
						// Negative, as godog computes it under random order: must never reach the reports.
						Started: t0.Add(400 * time.Millisecond), Duration: -3 * time.Second, Attempts: 1,
						Steps: []Step{{Keyword: "When ", Text: "I approve the application again", Line: 5,
							Status: Failed, Error: "lifecycle: 1 finding",
							Findings: []finding.Finding{inApps(withF(illegalMove, "Approve twice", 5))}}},
					},
					{
						ID: "a-2", Name: "Target down", Line: 8, Status: Failed,
						Started: t0.Add(500 * time.Millisecond), Duration: 10 * time.Second, Attempts: 3,
						Steps: []Step{{Keyword: "When ", Text: "I list profiles", Line: 9, Status: Failed,
							Error:    "GET /profiles: timeout",
							Findings: []finding.Finding{timedOut}}},
					},
					{
						ID: "a-3", Name: "Wrong status", Line: 12, Status: Failed,
						Duration: 30 * time.Millisecond, Attempts: 1,
						Steps: []Step{{Keyword: "Then ", Text: "the response status is 201", Line: 13,
							Status: Failed, Error: "status: got 200, want 201"}},
					},
					{
						ID: "a-4", Name: "Not written yet", Line: 16, Status: Undefined,
						Steps: []Step{{Keyword: "When ", Text: "something nobody wrote", Line: 17, Status: Undefined}},
					},
				},
			},
		},
	}
}

// sampleExtras is a small lifecycle (one illegal transition observed) and a
// coverage table.
func sampleExtras() HTMLExtras {
	return HTMLExtras{
		Lifecycle: &LifecycleDiagram{
			Title: "Application lifecycle",
			Statuses: []LifecycleStatus{
				{Name: "APPLIED", Modelled: true, Observed: true},
				{Name: "IN_REVIEW", Modelled: true, Observed: true},
				{Name: "APPROVED", Modelled: true, Observed: true},
				{Name: "REJECTED", Modelled: true},
			},
			Transitions: []LifecycleTransition{
				{Name: "submit", From: "APPLIED", To: "IN_REVIEW", Modelled: true, Observed: true, Count: 3},
				{Name: "approve", From: "IN_REVIEW", To: "APPROVED", Modelled: true, Observed: true, Count: 2},
				{Name: "reject", From: "IN_REVIEW", To: "REJECTED", Modelled: true},
				{Name: "reopen", From: "APPROVED", To: "IN_REVIEW", Observed: true, Count: 1},
				{Name: "update", From: "IN_REVIEW", To: "IN_REVIEW", Modelled: true},
			},
		},
		Coverage: []CoverageTable{{
			Title: "Operations", Columns: []string{"operation", "statuses seen"},
			Rows:    [][]string{{"GET /profiles/{profile_id}", "200"}, {"POST /profiles", "201, <none>"}},
			Percent: 37.5,
		}},
	}
}
