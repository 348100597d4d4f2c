package consistency

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

// read is one crafted response: the operation's template, the path as sent
// and the body.
type read struct {
	op, path, body string
}

const (
	pid = "11111111-1111-1111-1111-111111111111"
	aid = "22222222-2222-2222-2222-222222222222"
	tid = "33333333-3333-3333-3333-333333333333"
	cid = "44444444-4444-4444-4444-444444444444"
	eid = "55555555-5555-5555-5555-555555555555"
	xid = "99999999-9999-9999-9999-999999999999"
)

const (
	getProfile = "GET /profiles/{profile_id}"
	getApp     = "GET /profiles/{profile_id}/applications/{application_id}"
	getTask    = "GET /profiles/{profile_id}/tasks/{task_id}"
	getCheck   = "GET /profiles/{profile_id}/checks/{check_id}"
	getEvent   = "GET /profiles/{profile_id}/events/{event_id}"
)

// profile renders a consistent profile with one application, one task, one
// check and one event; each replacement (old, new) then breaks it on purpose.
func profile(replace ...string) string {
	s := `{"id":"` + pid + `","creation_date":"2026-01-01 00:00:00","role":"INDIVIDUAL_CUSTOMER",
	"applications":[{"id":"` + aid + `","product":{"id":"p1","alias":"forexo_basic"},"status":"APPLIED","flag":"AUTOMATING",
	  "required_tasks":[{"id":"` + tid + `","task_type":"INDIVIDUAL_VERIFY_IDENTITY"}],
	  "approval_blockers":[{"blocker_type":"INCOMPLETE_TASK","task_type":"INDIVIDUAL_VERIFY_IDENTITY","task_id":"` + tid + `"},{"blocker_type":"UNRESOLVED_EVENT","event_id":"` + eid + `"}],
	  "history":[{"status":"APPLIED","date":"2026-01-01 00:00:00"}],"flag_history":[{"status":"APPLIED","flag":"AUTOMATING","date":"2026-01-01 00:00:00"}]}],
	"tasks":[{"id":"` + tid + `","type":"INDIVIDUAL_VERIFY_IDENTITY","state":"INCOMPLETE","is_complete":false,"creation_date":"2026-01-01 00:00:00","check_ids":["` + cid + `"]}],
	"task_types":["INDIVIDUAL_VERIFY_IDENTITY"],"task_progress":{"completed_count":0,"total_count":1},
	"checks":[{"id":"` + cid + `","check_type":"IDENTITY_CHECK","state":"RUNNING","task_ids":["` + tid + `"]}],
	"events":[{"id":"` + eid + `","creation_date":"2026-01-01 00:00:00","resolution":"UNRESOLVED","resolution_task_ids":["` + tid + `"]}],
	"collection_steps":[],"has_collection_steps":false}`
	for i := 0; i+1 < len(replace); i += 2 {
		if !strings.Contains(s, replace[i]) {
			panic("profile: no " + replace[i])
		}
		s = strings.Replace(s, replace[i], replace[i+1], 1)
	}
	return s
}

func profileRead(replace ...string) read {
	return read{getProfile, "/profiles/" + pid, profile(replace...)}
}

func taskRead(body string) read  { return read{getTask, "/profiles/" + pid + "/tasks/" + tid, body} }
func checkRead(body string) read { return read{getCheck, "/profiles/" + pid + "/checks/" + cid, body} }
func appRead(body string) read {
	return read{getApp, "/profiles/" + pid + "/applications/" + aid, body}
}
func eventRead(body string) read { return read{getEvent, "/profiles/" + pid + "/events/" + eid, body} }
func search(body string) read    { return read{"GET /profiles", "/profiles?limit=2", body} }
func task(state string, done bool) string {
	d := "false"
	if done {
		d = "true"
	}
	return `{"id":"` + tid + `","type":"INDIVIDUAL_VERIFY_IDENTITY","state":"` + state + `","is_complete":` + d + `,"creation_date":"2026-01-01 00:00:00","check_ids":[]}`
}
func checkBody(state string) string {
	return `{"id":"` + cid + `","check_type":"IDENTITY_CHECK","state":"` + state + `","task_ids":[]}`
}

