package drift_test

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/report"
)

const (
	profileID     = "a2c4393a-e219-67a4-5ab4-2186952e9038"
	applicationID = "edc23993-eb6a-9d89-bb79-5b8925b33224"
	appPath       = "/profiles/" + profileID + "/applications/" + applicationID
	getApp        = "GET /profiles/{profile_id}/applications/{application_id}"
)

// validator builds the real validator of the embedded spec once per test
// binary: building it is the expensive part, and it is immutable.
var validator = sync.OnceValues(contract.Default)

func mustValidator(t testing.TB) *contract.Validator {
	t.Helper()
	v, err := validator()
	require.NoError(t, err, "contract.Default")
	return v
}

// fullApplication is a product application that carries every field the
// spec documents for GET application 200, so a clean run has no
// never-returned drift and any entry comes from what a test changes.
func fullApplication() map[string]any {
	user := map[string]any{"id": "3d7a333c-418d-72a1-007b-06854dbb28eb", "name": "Ann Analyst", "email": "ann@example.com", "is_active": true}
	return map[string]any{
		"id": applicationID,
		"product": map[string]any{
			"id": "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8", "alias": "forexo_basic", "name": "Forexo Basic Account",
			"automatically_apply": true, "automatically_approve": false, "is_deleted": false, "is_deletable": true,
			"risk_models": map[string]any{"INDIVIDUAL": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "COMPANY": nil},
		},
		"associated_role": "DIRECTOR",
		"status":          "APPLIED",
		"flag":            "REQUIRES_MANUAL_TASK_COMPLETION",
		"hidden":          false,
		"assignments":     []any{},
		"required_tasks": []any{map[string]any{
			"id": "3d7a333c-418d-72a1-007b-06854dbb28eb", "task_type": "INDIVIDUAL_VERIFY_IDENTITY",
			"name": "Verify identity", "description": "Check the customer is who they say",
		}},
		"approval_blockers": []any{
			map[string]any{
				"blocker_type": "INCOMPLETE_TASK", "task_type": "INDIVIDUAL_VERIFY_IDENTITY",
				"task_id": "3d7a333c-418d-72a1-007b-06854dbb28eb",
				"task_variant": map[string]any{
					"id": "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d", "alias": "idv", "name": "IDV",
					"description": "Document check", "task_type": "INDIVIDUAL_VERIFY_IDENTITY",
				},
			},
			map[string]any{"blocker_type": "UNRESOLVED_EVENT", "event_id": "9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0"},
		},
		"history": []any{
			map[string]any{"status": "APPLIED", "date": "2024-05-14 09:30:12", "decisioner": user, "comment": "opened"},
		},
		"flag_history": []any{
			map[string]any{"status": "APPLIED", "flag": "AUTOMATING", "date": "2024-05-14 09:30:12"},
		},
		"will_expire_at": "2025-05-14 09:30:12",
		"risk": map[string]any{
			"risk_model": map[string]any{"id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "version": 3},
			"is_pending": false,
			"overall":    map[string]any{"score": 12.5, "level": "LOW"},
			"expiry":     "2025-05-14 09:30:12",
			"thresholds": map[string]any{"low_medium": 30, "medium_high": 70},
		},
	}
}

// jsonExchange is a GET of path answered with status and body (marshalled)
// as application/json at the given time.
func jsonExchange(t testing.TB, path string, status int, body any, at time.Time) exchange.Exchange {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err, "marshal body")
	return exchange.Exchange{
		Method: http.MethodGet, Path: path, URL: "http://mock/4.0" + path,
		Status: status, ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		ResponseBody: raw, Started: at, Attempts: 1,
	}
}

// step is one step's exchanges, checked by the real validator as the suite
// checks them: its findings are whatever CheckResponse says.
func step(t testing.TB, v *contract.Validator, text string, exs ...exchange.Exchange) report.Step {
	t.Helper()
	st := report.Step{Keyword: "When ", Text: text, Status: report.Passed, Exchanges: exs}
	for i := range exs {
		st.Findings = append(st.Findings, v.CheckResponse(&exs[i])...)
	}
	for _, f := range st.Findings {
		if f.Fails() {
			st.Status = report.Failed
		}
	}
	return st
}

// runOf wraps steps into a run with one feature and one scenario per step.
func runOf(id string, steps ...report.Step) *report.Run {
	f := report.Feature{URI: "features/drift.feature", Name: "Drift"}
	for i, st := range steps {
		f.Scenarios = append(f.Scenarios, report.Scenario{
			ID: id + "-" + st.Text, Name: st.Text, Line: 10 * (i + 1), Status: st.Status, Steps: []report.Step{st},
		})
	}
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	return &report.Run{ID: id, Suite: "test", Target: "embedded mock", Started: start, Finished: start.Add(time.Minute), Features: []report.Feature{f}}
}

// entryID is the part of an entry a test compares.
type entryID struct {
	Class     finding.Class
	Kind      string
	Operation string
	Status    int
	Pointer   string
	Value     string
}

func idsOf[T any](xs []T, id func(T) entryID) []entryID {
	out := make([]entryID, 0, len(xs))
	for _, x := range xs {
		out = append(out, id(x))
	}
	return out
}
