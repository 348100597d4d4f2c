package mock

import (
	"testing"
	"time"
)

// TestFlags walks one application of each product through its life and
// checks the flag and status after every step: together they reach every
// flag the catalogue promises (spec/products.yaml header).
func TestFlags(t *testing.T) {
	type step struct {
		do           func(e *env, pid string, app resp) // nil: just read
		status, flag string
	}
	pass := func(e *env, pid string, app resp) { e.passAll(pid, app) }
	approve := func(e *env, pid string, app resp) { e.setStatus(pid, app.str("id"), "APPROVED").want(200) }
	wait := func(d time.Duration) func(*env, string, resp) {
		return func(e *env, _ string, _ resp) { e.clock.Advance(d) }
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
			{func(e *env, pid string, app resp) {
				e.post("/profiles/"+pid+"/tasks/"+app.str("required_tasks.0.id"), `{"state":"COMPLETED_FAIL"}`).want(200)
			}, "REJECTED", "DECIDED"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,DECIDED"},
		"immediate rejection product whose tasks pass": {alias: "forexo_crypto", steps: []step{
			{wait(time.Second), "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "APPLIED", "READY_FOR_DECISION"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,READY_FOR_DECISION"},
		"risk score missing": {alias: "forexo_credit", profile: withApps(individual("Ada", "Lovelace")), steps: []step{
			{wait(time.Second), "APPLIED", "REQUIRES_RISK_SCORE"},
			{pass, "APPLIED", "REQUIRES_RISK_SCORE"},
			{func(e *env, pid string, app resp) { e.setStatus(pid, app.str("id"), "APPROVED").want(409, 402) }, "APPLIED", "REQUIRES_RISK_SCORE"},
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
			{func(e *env, pid string, _ resp) {
				tk := e.get("/profiles/" + pid + "/tasks").want(200)
				if tk.str("0.state") != "INCOMPLETE" || !tk.get("0.is_expired").Bool() || tk.str("0.expired_at") != "2024-06-03 09:30:13" || tk.str("0.expiry_reason") != "EXPIRY_PERIOD_ENDED" {
					e.t.Errorf("expired task = %s; want INCOMPLETE, is_expired, expired_at 20 days after it passed", tk.body)
				}
			}, "IN_REVIEW", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "IN_REVIEW", "READY_FOR_DECISION"},
			{approve, "APPROVED", "NEARING_EXPIRY"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,READY_FOR_DECISION,NEARING_EXPIRY,REQUIRES_MANUAL_TASK_COMPLETION,READY_FOR_DECISION,NEARING_EXPIRY"},
		"company": {alias: "forexo_business", profile: withApps(company("Forexo Trading Ltd")), steps: []step{
			{wait(time.Second), "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
			{pass, "APPLIED", "READY_FOR_DECISION"},
		}, history: "AUTOMATING,REQUIRES_MANUAL_TASK_COMPLETION,READY_FOR_DECISION"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, Options{})
			body := tc.profile
			if body == nil {
				body = withApps(individual("Ada", "Lovelace", "dob", "1990-12-10", "nationality", "GBR"))
			}
			pid := e.post("/profiles", body).want(200).str("id")
			app := e.apply(pid, tc.alias)
			var last resp
			for i, s := range tc.steps {
				if s.do != nil {
					s.do(e, pid, app)
				}
				last = e.app(pid, app.str("id"))
				if last.str("status") != s.status || last.str("flag") != s.flag {
					t.Fatalf("step %d: %s/%s; want %s/%s\nbody: %s", i, last.str("status"), last.str("flag"), s.status, s.flag, last.body)
				}
			}
			if got := csv(flags(last)); got != tc.history {
				t.Errorf("flag_history = %s; want %s", got, tc.history)
			}
		})
	}
}

// TestFlagHistoryDates: time-driven changes are dated when they were due,
// not when they were read.
func TestFlagHistoryDates(t *testing.T) {
	e := newEnv(t, Options{AutomationDelay: 2 * time.Second})
	pid := e.newProfile()
	app := e.apply(pid, "forexo_plus")
	e.clock.Advance(time.Hour)
	r := e.app(pid, app.str("id"))
	want := []string{"2024-05-14 09:30:12", "2024-05-14 09:30:14", "2024-05-14 09:30:14"}
	for i, d := range r.get("flag_history.#.date").Array() {
		if i >= len(want) || d.String() != want[i] {
			t.Errorf("flag_history dates = %s; want %v", r.get("flag_history.#.date").Raw, want)
			break
		}
	}
	if csv(flags(r)) != "AUTOMATING,WAITING_ON_CHECKS,REQUIRES_MANUAL_TASK_COMPLETION" {
		t.Errorf("flags = %v", flags(r))
	}
	// Reading again adds nothing: entries are added only when something changes.
	if again := e.app(pid, app.str("id")); again.get("flag_history.#").Int() != 3 {
		t.Errorf("flag_history grew on a plain read: %s", again.get("flag_history").Raw)
	}
}

func TestNoAutomationDelay(t *testing.T) {
	e := newEnv(t, Options{AutomationDelay: -1})
	pid := e.newProfile()
	app := e.apply(pid, "forexo_basic")
	if app.str("flag") != "AUTOMATING" {
		t.Errorf("creation flag = %s; want AUTOMATING (D12)", app.str("flag"))
	}
	if r := e.app(pid, app.str("id")); r.str("flag") != "REQUIRES_MANUAL_TASK_COMPLETION" {
		t.Errorf("first read = %s; want REQUIRES_MANUAL_TASK_COMPLETION", r.str("flag"))
	}
}

// TestStatusChanges holds the refusals of D9 (the lifecycle model's table).
func TestStatusChanges(t *testing.T) {
	type setup func(e *env, pid, aid string, app resp)
	ready := func(e *env, pid, _ string, app resp) { e.settled(); e.passAll(pid, app) }
	approved := func(e *env, pid, aid string, app resp) {
		ready(e, pid, aid, app)
		e.setStatus(pid, aid, "APPROVED").want(200)
	}
	then := func(first setup, status string) setup {
		return func(e *env, pid, aid string, app resp) {
			first(e, pid, aid, app)
			e.setStatus(pid, aid, status).want(200)
		}
	}
	tests := map[string]struct {
		setup        setup
		body         string
		status, code int
		after        string // status afterwards
	}{
		"approve with blockers":     {func(e *env, _, _ string, _ resp) { e.settled() }, `{"status":"APPROVED"}`, 409, 402, "APPLIED"},
		"approve while automating":  {func(*env, string, string, resp) {}, `{"status":"APPROVED"}`, 409, 402, "APPLIED"},
		"approve ready":             {ready, `{"status":"APPROVED","comment":"ok"}`, 200, 0, "APPROVED"},
		"approve approved":          {approved, `{"status":"APPROVED"}`, 409, 102, "APPROVED"},
		"reject applied":            {func(*env, string, string, resp) {}, `{"status":"REJECTED"}`, 200, 0, "REJECTED"},
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
			pid := e.newProfile()
			app := e.apply(pid, "forexo_basic")
			aid := app.str("id")
			tc.setup(e, pid, aid, app)
			r := e.post("/profiles/"+pid+"/applications/"+aid, tc.body)
			if tc.code != 0 {
				r.want(tc.status, tc.code)
			} else {
				r.want(tc.status)
			}
			if got := e.app(pid, aid).str("status"); got != tc.after {
				t.Errorf("status afterwards = %s; want %s", got, tc.after)
			}
		})
	}
	e := newEnv(t, Options{})
	pid := e.newProfile()
	app := e.apply(pid, "forexo_basic")
	ready(e, pid, app.str("id"), app)
	r := e.post("/profiles/"+pid+"/applications/"+app.str("id"), `{"status":"APPROVED","comment":"All checks passed"}`).want(200)
	if r.str("history.1.status") != "APPROVED" || r.str("history.1.comment") != "All checks passed" || r.get("history.1.decisioner").Raw != "null" {
		t.Errorf("history = %s; want an APPROVED entry with the comment", r.get("history").Raw)
	}
	e.post("/profiles/"+pid+"/applications/00000000-0000-0000-0000-000000000000", `{"status":"APPROVED"}`).want(404, 201)
}

// TestReview: an APPROVED application whose task re-opens, or that gets an
// unresolved event, moves to IN_REVIEW by itself (D15), and back.
func TestReview(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.newProfile()
	app := e.apply(pid, "forexo_basic")
	aid := app.str("id")
	e.settled()
	e.passAll(pid, app)
	e.setStatus(pid, aid, "APPROVED").want(200)

	task := "/profiles/" + pid + "/tasks/" + app.str("required_tasks.0.id")
	e.post(task, `{"state":"INCOMPLETE"}`).want(200)
	r := e.app(pid, aid)
	if r.str("status") != "IN_REVIEW" || r.str("flag") != "REQUIRES_MANUAL_TASK_COMPLETION" || r.str("approval_blockers.0.blocker_type") != "INCOMPLETE_TASK" {
		t.Fatalf("after re-opening = %s; want IN_REVIEW with an INCOMPLETE_TASK blocker", r.body)
	}
	if r.get("history.2.decisioner").Raw != "null" {
		t.Errorf("automatic IN_REVIEW entry = %s; want decisioner null", r.get("history.2").Raw)
	}
	e.post(task, `{"state":"COMPLETED_PASS"}`).want(200)
	if r := e.app(pid, aid); r.str("status") != "IN_REVIEW" || r.str("flag") != "READY_FOR_DECISION" {
		t.Errorf("after passing again = %s/%s; want IN_REVIEW/READY_FOR_DECISION (manual product)", r.str("status"), r.str("flag"))
	}
	e.setStatus(pid, aid, "REJECTED").want(409, 402)
	e.setStatus(pid, aid, "APPROVED").want(200)

	ev := e.post("/profiles/"+pid+"/events", `{"data":{"event_type":"SANCTION_FLAG"}}`).want(200)
	r = e.app(pid, aid)
	if r.str("status") != "IN_REVIEW" || r.str("approval_blockers.0.blocker_type") != "UNRESOLVED_EVENT" || r.str("approval_blockers.0.event_id") != ev.str("id") {
		t.Fatalf("after an unresolved event = %s; want IN_REVIEW with an UNRESOLVED_EVENT blocker", r.body)
	}
	e.setStatus(pid, aid, "APPROVED").want(409, 402)
	e.post("/profiles/"+pid+"/events/"+ev.str("id"), `{"resolution":"MISMATCH"}`).want(200)
	e.setStatus(pid, aid, "APPROVED").want(200)
	e.setStatus(pid, aid, "CANCELLED").want(200)
	if got := csv(statuses(e.app(pid, aid))); got != "APPLIED,APPROVED,IN_REVIEW,APPROVED,IN_REVIEW,APPROVED,CANCELLED" {
		t.Errorf("history = %s", got)
	}
	if c := e.get("/profiles/" + pid).want(200).str("category"); c != "PREVIOUS_CUSTOMER" {
		t.Errorf("category = %s; want PREVIOUS_CUSTOMER", c)
	}
}

// TestAutoApproveAgain: an automatically approving product re-approves a
// reviewed application once its task passes again.
func TestAutoApproveAgain(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.newProfile()
	app := e.apply(pid, "forexo_instant")
	e.settled()
	e.passAll(pid, app)
	task := "/profiles/" + pid + "/tasks/" + app.str("required_tasks.0.id")
	e.post(task, `{"state":"INCOMPLETE"}`).want(200)
	e.post(task, `{"state":"COMPLETED_PASS"}`).want(200)
	r := e.app(pid, app.str("id"))
	if got := csv(statuses(r)); got != "APPLIED,APPROVED,IN_REVIEW,APPROVED" {
		t.Errorf("history = %s; want APPLIED,APPROVED,IN_REVIEW,APPROVED", got)
	}
	if c := e.get("/profiles/" + pid).want(200).str("category"); c != "CUSTOMER" {
		t.Errorf("category = %s; want CUSTOMER", c)
	}
}

func TestRevertSameID(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.newProfile()
	app := e.apply(pid, "forexo_basic")
	aid := app.str("id")
	revert := "/profiles/" + pid + "/applications/" + aid + "/revert_decision"
	e.post(revert, nil).want(409, 402) // nothing to revert
	e.setStatus(pid, aid, "REJECTED").want(200)
	if c := e.get("/profiles/" + pid).want(200).str("category"); c != "INACTIVE_APPLICANT" {
		t.Errorf("category = %s; want INACTIVE_APPLICANT", c)
	}
	r := e.post(revert, `{"comment":"Rejected by mistake"}`).want(200)
	if r.str("id") != aid || r.str("status") != "APPLIED" || r.get("hidden").Bool() {
		t.Fatalf("revert = %s; want the same id back in APPLIED", r.body)
	}
	if got := csv(statuses(r)); got != "APPLIED,REJECTED,APPLIED" || r.str("history.2.comment") != "Rejected by mistake" {
		t.Errorf("history = %s; want APPLIED,REJECTED,APPLIED with the comment", r.get("history").Raw)
	}
	e.post(revert, `null`).want(409, 402) // a revert is not a decision
	// Approve, cancel, revert: back to APPROVED.
	e.settled()
	e.passAll(pid, app)
	e.setStatus(pid, aid, "APPROVED").want(200)
	e.setStatus(pid, aid, "CANCELLED").want(200)
	if r := e.post(revert, `{}`).want(200); r.str("status") != "APPROVED" || r.str("flag") != "DECIDED" {
		t.Errorf("revert of a cancellation = %s/%s; want APPROVED/DECIDED", r.str("status"), r.str("flag"))
	}
	// A revert is not a decision: reverting it again is refused (the model's `otherwise`).
	e.post(revert, "").want(409, 402)

	// Reverting an approval returns the application to onboarding: it may be rejected then.
	plus := e.apply(pid, "forexo_plus")
	e.settled()
	e.passAll(pid, plus)
	e.setStatus(pid, plus.str("id"), "APPROVED").want(200)
	r = e.post("/profiles/"+pid+"/applications/"+plus.str("id")+"/revert_decision", "").want(200)
	if r.str("status") != "APPLIED" || r.str("flag") != "READY_FOR_DECISION" {
		t.Fatalf("revert of an approval = %s/%s; want APPLIED/READY_FOR_DECISION", r.str("status"), r.str("flag"))
	}
	e.setStatus(pid, plus.str("id"), "REJECTED").want(200)
	e.post(revert, `{"comment":5}`).want(400, 201)
	e.post(revert, `[1]`).want(400, 201)
	e.post("/profiles/"+pid+"/applications/00000000-0000-0000-0000-000000000000/revert_decision", nil).want(404, 201)
}

func TestRevertNewApplication(t *testing.T) {
	e := newEnv(t, Options{RevertMode: "new_application"})
	pid := e.newProfile()
	app := e.apply(pid, "forexo_basic")
	aid := app.str("id")
	e.settled()
	e.setStatus(pid, aid, "REJECTED").want(200)
	r := e.post("/profiles/"+pid+"/applications/"+aid+"/revert_decision", nil).want(200)
	nid := r.str("id")
	if nid == aid || r.str("status") != "APPLIED" || r.get("hidden").Bool() || r.str("product.alias") != "forexo_basic" {
		t.Fatalf("revert = %s; want a new APPLIED application for the same product", r.body)
	}
	if got := csv(statuses(r)); got != "APPLIED" {
		t.Errorf("new history = %s; want the old one minus the rejection", got)
	}
	old := e.app(pid, aid)
	if !old.get("hidden").Bool() || old.str("status") != "REJECTED" || old.get("approval_blockers.#").Int() != 0 {
		t.Errorf("old application = %s; want hidden, still REJECTED", old.body)
	}
	e.post("/profiles/"+pid+"/applications/"+aid+"/revert_decision", nil).want(409, 402)
	e.setStatus(pid, aid, "APPROVED").want(409, 402)
	// The new application is open: a duplicate is refused, and it carries on.
	e.apply2(pid, "forexo_basic").want(409, 202)
	e.passAll(pid, r)
	e.setStatus(pid, nid, "APPROVED").want(200)
	if n := e.get("/profiles/" + pid + "/applications").want(200).get("#").Int(); n != 2 {
		t.Errorf("applications = %d; want 2 (hidden old and new)", n)
	}
}

func (e *env) apply2(profileID, alias string) resp {
	e.t.Helper()
	return e.post("/profiles/"+profileID+"/applications", map[string]any{"product": map[string]any{"alias": alias}})
}

func TestBadOptions(t *testing.T) {
	if _, err := New(Options{RevertMode: "sideways"}); err == nil {
		t.Error("New with revert mode sideways: no error")
	}
	if _, err := New(Options{MaxBodyBytes: -1}); err == nil {
		t.Error("New with a negative body limit: no error")
	}
}
