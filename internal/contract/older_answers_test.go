package contract

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

// The shapes of the real answers the contract's required keys were decided
// from (decisions D116 and D117, docs/decisions.md), with values of our own:
// the guide's answer to adding an application, an application, a task and a
// check as an older (2018) account answers them, and that account's profile.
const (
	olderApp = `{"approval_blockers":[{"blocker_type":"INCOMPLETE_TASK","task_type":"COMPANY_VERIFY_IDENTITY"}],
		"history":[{"date":"2018-03-01 09:00:00","status":"APPLIED"}],
		"id":"c83a64ec-f9e8-41e7-82a7-0a0b0c0d0e0f",
		"product":{"id":"eb299330-f63a-41e7-bc01-0a0b0c0d0e0f","name":"Mortgage"},
		"status":"APPLIED"}`
	olderTask = `{"check_ids":[],"creation_date":"2018-03-01 09:00:00","id":"c83e2d7e-f9e8-41e7-8229-0a0b0c0d0e0f",
		"is_complete":false,"is_expired":false,"type":"COMPANY_VERIFY_IDENTITY"}`
	olderCheck = `{"check_type":"COMPANY_OWNERSHIP","errors":[],"id":"40e4ea06-0519-41e8-8a1b-0a0b0c0d0e0f",
		"input_data":{"entity_type":"COMPANY","metadata":{"country_of_incorporation":"GBR","number":"01234567"}},
		"output_data":{"entity_type":"COMPANY","metadata":{}},
		"performed_on":"2018-03-02 10:00:00","result":"Pass","state":"COMPLETE",
		"task_ids":["c83e2d7e-f9e8-41e7-8229-0a0b0c0d0e0f"]}`
	olderProfile = `{"applications":[` + olderApp + `],"category":"APPLICANT","checks":[],
		"collected_data":{"entity_type":"COMPANY","metadata":{"country_of_incorporation":"GBR","number":"01234567"}},
		"collection_steps":[],"display_name":"Example Limited","document_images":[],"events":[],
		"has_associates":false,"has_collection_steps":false,"id":"` + profileID + `","linked_to":[],"risk":{},
		"role":"COMPANY_CUSTOMER","status":"NORMAL","tags":[],
		"task_progress":{"completed_count":0,"total_count":1},"task_types":["COMPANY_VERIFY_IDENTITY"],
		"tasks":[` + olderTask + `],"unresolved_event_types":[]}`
	guideApp = `{"approval_blockers":[{"blocker_type":"INCOMPLETE_TASK","task_type":"INDIVIDUAL_VERIFY_IDENTITY"}],
		"assignments":[],"flag":"AUTOMATING",
		"flag_history":[{"status":"APPLIED","flag":"AUTOMATING","date":"2020-06-01 12:00:00"}],
		"hidden":false,"history":[{"status":"APPLIED","date":"2020-06-01 12:00:00","decisioner":null}],
		"id":"edc23993-eb6a-9d89-bb79-5b8925b33224",
		"product":{"alias":"forexo_basic","automatically_approve":false,"id":"b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8","name":"Forexo Basic Account"},
		"required_tasks":[{"id":"3d7a333c-418d-72a1-007b-06854dbb28eb","task_type":"INDIVIDUAL_VERIFY_IDENTITY"}],
		"status":"APPLIED"}`
)

// TestOlderAnswersPass feeds the real answers' shapes to the embedded
// contract: the keys an older account leaves out are optional (decision
// D116), so each passes without a contract finding; a check's state and
// errors stay required (decision D117), so a check without one fails
// naming it.
func TestOlderAnswersPass(t *testing.T) {
	t.Parallel()
	v, err := defaultValidator()
	require.NoError(t, err)
	const p = "/profiles/" + profileID
	missing := func(ptr string) []summary {
		return []summary{{finding.Contract, finding.MissingRequired, ptr, "required"}}
	}
	tests := map[string]struct {
		method, path, body string
		want               []summary
	}{
		"the guide's answer to adding an application": {http.MethodPost, p + "/applications", guideApp, []summary{}},
		"an older application":                        {http.MethodGet, p + "/applications/c83a64ec-f9e8-41e7-82a7-0a0b0c0d0e0f", olderApp, []summary{}},
		"an older task, without state":                {http.MethodGet, p + "/tasks/c83e2d7e-f9e8-41e7-8229-0a0b0c0d0e0f", olderTask, []summary{}},
		"an older check":                              {http.MethodGet, p + "/checks/40e4ea06-0519-41e8-8a1b-0a0b0c0d0e0f", olderCheck, []summary{}},
		"an older profile":                            {http.MethodGet, p, olderProfile, []summary{}},
		"a check without state": {http.MethodGet, p + "/checks/40e4ea06-0519-41e8-8a1b-0a0b0c0d0e0f",
			`{"check_type":"COMPANY_OWNERSHIP","errors":[],"id":"40e4ea06-0519-41e8-8a1b-0a0b0c0d0e0f"}`, missing("/state")},
		"a check without errors": {http.MethodGet, p + "/checks/40e4ea06-0519-41e8-8a1b-0a0b0c0d0e0f",
			`{"check_type":"COMPANY_OWNERSHIP","state":"COMPLETE","id":"40e4ea06-0519-41e8-8a1b-0a0b0c0d0e0f"}`, missing("/errors")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := v.CheckResponse(jsonExchange(tc.method, tc.path, 200, []byte(tc.body)))
			assert.Equal(t, tc.want, summarize(got), lines(got))
		})
	}
}
