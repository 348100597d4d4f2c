package mock

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// TestChecksDriveTasks: a check's outcome moves the tasks it serves, and the
// applications follow their product's policy, on the test clock (decision
// D56). Every exchange is also held against the lifecycle model, its
// running-check-holds-application rule included.
func TestChecksDriveTasks(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		given, family, product, check string
		task                          string
		wantDecision, wantTask        string
		wantStatus, wantFlag          string
	}{
		"pass, manual review": {"Ada", "Lovelace", "forexo_basic", "IDENTITY_CHECK", "INDIVIDUAL_VERIFY_IDENTITY",
			"PASS", "COMPLETED_PASS", "APPLIED", "READY_FOR_DECISION"},
		"fail, manual review": {"Ada FAIL", "Lovelace", "forexo_basic", "IDENTITY_CHECK", "INDIVIDUAL_VERIFY_IDENTITY",
			"FAIL", "COMPLETED_FAIL", "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
		"partial leaves the task open": {"Ada 1+1", "Lovelace", "forexo_basic", "IDENTITY_CHECK", "INDIVIDUAL_VERIFY_IDENTITY",
			"PARTIAL", "INCOMPLETE", "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
		"pass, automatic approval": {"Ada", "Lovelace", "forexo_instant", "CRA_BANK_ACCOUNT_VERIFICATION", "INDIVIDUAL_VERIFY_BANK_ACCOUNT",
			"PASS", "COMPLETED_PASS", "APPROVED", "DECIDED"},
		"fail, immediate rejection": {"Ada FAIL", "Lovelace", "forexo_crypto", "FRAUD_SCREENING", "INDIVIDUAL_FRAUD_SCREENING",
			"FAIL", "COMPLETED_FAIL", "REJECTED", "DECIDED"},
		"a check that serves no task of the profile": {"Ada", "Lovelace", "forexo_basic", "PEPS_AND_SANCTIONS_SCREEN", "INDIVIDUAL_VERIFY_IDENTITY",
			"PASS", "INCOMPLETE", "APPLIED", "REQUIRES_MANUAL_TASK_COMPLETION"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{CheckDuration: 2 * time.Second})
			p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual(tc.given, tc.family), tc.product)).Want(200)
			pid, aid := p.Str("id"), p.Str("applications.0.id")
			e.Settled()
			ck := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": tc.check}).Want(200)
			if ck.Str("state") != "COMPLETE" {
				want := "WAITING_ON_CHECKS"
				if tc.check == "PEPS_AND_SANCTIONS_SCREEN" { // serves none of the profile's tasks
					want = "REQUIRES_MANUAL_TASK_COMPLETION"
				}
				assert.Equal(t, want, e.App(pid, aid).Str("flag"), "while the check runs")
				e.Clock.Advance(3 * time.Second)
			}
			prof := e.Get("/profiles/" + pid).Want(200)
			assert.Equal(t, tc.wantDecision, prof.Str("checks.0.decision"), "the check's decision")
			var state string
			for _, tk := range prof.Get("tasks").Array() {
				if tk.Get("type").String() == tc.task {
					state = tk.Get("state").String()
				}
			}
			assert.Equal(t, tc.wantTask, state, "task %s", tc.task)
			assert.Equal(t, tc.wantStatus, prof.Str("applications.0.status"), "status")
			assert.Equal(t, tc.wantFlag, prof.Str("applications.0.flag"), "flag")
		})
	}
}

// TestCheckOverrideMovesTask: approving a failed check passes its task;
// rejecting the copy fails it again (decision D56).
func TestCheckOverrideMovesTask(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada FAIL", "Lovelace"), "forexo_basic")).Want(200)
	pid, aid := p.Str("id"), p.Str("applications.0.id")
	e.Settled()
	ck := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(200)
	require.Equal(t, "FAIL", ck.Str("decision"))
	taskState := func() string { return e.Get("/profiles/" + pid).Want(200).Str("tasks.0.state") }
	require.Equal(t, "COMPLETED_FAIL", taskState())
	e.Post("/profiles/"+pid+"/checks/"+ck.Str("id")+"/approve", nil).Want(200)
	assert.Equal(t, "COMPLETED_PASS", taskState(), "after approving the failed check")
	assert.Equal(t, "READY_FOR_DECISION", e.App(pid, aid).Str("flag"))
	copyID := e.Get("/profiles/" + pid + "/checks").Want(200).Str("1.id")
	e.Post("/profiles/"+pid+"/checks/"+copyID+"/reject", nil).Want(200)
	assert.Equal(t, "COMPLETED_FAIL", taskState(), "after rejecting the approved copy")
}

