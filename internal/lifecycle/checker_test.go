package lifecycle

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// approved is an application approved by hand after its task passed.
func approved(id string) *tApp {
	return newApp(id).flag("REQUIRES_MANUAL_TASK_COMPLETION").noBlockers().flag("READY_FOR_DECISION").move("APPROVED", "DECIDED")
}

// TestSnapshotInvariants: one crafted violating snapshot per snapshot-scope
// invariant, seen in a single GET.
func TestSnapshotInvariants(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		app     func() *tApp
		rules   []string
		pointer string
		message string
	}{
		"status-is-modelled": {
			func() *tApp {
				a := newApp(appID)
				a.Status = "PENDING"
				a.FlagHistory[0]["status"] = "PENDING"
				return a
			},
			[]string{"status-is-modelled", "history-ends-in-status"}, "/status", `has status "PENDING"`,
		},
		"flag-is-modelled": {
			func() *tApp { return newApp(appID).flag("THINKING") },
			[]string{"flag-is-modelled"}, "/flag", `has flag "THINKING"`,
		},
		"history-starts-applied": {
			func() *tApp {
				a := newApp(appID).noBlockers().move("REJECTED", "DECIDED")
				a.History = a.History[1:]
				return a
			},
			[]string{"history-starts-applied"}, "/history/0/status", "first history entry has status REJECTED",
		},
		"history-oldest-first": {
			func() *tApp {
				a := newApp(appID).noBlockers().flag("READY_FOR_DECISION").move("APPROVED", "DECIDED")
				a.History[0]["date"] = "2026-11-03 00:00:00"
				return a
			},
			[]string{"history-oldest-first"}, "/history/1/date", "older than entry 0",
		},
		"history-ends-in-status": {
			func() *tApp {
				a := newApp(appID).noBlockers().flag("READY_FOR_DECISION")
				a.Status = "APPROVED"
				return a.flag("DECIDED")
			},
			[]string{"history-ends-in-status"}, "/history/0", "has status APPROVED but its last history entry is APPLIED",
		},
		"history-steps-are-transitions": {
			func() *tApp { return newApp(appID).noBlockers().move("IN_REVIEW", "READY_FOR_DECISION") },
			[]string{"history-steps-are-transitions"}, "/history/1/status", "history goes APPLIED→IN_REVIEW",
		},
		"flag-history-ends-in-flag": {
			func() *tApp { a := newApp(appID); a.Flag = "REQUIRES_MANUAL_TASK_COMPLETION"; return a },
			[]string{"flag-history-ends-in-flag"}, "/flag_history/0", "last flag_history entry is APPLIED/AUTOMATING",
		},
		"approved-has-no-task-blockers": {
			func() *tApp { return approved(appID).blockers("INCOMPLETE_TASK") },
			[]string{"approved-has-no-task-blockers"}, "/approval_blockers/0",
			"invariant approved-has-no-task-blockers: APPROVED application " + appID + " lists 1 INCOMPLETE_TASK blocker",
		},
		"approved-has-no-event-blockers": {
			func() *tApp {
				return approved(appID).blockers("SUSPENDED_PROFILE", "UNRESOLVED_EVENT", "UNRESOLVED_EVENT")
			},
			[]string{"approved-has-no-event-blockers"}, "/approval_blockers/1", "lists 2 UNRESOLVED_EVENT blockers",
		},
		"one-blocker-per-incomplete-task: not required": {
			func() *tApp {
				a := newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION")
				a.ApprovalBlockers[0]["task_type"] = "INDIVIDUAL_VERIFY_ADDRESS"
				return a
			},
			[]string{"one-blocker-per-incomplete-task"}, "/approval_blockers/0", "INDIVIDUAL_VERIFY_ADDRESS, which is not in its required_tasks",
		},
		"one-blocker-per-incomplete-task: duplicate": {
			func() *tApp {
				return newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION").blockers("INCOMPLETE_TASK", "INCOMPLETE_TASK")
			},
			[]string{"one-blocker-per-incomplete-task"}, "/approval_blockers/1", "a second INCOMPLETE_TASK blocker for " + taskType,
		},
		"decided-flag-needs-decided-status": {
			func() *tApp { return newApp(appID).noBlockers().flag("DECIDED") },
			[]string{"decided-flag-needs-decided-status"}, "/flag", "shows DECIDED in status APPLIED",
		},
		"terminal-status-shows-decided": {
			func() *tApp { return newApp(appID).move("REJECTED", "READY_FOR_DECISION") },
			[]string{"terminal-status-shows-decided"}, "/flag", "REJECTED application " + appID + " shows flag READY_FOR_DECISION",
		},
		"task-blockers-outrank-ready": {
			func() *tApp { return newApp(appID).flag("READY_FOR_DECISION") },
			[]string{"task-blockers-outrank-ready"}, "/flag", "ranked after REQUIRES_MANUAL_TASK_COMPLETION",
		},
		"task-blockers-outrank-ready: escalation": {
			func() *tApp { return newApp(appID).flag("WAITING_ON_ESCALATION") },
			[]string{"task-blockers-outrank-ready"}, "/flag", "shows WAITING_ON_ESCALATION",
		},
		"risk-blocker-holds-application": {
			func() *tApp { return newApp(appID).blockers("UNDETERMINED_RISK").flag("READY_FOR_DECISION") },
			[]string{"risk-blocker-holds-application"}, "/flag",
			"APPLIED application " + appID + " lists an UNDETERMINED_RISK blocker but shows READY_FOR_DECISION, ranked after REQUIRES_RISK_SCORE",
		},
		"risk-blocker-holds-application: task flag": {
			func() *tApp {
				return newApp(appID).blockers("UNDETERMINED_RISK", "INCOMPLETE_TASK").flag("REQUIRES_MANUAL_TASK_COMPLETION")
			},
			[]string{"risk-blocker-holds-application"}, "/flag", "shows REQUIRES_MANUAL_TASK_COMPLETION",
		},
		"nearing-expiry-only-when-approved": {
			func() *tApp { return approved(appID).move("IN_REVIEW", "NEARING_EXPIRY") },
			[]string{"nearing-expiry-only-when-approved"}, "/flag", "IN_REVIEW application " + appID + " shows NEARING_EXPIRY",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := model(t)
			fs := m.NewChecker().Observe(getApp(tc.app()), opGetApp)
			wantRules(t, m, fs, tc.rules...)
			for _, f := range fs {
				if f.Rule != tc.rules[0] {
					continue
				}
				assert.Equal(t, tc.pointer, f.Pointer, "finding %s: pointer", f)
				assert.Contains(t, f.Message, tc.message, "finding %s: message", f)
				assert.Equal(t, opGetApp, f.Operation, "finding %s: operation", f)
				assert.Equal(t, 200, f.Status, "finding %s: status", f)
			}
		})
	}
}

