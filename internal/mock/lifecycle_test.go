package mock

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// TestFlags walks one application of each product through its life and
// checks the flag and status after every step: together they reach every
// flag the catalogue promises (spec/products.yaml header).
func TestFlags(t *testing.T) {
	type step struct {
		do           func(e *env, pid string, app mocktest.Resp) // nil: just read
		status, flag string
	}
	pass := func(e *env, pid string, app mocktest.Resp) { e.PassAll(pid, app) }
	approve := func(e *env, pid string, app mocktest.Resp) { e.SetStatus(pid, app.Str("id"), "APPROVED").Want(200) }
	wait := func(d time.Duration) func(*env, string, mocktest.Resp) {
		return func(e *env, _ string, _ mocktest.Resp) { e.Clock.Advance(d) }
	}
	tests := map[string]struct {
		alias   string
		profile map[string]any
		steps   []step
		history string // flag_history flags at the end
	}{
		"manual review": {alias: "forexo_basic", steps: []step{
			{nil, "APPLIED", "AUTOMATING"},
			{wait(49 * time.Millisecond), "APPLIED", "AUTOMATING"},
			{wait(time.Millisecond), "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "APPLIED", "READY_FOR_DECISION"},
			{approve, "APPROVED", "DECIDED"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,READY_FOR_DECISION,DECIDED"},
		"checks running": {alias: "forexo_plus", steps: []step{
			{nil, "APPLIED", "AUTOMATING"},
			{wait(50 * time.Millisecond), "APPLIED", "WAITING_ON_CHECKS"},
			{wait(249 * time.Millisecond), "APPLIED", "WAITING_ON_CHECKS"},
			{wait(time.Millisecond), "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "APPLIED", "READY_FOR_DECISION"},
		}, history: "AUTOMATING,WAITING_ON_CHECKS,REQUIRES_MANUAL_TASK_COMPLETION,READY_FOR_DECISION"},
		"automatic approval": {alias: "forexo_instant", steps: []step{
			{wait(time.Second), "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "APPROVED", "DECIDED"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,DECIDED"},
		"escalation": {alias: "forexo_private", steps: []step{
			{wait(time.Second), "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "APPLIED", "WAITING_ON_ESCALATION"},
			{approve, "APPROVED", "DECIDED"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,WAITING_ON_ESCALATION,DECIDED"},
		"immediate rejection": {alias: "forexo_crypto", steps: []step{
			{wait(time.Second), "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{func(e *env, pid string, app mocktest.Resp) {
				e.Post("/profiles/"+pid+"/tasks/"+app.Str("required_tasks.0.id"), `{"state":"COMPLETED_FAIL"}`).Want(200)
			}, "REJECTED", "DECIDED"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,DECIDED"},
		"immediate rejection product whose tasks pass": {alias: "forexo_crypto", steps: []step{
			{wait(time.Second), "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "APPLIED", "READY_FOR_DECISION"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,READY_FOR_DECISION"},
		"risk score missing": {alias: "forexo_credit", profile: mocktest.WithApps(mocktest.Individual("Ada", "Lovelace")), steps: []step{
			{wait(time.Second), "APPLIED", "REQUIRES_RISK_SCORE"},
			{pass, "APPLIED", "REQUIRES_RISK_SCORE"},
			{func(e *env, pid string, app mocktest.Resp) {
				e.SetStatus(pid, app.Str("id"), "APPROVED").Want(409, 402)
			}, "APPLIED", "REQUIRES_RISK_SCORE"},
		}, history: "AUTOMATING,REQUIRES_RISK_SCORE"},
		"risk data present": {alias: "forexo_credit", steps: []step{
			{wait(time.Second), "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "APPLIED", "READY_FOR_DECISION"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,READY_FOR_DECISION"},
		"nearing expiry and expiry": {alias: "forexo_travel", steps: []step{
			{wait(time.Second), "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "APPLIED", "READY_FOR_DECISION"},
			{approve, "APPROVED", "NEARING_EXPIRY"},
			{wait(19 * 24 * time.Hour), "APPROVED", "NEARING_EXPIRY"},
			{wait(24 * time.Hour), "IN_REVIEW", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{func(e *env, pid string, _ mocktest.Resp) {
				tk := e.Get("/profiles/" + pid + "/tasks").Want(200)
				assert.False(e.T, tk.Str("0.state") != "INCOMPLETE" || !tk.Get("0.is_expired").Bool() || tk.Str("0.expired_at") != "2024-06-03 09:30:13" || tk.Str("0.expiry_reason") != "EXPIRY_PERIOD_ENDED", "expired task = %s; want INCOMPLETE, is_expired, expired_at 20 days after it passed", tk.Body)
			}, "IN_REVIEW", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "IN_REVIEW", "READY_FOR_DECISION"},
			{approve, "APPROVED", "NEARING_EXPIRY"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,READY_FOR_DECISION,NEARING_EXPIRY,REQUIRES_MANUAL_TASK_COMPLETION,READY_FOR_DECISION,NEARING_EXPIRY"},
		"company": {alias: "forexo_business", profile: mocktest.WithApps(mocktest.Company("Forexo Trading Ltd")), steps: []step{
			{wait(time.Second), "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "APPLIED", "READY_FOR_DECISION"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,READY_FOR_DECISION"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, Options{})
			body := tc.profile
			if body == nil {
				body = mocktest.WithApps(mocktest.Individual("Ada", "Lovelace", "dob", "1990-12-10", "nationality", "GBR"))
			}
			pid := e.Post("/profiles", body).Want(200).Str("id")
			app := e.Apply(pid, tc.alias)
			var last mocktest.Resp
			for i, s := range tc.steps {
				if s.do != nil {
					s.do(e, pid, app)
				}
				last = e.App(pid, app.Str("id"))
				require.False(t, last.Str("status") != s.status || last.Str("flag") != s.flag, "step %d: %s/%s; want %s/%s\nbody: %s", i, last.Str("status"), last.Str("flag"), s.status, s.flag, last.Body)
			}
			got := mocktest.CSV(mocktest.Flags(last))
			assert.False(t, got != tc.history, "flag_history = %s; want %s", got, tc.history)
		})
	}
}

// TestFlagHistoryDates: time-driven changes are dated when they were due,
// not when they were read.
func TestFlagHistoryDates(t *testing.T) {
	e := newEnv(t, Options{AutomationDelay: 2 * time.Second})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_plus")
	e.Clock.Advance(time.Hour)
	r := e.App(pid, app.Str("id"))
	want := []string{"2024-05-14 09:30:12", "2024-05-14 09:30:14", "2024-05-14 09:30:14"}
	var dates []string
	for _, d := range r.Get("flag_history.#.date").Array() {
		dates = append(dates, d.String())
	}
	assert.Equal(t, want[:min(len(dates), len(want))], dates, "flag_history dates")
	assert.Equal(t, "AUTOMATING,WAITING_ON_CHECKS,REQUIRES_MANUAL_TASK_COMPLETION", mocktest.CSV(mocktest.Flags(r)), "flags = %v", mocktest.Flags(r))
	// Reading again adds nothing: entries are added only when something changes.
	again := e.App(pid, app.Str("id"))
	assert.False(t, again.Get("flag_history.#").Int() != 3, "flag_history grew on a plain read: %s", again.Get("flag_history").Raw)
}

func TestNoAutomationDelay(t *testing.T) {
	e := newEnv(t, Options{AutomationDelay: -1})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_basic")
	assert.Equal(t, "AUTOMATING", app.Str("flag"), "creation flag = %s; want AUTOMATING (decision D12, docs/decisions.md)", app.Str("flag"))
	r := e.App(pid, app.Str("id"))
	assert.Equal(t, "REQUIRES_MANUAL_TASK_COMPLETION", r.Str("flag"), "first read = %s; want REQUIRES_MANUAL_TASK_COMPLETION", r.Str("flag"))
}

// TestStatusChanges holds the refusals of decision D9 (docs/decisions.md),
// the lifecycle model's refusal table.
func TestStatusChanges(t *testing.T) {
	type setup func(e *env, pid, aid string, app mocktest.Resp)
	ready := func(e *env, pid, _ string, app mocktest.Resp) { e.Settled(); e.PassAll(pid, app) }
	approved := func(e *env, pid, aid string, app mocktest.Resp) {
		ready(e, pid, aid, app)
		e.SetStatus(pid, aid, "APPROVED").Want(200)
	}
	then := func(first setup, status string) setup {
		return func(e *env, pid, aid string, app mocktest.Resp) {
			first(e, pid, aid, app)
			e.SetStatus(pid, aid, status).Want(200)
		}
	}
	tests := map[string]struct {
		setup        setup
		body         string
		status, code int
		after        string // status afterwards
	}{
		"approve with blockers":     {func(e *env, _, _ string, _ mocktest.Resp) { e.Settled() }, `{"status":"APPROVED"}`, 409, 402, "APPLIED"},
		"approve while automating":  {func(*env, string, string, mocktest.Resp) {}, `{"status":"APPROVED"}`, 409, 402, "APPLIED"},
		"approve ready":             {ready, `{"status":"APPROVED","comment":"ok"}`, 200, 0, "APPROVED"},
		"approve approved":          {approved, `{"status":"APPROVED"}`, 409, 102, "APPROVED"},
		"reject applied":            {func(*env, string, string, mocktest.Resp) {}, `{"status":"REJECTED"}`, 200, 0, "REJECTED"},
		"reject approved":           {approved, `{"status":"REJECTED"}`, 409, 402, "APPROVED"},
		"cancel approved":           {approved, `{"status":"CANCELLED"}`, 200, 0, "CANCELLED"},
		"cancel never approved":     {ready, `{"status":"CANCELLED"}`, 409, 402, "APPLIED"},
		"change rejected":           {then(ready, "REJECTED"), `{"status":"APPROVED"}`, 409, 103, "REJECTED"},
		"reject rejected":           {then(ready, "REJECTED"), `{"status":"REJECTED"}`, 409, 103, "REJECTED"},
		"change cancelled":          {then(approved, "CANCELLED"), `{"status":"APPROVED"}`, 409, 402, "CANCELLED"},
		"set applied by hand":       {ready, `{"status":"APPLIED"}`, 409, 402, "APPLIED"},
		"set in review by hand":     {approved, `{"status":"IN_REVIEW"}`, 409, 402, "APPROVED"},
		"missing status":            {ready, `{"comment":"x"}`, 400, 101, "APPLIED"},
		"status outside the enum":   {ready, `{"status":"DONE"}`, 400, 201, "APPLIED"},
		"comment of the wrong type": {ready, `{"status":"APPROVED","comment":5}`, 400, 201, "APPLIED"},
		"flag is ignored":           {ready, `{"status":"APPROVED","flag":"AUTOMATING"}`, 200, 0, "APPROVED"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, Options{})
			pid := e.NewProfile()
			app := e.Apply(pid, "forexo_basic")
			aid := app.Str("id")
			tc.setup(e, pid, aid, app)
			r := e.Post("/profiles/"+pid+"/applications/"+aid, tc.body)
			if tc.code != 0 {
				r.Want(tc.status, tc.code)
			} else {
				r.Want(tc.status)
			}
			got := e.App(pid, aid).Str("status")
			assert.False(t, got != tc.after, "status afterwards = %s; want %s", got, tc.after)
		})
	}
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_basic")
	ready(e, pid, app.Str("id"), app)
	r := e.Post("/profiles/"+pid+"/applications/"+app.Str("id"), `{"status":"APPROVED","comment":"All checks passed"}`).Want(200)
	assert.False(t, r.Str("history.1.status") != "APPROVED" || r.Str("history.1.comment") != "All checks passed" || r.Get("history.1.decisioner").Raw != "null", "history = %s; want an APPROVED entry with the comment", r.Get("history").Raw)
	e.Post("/profiles/"+pid+"/applications/00000000-0000-0000-0000-000000000000", `{"status":"APPROVED"}`).Want(404, 201)
}

// TestReview: an APPROVED application whose task re-opens, or that gets an
// unresolved event, moves to IN_REVIEW by itself (decision D15,
// docs/decisions.md), and back.
func TestReview(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_basic")
	aid := app.Str("id")
	e.Settled()
	e.PassAll(pid, app)
	e.SetStatus(pid, aid, "APPROVED").Want(200)

	task := "/profiles/" + pid + "/tasks/" + app.Str("required_tasks.0.id")
	e.Post(task, `{"state":"INCOMPLETE"}`).Want(200)
	r := e.App(pid, aid)
	require.False(t, r.Str("status") != "IN_REVIEW" || r.Str("flag") != "REQUIRES_MANUAL_TASK_COMPLETION" || r.Str("approval_blockers.0.blocker_type") != "INCOMPLETE_TASK", "after re-opening = %s; want IN_REVIEW with an INCOMPLETE_TASK blocker", r.Body)
	assert.Equal(t, "null", r.Get("history.2.decisioner").Raw, "automatic IN_REVIEW entry = %s; want decisioner null", r.Get("history.2").Raw)
	e.Post(task, `{"state":"COMPLETED_PASS"}`).Want(200)
	r = e.App(pid, aid)
	assert.False(t, r.Str("status") != "IN_REVIEW" || r.Str("flag") != "READY_FOR_DECISION", "after passing again = %s/%s; want IN_REVIEW/READY_FOR_DECISION (manual product)", r.Str("status"), r.Str("flag"))
	e.SetStatus(pid, aid, "REJECTED").Want(409, 402)
	e.SetStatus(pid, aid, "APPROVED").Want(200)

	ev := e.Post("/profiles/"+pid+"/events", `{"data":{"event_type":"SANCTION_FLAG"}}`).Want(200)
	r = e.App(pid, aid)
	require.False(t, r.Str("status") != "IN_REVIEW" || r.Str("approval_blockers.0.blocker_type") != "UNRESOLVED_EVENT" || r.Str("approval_blockers.0.event_id") != ev.Str("id"), "after an unresolved event = %s; want IN_REVIEW with an UNRESOLVED_EVENT blocker", r.Body)
	e.SetStatus(pid, aid, "APPROVED").Want(409, 402)
	e.Post("/profiles/"+pid+"/events/"+ev.Str("id"), `{"resolution":"MISMATCH"}`).Want(200)
	e.SetStatus(pid, aid, "APPROVED").Want(200)
	e.SetStatus(pid, aid, "CANCELLED").Want(200)
	got := mocktest.CSV(mocktest.Statuses(e.App(pid, aid)))
	assert.Equal(t, "APPLIED,APPROVED,IN_REVIEW,APPROVED,IN_REVIEW,APPROVED,CANCELLED", got, "history = %s", got)
	c := e.Get("/profiles/" + pid).Want(200).Str("category")
	assert.Equal(t, "PREVIOUS_CUSTOMER", c, "category = %s; want PREVIOUS_CUSTOMER", c)
}

// TestAutoApproveAgain: an automatically approving product re-approves a
// reviewed application once its task passes again.
func TestAutoApproveAgain(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_instant")
	e.Settled()
	e.PassAll(pid, app)
	task := "/profiles/" + pid + "/tasks/" + app.Str("required_tasks.0.id")
	e.Post(task, `{"state":"INCOMPLETE"}`).Want(200)
	e.Post(task, `{"state":"COMPLETED_PASS"}`).Want(200)
	r := e.App(pid, app.Str("id"))
	got := mocktest.CSV(mocktest.Statuses(r))
	assert.Equal(t, "APPLIED,APPROVED,IN_REVIEW,APPROVED", got, "history = %s; want APPLIED,APPROVED,IN_REVIEW,APPROVED", got)
	c := e.Get("/profiles/" + pid).Want(200).Str("category")
	assert.Equal(t, "CUSTOMER", c, "category = %s; want CUSTOMER", c)
}

func TestRevertSameID(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_basic")
	aid := app.Str("id")
	revert := "/profiles/" + pid + "/applications/" + aid + "/revert_decision"
	e.Post(revert, nil).Want(409, 402) // nothing to revert
	e.SetStatus(pid, aid, "REJECTED").Want(200)
	c := e.Get("/profiles/" + pid).Want(200).Str("category")
	assert.Equal(t, "INACTIVE_APPLICANT", c, "category = %s; want INACTIVE_APPLICANT", c)
	r := e.Post(revert, `{"comment":"Rejected by mistake"}`).Want(200)
	require.False(t, r.Str("id") != aid || r.Str("status") != "APPLIED" || r.Get("hidden").Bool(), "revert = %s; want the same id back in APPLIED", r.Body)
	got := mocktest.CSV(mocktest.Statuses(r))
	assert.False(t, got != "APPLIED,REJECTED,APPLIED" || r.Str("history.2.comment") != "Rejected by mistake", "history = %s; want APPLIED,REJECTED,APPLIED with the comment", r.Get("history").Raw)
	e.Post(revert, `null`).Want(409, 402) // a revert is not a decision
	// Approve, cancel, revert: back to APPROVED.
	e.Settled()
	e.PassAll(pid, app)
	e.SetStatus(pid, aid, "APPROVED").Want(200)
	e.SetStatus(pid, aid, "CANCELLED").Want(200)
	r = e.Post(revert, `{}`).Want(200)
	assert.Equal(t, "APPROVED/DECIDED", r.Str("status")+"/"+r.Str("flag"), "revert of a cancellation")
	// A revert is not a decision: reverting it again is refused (the model's `otherwise`).
	e.Post(revert, "").Want(409, 402)

	// Reverting an approval returns the application to onboarding: it may be rejected then.
	plus := e.Apply(pid, "forexo_plus")
	e.Settled()
	e.PassAll(pid, plus)
	e.SetStatus(pid, plus.Str("id"), "APPROVED").Want(200)
	r = e.Post("/profiles/"+pid+"/applications/"+plus.Str("id")+"/revert_decision", "").Want(200)
	require.False(t, r.Str("status") != "APPLIED" || r.Str("flag") != "READY_FOR_DECISION", "revert of an approval = %s/%s; want APPLIED/READY_FOR_DECISION", r.Str("status"), r.Str("flag"))
	e.SetStatus(pid, plus.Str("id"), "REJECTED").Want(200)
	e.Post(revert, `{"comment":5}`).Want(400, 201)
	e.Post(revert, `[1]`).Want(400, 201)
	e.Post("/profiles/"+pid+"/applications/00000000-0000-0000-0000-000000000000/revert_decision", nil).Want(404, 201)
}

func TestRevertNewApplication(t *testing.T) {
	e := newEnv(t, Options{RevertMode: "new_application"})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_basic")
	aid := app.Str("id")
	e.Settled()
	e.SetStatus(pid, aid, "REJECTED").Want(200)
	r := e.Post("/profiles/"+pid+"/applications/"+aid+"/revert_decision", nil).Want(200)
	nid := r.Str("id")
	require.False(t, nid == aid || r.Str("status") != "APPLIED" || r.Get("hidden").Bool() || r.Str("product.alias") != "forexo_basic", "revert = %s; want a new APPLIED application for the same product", r.Body)
	got := mocktest.CSV(mocktest.Statuses(r))
	assert.Equal(t, "APPLIED", got, "new history = %s; want the old one minus the rejection", got)
	old := e.App(pid, aid)
	assert.False(t, !old.Get("hidden").Bool() || old.Str("status") != "REJECTED" || old.Get("approval_blockers.#").Int() != 0, "old application = %s; want hidden, still REJECTED", old.Body)
	e.Post("/profiles/"+pid+"/applications/"+aid+"/revert_decision", nil).Want(409, 402)
	e.SetStatus(pid, aid, "APPROVED").Want(409, 402)
	// The new application is open: a duplicate is refused, and it carries on.
	e.apply2(pid, "forexo_basic").Want(409, 202)
	e.PassAll(pid, r)
	e.SetStatus(pid, nid, "APPROVED").Want(200)
	n := e.Get("/profiles/" + pid + "/applications").Want(200).Get("#").Int()
	assert.False(t, n != 2, "applications = %d; want 2 (hidden old and new)", n)
}

func (e *env) apply2(profileID, alias string) mocktest.Resp {
	e.T.Helper()
	return e.Post("/profiles/"+profileID+"/applications", map[string]any{"product": map[string]any{"alias": alias}})
}

func TestBadOptions(t *testing.T) {
	_, err := New(Options{RevertMode: "sideways"})
	assert.Error(t, err, "New with revert mode sideways")
	_, err = New(Options{MaxBodyBytes: -1})
	assert.Error(t, err, "New with a negative body limit")
}