// TestDataDrivenFlags: missing risk data holds REQUIRES_RISK_SCORE until
// replaced data supplies it, then RECALCULATING_RISK for the automation
// delay; a policy that needs the address holds REQUIRES_DATA until given
// one (decision D58).
func TestDataDrivenFlags(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{AutomationDelay: time.Second})
	risk := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_credit")).Want(200)
	rid, raid := risk.Str("id"), risk.Str("applications.0.id")
	mortgage := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_mortgage")).Want(200)
	mid, maid := mortgage.Str("id"), mortgage.Str("applications.0.id")
	e.Clock.Advance(2 * time.Second)
	assert.Equal(t, "REQUIRES_RISK_SCORE", e.App(rid, raid).Str("flag"))
	assert.Equal(t, "REQUIRES_DATA", e.App(mid, maid).Str("flag"))

	collected := func(extra ...string) map[string]any {
		return mocktest.Individual("Ada", "Lovelace", extra...)["collected_data"].(map[string]any)
	}
	e.Post("/profiles/"+rid+"/collected_data", collected("dob", "1815-12-10", "nationality", "GBR")).Want(200)
	assert.Equal(t, "RECALCULATING_RISK", e.App(rid, raid).Str("flag"), "just after the data change")
	assert.False(t, e.App(rid, raid).Get(`approval_blockers.#(blocker_type=="UNDETERMINED_RISK")`).Exists(), "no UNDETERMINED_RISK blocker once the data is there")
	e.Clock.Advance(2 * time.Second)
	assert.Equal(t, "REQUIRES_MANUAL_TASK_COMPLETION", e.App(rid, raid).Str("flag"), "after the recalculation")

	withAddress := collected()
	withAddress["address_history"] = []any{map[string]any{"address": map[string]any{"type": "STRUCTURED", "country": "GBR"}, "start_date": "2020-01"}}
	e.Post("/profiles/"+mid+"/collected_data", withAddress).Want(200)
	assert.Equal(t, "REQUIRES_MANUAL_TASK_COMPLETION", e.App(mid, maid).Str("flag"), "once the address is given")
}

// TestCheckOverrideKeepsTheOriginalLinked: an approve's copy joins the
// original in the task's check_ids, after it; the original is unchanged and
// still names the task, and the copy names the same tasks (decision D91).
func TestCheckOverrideKeepsTheOriginalLinked(t *testing.T) {
	t.Parallel()
	for _, verb := range []string{"approve", "reject"} {
		t.Run(verb, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{})
			p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_basic")).Want(200)
			pid := p.Str("id")
			e.Settled()
			ck := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(200)
			old := ck.Str("id")
			tasks := ck.Get("task_ids").Array()
			require.NotEmpty(t, tasks, "IDENTITY_CHECK serves the identity task")
			before := e.Get("/profiles/" + pid + "/checks/" + old).Want(200)
			e.Post("/profiles/"+pid+"/checks/"+old+"/"+verb, nil).Want(200)
			checks := e.Get("/profiles/" + pid + "/checks").Want(200)
			require.Len(t, checks.Get("@this").Array(), 2)
			copyID := checks.Str("1.id")
			assert.JSONEq(t, ck.Get("task_ids").Raw, checks.Get("1.task_ids").Raw, "the copy serves the original's tasks")
			assert.Equal(t, string(before.Body), string(e.Get("/profiles/"+pid+"/checks/"+old).Want(200).Body), "the original changed")
			for _, tk := range tasks {
				got := e.Get("/profiles/" + pid + "/tasks/" + tk.String()).Want(200)
				assert.Equal(t, []any{old, copyID}, got.Get("check_ids").Value(), "task %s's checks, the original first", tk.String())
			}
		})
	}
}