// TestValidSnapshots: snapshots the model allows give no finding.
func TestValidSnapshots(t *testing.T) {
	t.Parallel()
	tests := map[string]*tApp{
		"fresh application":               newApp(appID),
		"approved":                        approved(appID),
		"approved on a suspended profile": approved(appID).blockers("SUSPENDED_PROFILE"),
		"approved nearing expiry":         approved(appID).flag("NEARING_EXPIRY"),
		"rejected by policy with tasks":   newApp(appID).move("REJECTED", "DECIDED"),
		"in review after a new task":      approved(appID).blockers("INCOMPLETE_TASK").move("IN_REVIEW", "REQUIRES_MANUAL_TASK_COMPLETION"),
		"cancelled from review":           approved(appID).move("IN_REVIEW", "READY_FOR_DECISION").move("CANCELLED", "DECIDED"),
		"reverted rejection same id":      newApp(appID).move("REJECTED", "DECIDED").move("APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"),
		"checks running with blockers":    newApp(appID).flag("WAITING_ON_CHECKS"),
	}
	for name, a := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := model(t)
			wantRules(t, m, m.NewChecker().Observe(getApp(a), opGetApp))
		})
	}
}

// TestPairInvariants: one crafted violating snapshot pair per pair-scope invariant.
func TestPairInvariants(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		prev, cur func() *tApp
		cur2      *obs // when set, the second observation is this instead of a GET
		rules     []string
		message   string
	}{
		"history-append-only: an entry disappears": {
			func() *tApp { return approved(appID).move("IN_REVIEW", "READY_FOR_DECISION") },
			func() *tApp {
				a := approved(appID).move("IN_REVIEW", "READY_FOR_DECISION").move("APPROVED", "DECIDED")
				a.History = append(a.History[:1], a.History[2:]...)
				return a
			},
			nil, []string{"history-append-only"}, "history entry 1 changed",
		},
		"history-append-only: shrinks": {
			func() *tApp { return approved(appID) },
			func() *tApp {
				a := approved(appID)
				a.FlagHistory = a.FlagHistory[:2]
				a.FlagHistory[1]["flag"] = "DECIDED"
				a.FlagHistory[1]["status"] = "APPROVED"
				return a
			},
			nil, []string{"history-append-only"}, "flag_history shrank from 4 to 2 entries",
		},
		"application-identity-immutable: product": {
			func() *tApp { return newApp(appID) },
			func() *tApp { a := newApp(appID); a.Product["id"] = "00000000-0000-0000-0000-000000000001"; return a },
			nil, []string{"application-identity-immutable"}, "product id changed",
		},
		"application-identity-immutable: creation": {
			func() *tApp { return newApp(appID) },
			func() *tApp { a := newApp(appID); a.History[0]["date"] = "2026-11-01 00:00:00"; return a },
			nil, []string{"application-identity-immutable"}, "creation entry changed",
		},
		"terminal-changes-only-by-revert": {
			func() *tApp { return newApp(appID).move("REJECTED", "DECIDED") },
			func() *tApp {
				return newApp(appID).move("REJECTED", "DECIDED").move("APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION")
			},
			nil, []string{"terminal-changes-only-by-revert"}, "went REJECTED→APPLIED (automatic)",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := model(t)
			c := m.NewChecker()
			first := c.Observe(getApp(tc.prev()), opGetApp)
			require.Empty(t, first, "first snapshot has findings:\n%s", dump(first))
			fs := c.Observe(getApp(tc.cur()), opGetApp)
			wantRules(t, m, fs, tc.rules...)
			assert.Contains(t, fs[0].Message+fs[len(fs)-1].Message, tc.message, "findings:\n%s", dump(fs))
		})
	}
}