// completed renders check cid COMPLETE with a decision, serving task tid.
func completed(decision string) string {
	return `{"id":"` + cid + `","check_type":"IDENTITY_CHECK","state":"COMPLETE","decision":"` + decision + `","task_ids":["` + tid + `"]}`
}

// runCheck is the answer to running a check on the profile.
func runCheck(body string) read {
	return read{"POST /profiles/{profile_id}/checks", "/profiles/" + pid + "/checks", body}
}

// judge feeds the reads to one checker in order and returns the rules of
// every finding, after checking each finding's class and kind.
func judge(t *testing.T, reads []read) []string {
	t.Helper()
	m, err := Default()
	require.NoError(t, err)
	c := m.NewChecker()
	var rules []string
	for _, r := range reads {
		ex := &exchange.Exchange{Method: strings.Fields(r.op)[0], Path: r.path, Status: 200, ResponseBody: []byte(r.body)}
		for _, f := range c.Observe(ex, r.op) {
			assert.Equal(t, finding.Lifecycle, f.Class)
			assert.Equal(t, finding.InconsistentRead, f.Kind)
			assert.True(t, f.Fails(), "an inconsistent read fails its scenario")
			assert.NotContains(t, f.Message, "\n")
			rules = append(rules, f.Rule)
		}
	}
	return rules
}