// TestTransitions: each modelled transition observed with its cause is
// counted and gives no finding; manual and revert ones observed without
// their request are illegal.
func TestTransitions(t *testing.T) {
	t.Parallel()
	onboarding := func() *tApp { return newApp(appID).noBlockers().flag("READY_FOR_DECISION") }
	review := func() *tApp { return approved(appID).move("IN_REVIEW", "READY_FOR_DECISION") }
	tests := map[string]struct {
		prev *tApp
		// next makes the newer snapshot from a clone of prev.
		next func(*tApp) *tApp
		// request: "" (a GET), a status for a manual change, or "revert".
		request string
		// illegal: the rule a GET (no request) breaks instead, "" when a GET is fine.
		illegal string
	}{
		"policy-approves": {onboarding(), func(a *tApp) *tApp { return a.move("APPROVED", "DECIDED") }, "", ""},
		"manual-approve":  {onboarding(), func(a *tApp) *tApp { return a.move("APPROVED", "DECIDED") }, "APPROVED", ""},
		"policy-rejects":  {newApp(appID), func(a *tApp) *tApp { return a.move("REJECTED", "DECIDED") }, "", ""},
		"manual-reject":   {newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION"), func(a *tApp) *tApp { return a.move("REJECTED", "DECIDED") }, "REJECTED", ""},
		"approved-to-review": {approved(appID), func(a *tApp) *tApp {
			return a.blockers("INCOMPLETE_TASK").move("IN_REVIEW", "REQUIRES_MANUAL_TASK_COMPLETION")
		}, "", ""},
		"review-approve":                {review(), func(a *tApp) *tApp { return a.move("APPROVED", "DECIDED") }, "APPROVED", ""},
		"policy-reapproves":             {review(), func(a *tApp) *tApp { return a.move("APPROVED", "DECIDED") }, "", ""},
		"cancel-approved":               {approved(appID), func(a *tApp) *tApp { return a.move("CANCELLED", "DECIDED") }, "CANCELLED", "unmodelled-transition"},
		"cancel-in-review":              {review(), func(a *tApp) *tApp { return a.move("CANCELLED", "DECIDED") }, "CANCELLED", "unmodelled-transition"},
		"revert-rejection":              {newApp(appID).move("REJECTED", "DECIDED"), func(a *tApp) *tApp { return a.move("APPLIED", "AUTOMATING") }, "revert", "terminal-changes-only-by-revert"},
		"revert-cancellation":           {approved(appID).move("CANCELLED", "DECIDED"), func(a *tApp) *tApp { return a.move("APPROVED", "DECIDED") }, "revert", "terminal-changes-only-by-revert"},
		"revert-cancellation-in-review": {review().move("CANCELLED", "DECIDED"), func(a *tApp) *tApp { return a.move("IN_REVIEW", "READY_FOR_DECISION") }, "revert", "terminal-changes-only-by-revert"},
		"revert-approval":               {approved(appID), func(a *tApp) *tApp { return a.move("APPLIED", "READY_FOR_DECISION") }, "revert", "unmodelled-transition"},
		"revert-reapproval":             {review().move("APPROVED", "DECIDED"), func(a *tApp) *tApp { return a.move("IN_REVIEW", "READY_FOR_DECISION") }, "revert", ""}, // on a GET it reads as approved-to-review
	}
	m := model(t)
	for _, tr := range m.Transitions() {
		assert.Contains(t, tests, tr.Name, "transition %s has no test case", tr.Name)
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cur := tc.next(tc.prev.clone())
			var second obs
			switch tc.request {
			case "":
				second = obs{getApp(cur), opGetApp}
			case "revert":
				second = obs{revertApp(appID, cur), opRevert}
			default:
				second = obs{decideApp(cur, tc.request), opPostApp}
			}
			c := m.NewChecker()
			wantRules(t, m, run(t, c, obs{getApp(tc.prev), opGetApp}, second))
			assert.Equal(t, 1, c.Coverage().Transitions[name], "Coverage().Transitions[%s] (all: %v)", name, c.Coverage().Transitions)
			if tc.illegal == "" {
				return
			}
			c = m.NewChecker()
			fs := run(t, c, obs{getApp(tc.prev), opGetApp}, obs{getApp(cur), opGetApp})
			wantRules(t, m, fs, tc.illegal)
			assert.Zero(t, c.Coverage().Transitions[name], "an illegal change was counted as %s", name)
		})
	}
}

// TestRefusedChangesAccepted: a target that answers 2xx to a change the
// model refuses breaks the refusal rule, named in the finding.
func TestRefusedChangesAccepted(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		prev    *tApp
		next    func(*tApp) *tApp
		request string
		rule    string
	}{
		"change-rejected":       {newApp(appID).move("REJECTED", "DECIDED"), func(a *tApp) *tApp { return a.noBlockers().move("APPROVED", "DECIDED") }, "APPROVED", "change-rejected"},
		"change-cancelled":      {approved(appID).move("CANCELLED", "DECIDED"), func(a *tApp) *tApp { return a.move("APPROVED", "DECIDED") }, "APPROVED", "change-cancelled"},
		"approve-approved":      {approved(appID), func(a *tApp) *tApp { return a }, "APPROVED", "approve-approved"},
		"set-applied-by-hand":   {approved(appID), func(a *tApp) *tApp { return a.move("APPLIED", "READY_FOR_DECISION") }, "APPLIED", "set-applied-by-hand"},
		"set-in-review-by-hand": {approved(appID), func(a *tApp) *tApp { return a.move("IN_REVIEW", "READY_FOR_DECISION") }, "IN_REVIEW", "set-in-review-by-hand"},
		"reject-ever-approved":  {approved(appID), func(a *tApp) *tApp { return a.move("REJECTED", "DECIDED") }, "REJECTED", "reject-ever-approved"},
		"cancel-never-approved": {newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION"), func(a *tApp) *tApp { return a.move("CANCELLED", "DECIDED") }, "CANCELLED", "cancel-never-approved"},
		"approve-with-blockers": {newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION"), func(a *tApp) *tApp { return a.noBlockers().move("APPROVED", "DECIDED") }, "APPROVED", "approve-with-blockers"},
		"set-unknown-status":    {newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION"), func(a *tApp) *tApp { return a }, "REVOKED", "set-unknown-status"},
		"revert-undecided":      {newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION"), func(a *tApp) *tApp { return a }, "revert", "revert-undecided"},
	}
	m := model(t)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cur := tc.next(tc.prev.clone())
			second := obs{decideApp(cur, tc.request), opPostApp}
			if tc.request == "revert" {
				second = obs{revertApp(appID, cur), opRevert}
			}
			fs := run(t, m.NewChecker(), obs{getApp(tc.prev), opGetApp}, second)
			wantRules(t, m, fs, tc.rule)
			assert.Contains(t, fs[0].Message, "the model refuses it with", "the message does not say what the model answers")
		})
	}
}

// TestStaleSnapshotIsNotJudged: a change request on the profile between two
// snapshots may have moved the application, so the refusal check skips it;
// the transition itself is still checked.
func TestStaleSnapshotIsNotJudged(t *testing.T) {
	t.Parallel()
	m := model(t)
	prev := newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION")
	cur := prev.clone().noBlockers().flag("READY_FOR_DECISION").move("APPROVED", "DECIDED")
	fs := run(t, m.NewChecker(),
		obs{getApp(prev), opGetApp},
		obs{xch("POST", "/profiles/"+profileID+"/tasks/"+taskID, `{"state":"COMPLETED_PASS"}`, 200, []byte(`{"id":"`+taskID+`","state":"COMPLETED_PASS"}`)), opPostTask},
		obs{decideApp(cur, "APPROVED"), opPostApp},
	)
	wantRules(t, m, fs)

	// A transient flag makes the snapshot stale too.
	prev = newApp(appID)
	cur = prev.clone().noBlockers().flag("READY_FOR_DECISION").move("APPROVED", "DECIDED")
	wantRules(t, m, run(t, m.NewChecker(), obs{getApp(prev), opGetApp}, obs{decideApp(cur, "APPROVED"), opPostApp}))
}