// TestEachRuleCatchesItsViolation holds every rule of spec/consistency.yaml
// to a crafted violation caught under its name and a consistent case that
// passes.
func TestEachRuleCatchesItsViolation(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		ok, bad []read
	}{
		"immutable-id": {
			ok:  []read{taskRead(task("INCOMPLETE", false))},
			bad: []read{taskRead(strings.Replace(task("INCOMPLETE", false), tid, xid, 1))},
		},
		"immutable-creation-date": {
			ok:  []read{profileRead(), taskRead(task("INCOMPLETE", false))},
			bad: []read{profileRead(), taskRead(strings.Replace(task("INCOMPLETE", false), "2026-01-01 00:00:00", "2026-01-02 00:00:00", 1))},
		},
		"immutable-role": {
			ok:  []read{profileRead(), search(`{"count":1,"limit":2,"offset":0,"results":[{"id":"` + pid + `","role":"INDIVIDUAL_CUSTOMER"}]}`)},
			bad: []read{profileRead(), search(`{"count":1,"limit":2,"offset":0,"results":[{"id":"` + pid + `","role":"COMPANY_CUSTOMER"}]}`)},
		},
		"immutable-task-type": {
			ok:  []read{profileRead(), taskRead(task("INCOMPLETE", false))},
			bad: []read{profileRead(), taskRead(strings.Replace(task("INCOMPLETE", false), `"type":"INDIVIDUAL_VERIFY_IDENTITY"`, `"type":"INDIVIDUAL_VERIFY_ADDRESS"`, 1))},
		},
		"immutable-check-type": {
			ok:  []read{profileRead(), checkRead(checkBody("COMPLETE"))},
			bad: []read{profileRead(), checkRead(strings.Replace(checkBody("COMPLETE"), "IDENTITY_CHECK", "DOCUMENT_VERIFICATION", 1))},
		},
		"forward-only-check-state": {
			ok:  []read{checkRead(checkBody("PENDING")), checkRead(checkBody("RUNNING")), checkRead(checkBody("COMPLETE"))},
			bad: []read{checkRead(checkBody("COMPLETE")), checkRead(checkBody("RUNNING"))},
		},
		"task-state-agrees": {
			ok:  []read{taskRead(task("COMPLETED_FAIL", true)), taskRead(task("INCOMPLETE", false))},
			bad: []read{taskRead(task("COMPLETED_PASS", false))},
		},
		"task-progress-agrees": {
			ok:  []read{profileRead(`"state":"INCOMPLETE","is_complete":false`, `"state":"COMPLETED_FAIL","is_complete":true`, `"completed_count":0`, `"completed_count":1`)},
			bad: []read{profileRead(`"total_count":1`, `"total_count":2`)},
		},
		"task-types-agree": {
			ok:  []read{profileRead()},
			bad: []read{profileRead(`"task_types":["INDIVIDUAL_VERIFY_IDENTITY"]`, `"task_types":["INDIVIDUAL_VERIFY_ADDRESS"]`)},
		},
		"collection-steps-agree": {
			ok:  []read{profileRead(`"collection_steps":[],"has_collection_steps":false`, `"collection_steps":[{"step_type":"X"}],"has_collection_steps":true`)},
			bad: []read{profileRead(`"has_collection_steps":false`, `"has_collection_steps":true`)},
		},
		"blocker-task-agrees": {
			ok: []read{appRead(`{"id":"` + aid + `","required_tasks":[{"id":"` + tid + `","task_type":"INDIVIDUAL_VERIFY_IDENTITY"},{"id":"` + xid + `","task_type":"INDIVIDUAL_VERIFY_ADDRESS"}],` +
				`"approval_blockers":[{"blocker_type":"INCOMPLETE_TASK","task_type":"INDIVIDUAL_VERIFY_IDENTITY","task_id":"` + tid + `"},{"blocker_type":"INCOMPLETE_TASK","task_type":"INDIVIDUAL_VERIFY_ADDRESS"}]}`)},
			bad: []read{appRead(`{"id":"` + aid + `","required_tasks":[{"id":"` + tid + `","task_type":"INDIVIDUAL_VERIFY_IDENTITY"},{"id":"` + xid + `","task_type":"INDIVIDUAL_VERIFY_ADDRESS"}],` +
				`"approval_blockers":[{"blocker_type":"INCOMPLETE_TASK","task_type":"INDIVIDUAL_VERIFY_ADDRESS","task_id":"` + tid + `"}]}`)},
		},
		"list-count-agrees": {
			ok:  []read{search(`{"count":5,"limit":2,"offset":3,"results":[{"id":"` + pid + `"},{"id":"` + xid + `"}]}`)},
			bad: []read{search(`{"count":1,"limit":2,"offset":0,"results":[{"id":"` + pid + `"},{"id":"` + xid + `"}]}`)},
		},
		"required-task-resolves": {
			ok:  []read{profileRead()},
			bad: []read{profileRead(`"required_tasks":[{"id":"`+tid, `"required_tasks":[{"id":"`+xid)},
		},
		"blocker-task-resolves": {
			ok:  []read{profileRead()},
			bad: []read{profileRead(`"task_id":"`+tid, `"task_id":"`+xid)},
		},
		"blocker-event-resolves": {
			ok:  []read{eventRead(`{"id":"` + eid + `"}`), profileRead(`"events":[{"id":"`+eid+`",`, `"events":[{"id":"`+xid+`",`)},
			bad: []read{profileRead(`"event_id":"`+eid, `"event_id":"`+xid)},
		},
		"task-check-resolves": {
			ok:  []read{checkRead(checkBody("PENDING")), profileRead(`"checks":[{"id":"`+cid, `"checks":[{"id":"`+xid)},
			bad: []read{profileRead(`"check_ids":["`+cid, `"check_ids":["`+xid)},
		},
		"check-task-resolves": {
			ok:  []read{profileRead()},
			bad: []read{profileRead(`"task_ids":["`+tid, `"task_ids":["`+xid)},
		},
		"check-outcome-moves-task": {
			ok:  []read{runCheck(completed("PASS")), taskRead(task("COMPLETED_PASS", true)), runCheck(strings.Replace(completed("FAIL"), cid, xid, 1)), taskRead(task("COMPLETED_FAIL", true))},
			bad: []read{runCheck(completed("PASS")), taskRead(task("INCOMPLETE", false))},
		},
		"event-task-resolves": {
			ok:  []read{profileRead()},
			bad: []read{profileRead(`"resolution_task_ids":["`+tid, `"resolution_task_ids":["`+xid)},
		},
	}
	m, err := Default()
	require.NoError(t, err)
	for _, r := range m.Rules {
		require.Contains(t, cases, r.Name, "rule %s has no test case", r.Name)
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Empty(t, judge(t, tc.ok), "the consistent reads")
			assert.Contains(t, judge(t, tc.bad), name, "the crafted violation")
		})
	}
}