// TestRequestInvariants covers decision-takes-effect and revert-follows-revert-mode.
func TestRequestInvariants(t *testing.T) {
	t.Parallel()
	m := model(t)
	newMode, err := m.WithOption("revert_mode", RevertNewApplication)
	require.NoError(t, err)
	const newID = "11111111-2222-3333-4444-555555555555"
	rejected := func() *tApp { return newApp(appID).move("REJECTED", "DECIDED") }
	reopened := func(id string) *tApp { // new_application: history minus the rejection
		a := newApp(id)
		a.History[0] = rejected().History[0]
		return a
	}
	tests := map[string]struct {
		m       *Model
		steps   func() []obs
		rules   []string
		message string
	}{
		"decision-takes-effect": {m, func() []obs {
			a := newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION")
			return []obs{{getApp(a), opGetApp}, {decideApp(a.clone(), "REJECTED"), opPostApp}}
		}, []string{"decision-takes-effect"}, "a status change to REJECTED answered 200 with status APPLIED"},
		"decision-takes-effect: first seen": {m, func() []obs {
			return []obs{{decideApp(newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION"), "REJECTED"), opPostApp}}
		}, []string{"decision-takes-effect"}, "with status APPLIED"},
		"revert-follows-revert-mode: same_id answered a new id": {m, func() []obs {
			return []obs{{getApp(rejected()), opGetApp}, {revertApp(appID, reopened(newID)), opRevert}}
		}, []string{"revert-follows-revert-mode"}, "set PASSFORT_MODEL_OPTIONS=revert_mode=new_application (or model_options.revert_mode: new_application in the catalogue)"},
		"revert-follows-revert-mode: same_id wrong status": {m, func() []obs {
			a := approved(appID).move("CANCELLED", "DECIDED")
			return []obs{{getApp(a), opGetApp}, {revertApp(appID, a.clone().move("IN_REVIEW", "READY_FOR_DECISION")), opRevert}}
		}, []string{"revert-follows-revert-mode"}, "answered status IN_REVIEW, want APPROVED"},
		"revert-follows-revert-mode: new_application answered the same id": {newMode, func() []obs {
			a := rejected()
			return []obs{{getApp(a), opGetApp}, {revertApp(appID, a.clone().move("APPLIED", "AUTOMATING")), opRevert}}
		}, []string{"revert-follows-revert-mode"}, "set PASSFORT_MODEL_OPTIONS=revert_mode=same_id (or model_options.revert_mode: same_id in the catalogue)"},
		"revert-follows-revert-mode: new_application old not hidden": {newMode, func() []obs {
			a := rejected()
			return []obs{{getApp(a), opGetApp}, {revertApp(appID, reopened(newID)), opRevert}, {getApp(a), opGetApp}}
		}, []string{"revert-follows-revert-mode"}, "reads hidden false"},
		"revert-follows-revert-mode: new_application history": {newMode, func() []obs {
			return []obs{{getApp(rejected()), opGetApp}, {revertApp(appID, newApp(newID).move("REJECTED", "DECIDED").move("APPLIED", "AUTOMATING")), opRevert}}
		}, []string{"revert-follows-revert-mode"}, "want [APPLIED]"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fs := run(t, tc.m.NewChecker(), tc.steps()...)
			wantRules(t, tc.m, fs, tc.rules...)
			found := false
			for _, f := range fs {
				found = found || strings.Contains(f.Message, tc.message)
			}
			assert.True(t, found, "findings:\n%s want a message containing %q", dump(fs), tc.message)
		})
	}
}

// TestRevertNewApplicationJourney: with revert_mode new_application, a
// target that hides the old application and answers a new one is fine.
func TestRevertNewApplicationJourney(t *testing.T) {
	t.Parallel()
	m, err := model(t).WithOption("revert_mode", RevertNewApplication)
	require.NoError(t, err)
	const newID = "11111111-2222-3333-4444-555555555555"
	old := newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION")
	rejected := old.clone().move("REJECTED", "DECIDED")
	fresh := newApp(newID)
	fresh.History[0] = rejected.History[0]
	hidden := rejected.clone()
	hidden.Hidden = true
	c := m.NewChecker()
	fs := run(t, c,
		obs{getApp(old), opGetApp},
		obs{decideApp(rejected, "REJECTED"), opPostApp},
		obs{revertApp(appID, fresh), opRevert},
		obs{xch("GET", "/profiles/"+profileID+"/applications", "", 200, []byte("["+string(hidden.json())+","+string(fresh.json())+"]")), opListApps},
	)
	wantRules(t, m, fs)
	cov := c.Coverage().Transitions
	assert.Equal(t, 1, cov["manual-reject"], "coverage %v: want manual-reject once", cov)
	assert.Equal(t, 1, cov["revert-rejection"], "coverage %v: want revert-rejection once", cov)
}

// TestExactBlockerRule: with the profile's tasks seen at the same moment,
// one-blocker-per-incomplete-task is checked exactly.
func TestExactBlockerRule(t *testing.T) {
	t.Parallel()
	tasksBody := func(state string) []byte {
		return []byte(`[{"id":"` + taskID + `","type":"` + taskType + `","state":"` + state + `","is_complete":` +
			fmt.Sprint(state != "INCOMPLETE") + `,"is_expired":false,"check_ids":[]}]`)
	}
	profile := func(a *tApp, state string) []byte {
		return []byte(`{"id":"` + profileID + `","role":"INDIVIDUAL_CUSTOMER","status":"NORMAL","applications":[` +
			string(a.json()) + `],"tasks":` + string(tasksBody(state)) + `}`)
	}
	getTasks := func(state string) obs {
		return obs{xch("GET", "/profiles/"+profileID+"/tasks", "", 200, tasksBody(state)), opGetTasks}
	}
	postTask := obs{xch("POST", "/profiles/"+profileID+"/tasks/"+taskID, `{"state":"COMPLETED_PASS"}`, 200, []byte(`{"id":"`+taskID+`"}`)), opPostTask}
	waiting := func() *tApp { return newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION") }
	missing := func() *tApp { return newApp(appID).noBlockers().flag("READY_FOR_DECISION") }
	tests := map[string]struct {
		steps   []obs
		rules   []string
		pointer string
		message string
	}{
		"profile body: incomplete task without blocker": {
			[]obs{{xch("GET", "/profiles/"+profileID, "", 200, profile(missing(), "INCOMPLETE")), opGetProf}},
			[]string{"one-blocker-per-incomplete-task"}, "/applications/0/required_tasks/0", "is INCOMPLETE but has 0 INCOMPLETE_TASK blockers, want 1",
		},
		"profile body: passed task with blocker": {
			[]obs{{xch("GET", "/profiles/"+profileID, "", 200, profile(waiting(), "COMPLETED_PASS")), opGetProf}},
			[]string{"one-blocker-per-incomplete-task"}, "/applications/0/required_tasks/0", "is COMPLETED_PASS but has 1 INCOMPLETE_TASK blocker",
		},
		"profile body: consistent": {
			[]obs{{xch("GET", "/profiles/"+profileID, "", 200, profile(waiting(), "INCOMPLETE")), opGetProf}},
			nil, "", "",
		},
		"profile body: failed task is not constrained": {
			[]obs{{xch("GET", "/profiles/"+profileID, "", 200, profile(missing(), "COMPLETED_FAIL")), opGetProf}},
			nil, "", "",
		},
		"tasks after application": {
			[]obs{{getApp(missing()), opGetApp}, getTasks("INCOMPLETE")},
			[]string{"one-blocker-per-incomplete-task"}, "", "is INCOMPLETE but has 0",
		},
		"application after tasks": {
			[]obs{getTasks("COMPLETED_PASS"), {getApp(waiting()), opGetApp}},
			[]string{"one-blocker-per-incomplete-task"}, "/required_tasks/0", "is COMPLETED_PASS but has 1",
		},
		"a change in between skips": {
			[]obs{getTasks("INCOMPLETE"), postTask, {getApp(missing()), opGetApp}},
			nil, "", "",
		},
		"a transient flag skips": {
			[]obs{{xch("GET", "/profiles/"+profileID, "", 200, profile(newApp(appID).noBlockers(), "INCOMPLETE")), opGetProf}},
			nil, "", "",
		},
	}
	m := model(t)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fs := run(t, m.NewChecker(), tc.steps...)
			wantRules(t, m, fs, tc.rules...)
			if len(fs) > 0 {
				assert.Equal(t, tc.pointer, fs[0].Pointer, "finding %s: pointer", fs[0])
				assert.Contains(t, fs[0].Message, tc.message, "finding %s: message", fs[0])
			}
		})
	}
	t.Run("ObserveTasks", func(t *testing.T) {
		t.Parallel()
		c := m.NewChecker()
		run(t, c, obs{getApp(missing()), opGetApp})
		wantRules(t, m, c.ObserveTasks(profileID, tasksBody("INCOMPLETE")), "one-blocker-per-incomplete-task")
	})
}

// TestWhereSnapshotsAppear: snapshots are found in every body shape, with
// the pointer of the application, and only in 2xx responses.
func TestWhereSnapshotsAppear(t *testing.T) {
	t.Parallel()
	bad := string(approved(appID).blockers("INCOMPLETE_TASK").json())
	// Another product: two open applications of one product break a rule of their own.
	good := string(newApp("aaaaaaaa-0000-0000-0000-000000000000").product("forexo_premium", "c0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8").json())
	tests := map[string]struct {
		ex      obs
		pointer string // "" and none: no finding
		none    bool
	}{
		"single application":   {obs{xch("POST", "/profiles/"+profileID+"/applications", `{"product":{"alias":"forexo_basic"}}`, 200, []byte(bad)), opAddApp}, "/approval_blockers/0", false},
		"array":                {obs{xch("GET", "/profiles/"+profileID+"/applications", "", 200, []byte("["+good+","+bad+"]")), opListApps}, "/1/approval_blockers/0", false},
		"profile":              {obs{xch("GET", "/profiles/"+profileID, "", 200, []byte(`{"id":"`+profileID+`","status":"NORMAL","applications":[`+good+`,`+bad+`]}`)), opGetProf}, "/applications/1/approval_blockers/0", false},
		"profile list":         {obs{xch("GET", "/profiles?limit=2", "", 200, []byte(`{"count":2,"limit":2,"offset":0,"results":[{"id":"p1"},{"id":"`+profileID+`","applications":[`+bad+`]}]}`)), opListProfs}, "/results/1/applications/0/approval_blockers/0", false},
		"error response":       {obs{xch("GET", appPath(appID), "", 500, []byte(bad)), opGetApp}, "", true},
		"not json":             {obs{xch("GET", appPath(appID), "", 200, []byte("<html>")), opGetApp}, "", true},
		"wrong type elsewhere": {obs{xch("GET", appPath(appID), "", 200, []byte(strings.Replace(bad, `"hidden":false`, `"hidden":"no"`, 1))), opGetApp}, "/approval_blockers/0", false},
	}
	m := model(t)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fs := m.NewChecker().Observe(tc.ex.ex, tc.ex.op)
			if tc.none {
				wantRules(t, m, fs)
				return
			}
			wantRules(t, m, fs, "approved-has-no-task-blockers")
			assert.Equal(t, tc.pointer, fs[0].Pointer, "finding %s: pointer", fs[0])
			assert.Equal(t, tc.ex.op, fs[0].Operation, "finding %s: operation", fs[0])
		})
	}
}

// TestJourney: a valid full journey, APPLIED/AUTOMATING to APPROVED/DECIDED
// and through review, yields no findings and counts what it saw.
func TestJourney(t *testing.T) {
	t.Parallel()
	m := model(t)
	c := m.NewChecker()
	a := newApp(appID)
	tasks := func(state string) []byte {
		return []byte(`[{"id":"` + taskID + `","type":"` + taskType + `","state":"` + state + `","is_complete":false,"is_expired":false}]`)
	}
	postTask := func(state string) obs {
		return obs{xch("POST", "/profiles/"+profileID+"/tasks/"+taskID, `{"state":"`+state+`"}`, 200, []byte(`{"id":"`+taskID+`","state":"`+state+`"}`)), opPostTask}
	}
	var steps []obs
	steps = append(steps, obs{xch("POST", "/profiles/"+profileID+"/applications", `{"product":{"alias":"forexo_basic"}}`, 200, a.json()), opAddApp})
	a.flag("REQUIRES_MANUAL_TASK_COMPLETION")
	steps = append(steps, obs{getApp(a), opGetApp}, obs{xch("GET", "/profiles/"+profileID+"/tasks", "", 200, tasks("INCOMPLETE")), opGetTasks})
	steps = append(steps, postTask("COMPLETED_PASS"))
	a.noBlockers().flag("READY_FOR_DECISION")
	steps = append(steps, obs{getApp(a), opGetApp})
	a.move("APPROVED", "DECIDED")
	steps = append(steps, obs{decideApp(a, "APPROVED"), opPostApp})
	steps = append(steps, postTask("INCOMPLETE"))
	a.blockers("INCOMPLETE_TASK").move("IN_REVIEW", "REQUIRES_MANUAL_TASK_COMPLETION")
	steps = append(steps, obs{xch("GET", "/profiles/"+profileID, "", 200, []byte(`{"id":"`+profileID+`","status":"NORMAL","applications":[`+string(a.json())+`],"tasks":`+string(tasks("INCOMPLETE"))+`}`)), opGetProf})
	steps = append(steps, postTask("COMPLETED_PASS"))
	a.noBlockers().flag("READY_FOR_DECISION").move("APPROVED", "DECIDED")
	steps = append(steps, obs{decideApp(a, "APPROVED"), opPostApp})
	a.move("CANCELLED", "DECIDED")
	steps = append(steps, obs{decideApp(a, "CANCELLED"), opPostApp})
	a.move("APPROVED", "DECIDED")
	steps = append(steps, obs{revertApp(appID, a), opRevert}, obs{getApp(a), opGetApp})

	wantRules(t, m, run(t, c, steps...))
	cov := c.Coverage()
	want := map[string]int{"manual-approve": 1, "approved-to-review": 1, "review-approve": 1, "cancel-approved": 1, "revert-cancellation": 1}
	for name, n := range want {
		assert.Equal(t, n, cov.Transitions[name], "Coverage().Transitions[%s] (all %v)", name, cov.Transitions)
	}
	assert.Len(t, cov.Transitions, len(want), "Coverage().Transitions: want only %v", want)
	assert.Equal(t, 9, cov.Snapshots, "Coverage().Snapshots")
	assert.Equal(t, 1, cov.Flags["AUTOMATING"], "Coverage().Flags[AUTOMATING]")
	assert.Equal(t, 4, cov.Statuses["APPROVED"], "Coverage().Statuses[APPROVED]")

	rep := m.Coverage(cov, cov)
	assert.Equal(t, 14, rep.Transitions.Modelled, "Coverage report: modelled transitions")
	assert.Equal(t, 5, rep.Transitions.Observed, "Coverage report: observed transitions")
	assert.Equal(t, 35.7, rep.Transitions.Percent, "Coverage report: transitions percent")
	assert.Equal(t, 18, rep.Snapshots, "Coverage report: snapshots")
	require.Greater(t, len(rep.Transitions.Items), 1, "Coverage report items")
	item := rep.Transitions.Items[1]
	assert.Equal(t, "manual-approve", item.Name, "Coverage report item %+v", item)
	assert.Equal(t, 2, item.Count, "Coverage report item %+v: want manual-approve counted twice", item)
	assert.Equal(t, "APPLIED→APPROVED (manual)", item.Detail, "Coverage report item %+v", item)
	assert.Equal(t, 4, rep.Statuses.Observed, "Coverage report: observed statuses")
	assert.Equal(t, 11, rep.Flags.Modelled, "Coverage report: modelled flags")
	s := rep.String()
	assert.Contains(t, s, "transitions 5/14 (35.7%)", "String()")
	assert.Contains(t, s, "statuses 4/5 (80%)", "String()")
}

func TestCoverageUnmodelled(t *testing.T) {
	t.Parallel()
	m := model(t)
	c := m.NewChecker()
	c.Observe(getApp(newApp(appID).flag("THINKING")), opGetApp)
	rep := m.Coverage(c.Coverage())
	// AUTOMATING is observed through the snapshot's flag_history.
	if assert.Len(t, rep.Flags.Unmodelled, 1, "flags coverage %+v: want THINKING unmodelled", rep.Flags) {
		assert.Equal(t, "THINKING", rep.Flags.Unmodelled[0].Name, "flags coverage: unmodelled")
	}
	assert.Equal(t, 1, rep.Flags.Observed, "flags coverage %+v: want AUTOMATING observed", rep.Flags)
}

// TestCheckerConcurrent: one checker observed from many goroutines (run
// with -race): every snapshot is counted and a broken one is still caught.
func TestCheckerConcurrent(t *testing.T) {
	t.Parallel()
	m := model(t)
	c := m.NewChecker()
	const workers, rounds = 8, 50
	var wg sync.WaitGroup
	var mu sync.Mutex
	var broken int
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("%08d-0000-0000-0000-000000000000", w)
			a := newApp(id)
			for r := range rounds {
				ex := getApp(a)
				if r%2 == 1 {
					ex = getApp(approved(appID)) // a shared id, seen from every worker
				}
				fs := c.Observe(ex, opGetApp)
				if r == rounds-1 {
					fs = c.Observe(getApp(approved(id).blockers("INCOMPLETE_TASK")), opGetApp)
				}
				mu.Lock()
				for _, f := range fs {
					if f.Rule == "approved-has-no-task-blockers" {
						broken++
					}
				}
				mu.Unlock()
				_ = c.Coverage()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, workers, broken, "broken snapshots caught")
	assert.Equal(t, workers*(rounds+1), c.Coverage().Snapshots, "Coverage().Snapshots")
}

// BenchmarkObservePair observes a pair of snapshots of a ~750-byte application.
func BenchmarkObservePair(b *testing.B) {
	m := model(b)
	prev := newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION").noBlockers().flag("READY_FOR_DECISION")
	cur := prev.clone().move("APPROVED", "DECIDED")
	first, second := getApp(prev), decideApp(cur, "APPROVED")
	b.ReportAllocs()
	for b.Loop() {
		c := m.NewChecker()
		if fs := c.Observe(first, opGetApp); len(fs) > 0 {
			b.Fatal(fs)
		}
		if fs := c.Observe(second, opPostApp); len(fs) > 0 {
			b.Fatal(fs)
		}
	}
	b.ReportMetric(float64(len(first.ResponseBody)+len(second.ResponseBody))/2, "bytes/snapshot")
}

// TestStatusGoesBackWithoutRevert: an approved application that reads
// APPLIED again on a GET went back without revert_decision.
func TestStatusGoesBackWithoutRevert(t *testing.T) {
	t.Parallel()
	m := model(t)
	a := approved(appID)
	back := a.clone().move("APPLIED", "READY_FOR_DECISION")
	fs := run(t, m.NewChecker(), obs{getApp(a), opGetApp}, obs{getApp(back), opGetApp})
	wantRules(t, m, fs, "unmodelled-transition")
	f := fs[0]
	assert.Equal(t, "illegal-transition", f.Kind, "finding %s: kind", f)
	assert.Equal(t, "/history/2/status", f.Pointer, "finding %s: pointer", f)
	assert.Contains(t, f.Message, "went APPROVED→APPLIED (automatic); the model allows it only as revert-approval (revert)", "finding %s: message", f)
}

// TestRunningCheckRule: a profile body whose check serving a required task
// is PENDING or RUNNING must not show its application past
// WAITING_ON_CHECKS (running-check-holds-application, decision D56).
func TestRunningCheckRule(t *testing.T) {
	t.Parallel()
	const checkID = "5b1e0c2d-7a3f-4e1b-9c8d-2f4a6b8c0d1e"
	profile := func(a *tApp, checkState, taskIDs string) []byte {
		return []byte(`{"id":"` + profileID + `","role":"INDIVIDUAL_CUSTOMER","status":"NORMAL","applications":[` +
			string(a.json()) + `],"tasks":[{"id":"` + taskID + `","type":"` + taskType + `","state":"INCOMPLETE","is_complete":false,"is_expired":false,"check_ids":["` +
			checkID + `"]}],"checks":[{"id":"` + checkID + `","check_type":"IDENTITY_CHECK","state":"` + checkState + `","task_ids":` + taskIDs + `}]}`)
	}
	manual := func() *tApp { return newApp(appID).flag("REQUIRES_MANUAL_TASK_COMPLETION") }
	tests := map[string]struct {
		body []byte
		want []string
	}{
		"running check, application past it":       {profile(manual(), "RUNNING", `["`+taskID+`"]`), []string{"running-check-holds-application"}},
		"pending check, application past it":       {profile(manual(), "PENDING", `["`+taskID+`"]`), []string{"running-check-holds-application"}},
		"running check, application waiting on it": {profile(newApp(appID).flag("WAITING_ON_CHECKS"), "RUNNING", `["`+taskID+`"]`), nil},
		"running check, still automating":          {profile(newApp(appID), "RUNNING", `["`+taskID+`"]`), nil},
		"complete check":                           {profile(manual(), "COMPLETE", `["`+taskID+`"]`), nil},
		"running check serving another task":       {profile(manual(), "RUNNING", `[]`), nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := model(t)
			fs := run(t, m.NewChecker(), obs{xch("GET", "/profiles/"+profileID, "", 200, tc.body), opGetProf})
			wantRules(t, m, fs, tc.want...)
			for _, f := range fs {
				assert.Equal(t, "/applications/0/required_tasks/0", f.Pointer, "finding %s", f)
				assert.Contains(t, f.Message, "check "+checkID+" serving its task "+taskID, "finding %s", f)
			}
		})
	}
}
