package lifecycle

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// olderApp is an application as an older account answers it: no flag,
// hidden, flag_history, required_tasks or assignments, a product without
// alias or automatically_approve (decision D116, docs/decisions.md).
func olderApp(status string, blockerTypes ...string) map[string]any {
	blockers := []any{}
	for _, t := range blockerTypes {
		blockers = append(blockers, map[string]any{"blocker_type": "INCOMPLETE_TASK", "task_type": t})
	}
	history := []any{map[string]any{"date": "2018-03-01 09:00:00", "status": "APPLIED"}}
	if status != "APPLIED" {
		history = append(history, map[string]any{"date": "2018-03-02 09:00:00", "status": status})
	}
	return map[string]any{
		"id":                appID,
		"product":           map[string]any{"id": "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8", "name": "Forexo Mortgage"},
		"status":            status,
		"history":           history,
		"approval_blockers": blockers,
	}
}

// olderTask is a task without state: is_complete says whether it is done.
func olderTask(id, typ string, done bool) map[string]any {
	return map[string]any{"id": id, "type": typ, "is_complete": done, "is_expired": false,
		"creation_date": "2018-03-01 09:00:00", "check_ids": []any{}}
}

func olderProfile(t *testing.T, app map[string]any, tasks ...map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"id": profileID, "role": "COMPANY_CUSTOMER", "category": "APPLICANT", "status": "NORMAL",
		"collected_data": map[string]any{"entity_type": "COMPANY"},
		"applications":   []any{app}, "tasks": tasks, "checks": []any{},
	})
	require.NoError(t, err)
	return b
}

// TestOlderAnswerShapes: an answer without the keys older accounts leave
// out gives no finding for what is absent, and the rules that need only
// what is there still hold it.
func TestOlderAnswerShapes(t *testing.T) {
	t.Parallel()
	const (
		verify   = "COMPANY_VERIFY_IDENTITY"
		officers = "COMPANY_IDENTIFY_OFFICERS"
		task2    = "b84ad2de-f9e8-41e7-806b-0a0b0c0d0e0f"
	)
	getProfile := func(body []byte) obs {
		return obs{xch("GET", "/profiles/"+profileID, "", 200, body), opGetProf}
	}
	withKeys := func() map[string]any {
		a := olderApp("APPLIED", verify)
		a["product"].(map[string]any)["alias"] = "forexo_mortgage"
		a["flag"] = "REQUIRES_MANUAL_TASK_COMPLETION"
		a["flag_history"] = []any{map[string]any{"status": "APPLIED", "flag": "REQUIRES_MANUAL_TASK_COMPLETION", "date": "2018-03-01 09:00:00"}}
		a["required_tasks"] = []any{map[string]any{"id": taskID, "task_type": verify}}
		return a
	}
	tests := map[string]struct {
		steps []obs
		rules []string
		says  string // a finding's message contains it
	}{
		"an older profile: blockers without required_tasks, tasks without state": {
			steps: []obs{getProfile(olderProfile(t, olderApp("APPLIED", verify, officers),
				olderTask(taskID, verify, false), olderTask(task2, officers, false)))},
		},
		"an older application read alone": {
			steps: []obs{{xch("GET", appPath(appID), "", 200, mustMarshal(t, olderApp("APPLIED", verify))), opGetApp}},
		},
		"a later read leaves out alias and flag_history": {
			steps: []obs{
				{xch("GET", appPath(appID), "", 200, mustMarshal(t, withKeys())), opGetApp},
				{xch("GET", appPath(appID), "", 200, mustMarshal(t, olderApp("APPLIED", verify))), opGetApp},
			},
		},
		"what is there is still judged: approved with a task blocker": {
			steps: []obs{{xch("GET", appPath(appID), "", 200, mustMarshal(t, olderApp("APPROVED", verify))), opGetApp}},
			rules: []string{invApprovedNoTasks},
		},
		"what is there is still judged: a flag_history that ends elsewhere": {
			steps: []obs{{xch("GET", appPath(appID), "", 200, mustMarshal(t, func() map[string]any {
				a := olderApp("APPROVED")
				a["flag_history"] = []any{map[string]any{"status": "APPLIED", "flag": "AUTOMATING", "date": "2018-03-01 09:00:00"}}
				return a
			}())), opGetApp}},
			rules: []string{invFlagHistoryEnds},
			says:  "application " + appID + " shows APPROVED (no flag) but its last flag_history entry is APPLIED/AUTOMATING",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := model(t)
			c := m.NewChecker()
			fs := run(t, c, tc.steps...)
			wantRules(t, m, fs, tc.rules...)
			if tc.says != "" {
				assert.Contains(t, dump(fs), tc.says)
			}
			assert.NotContains(t, c.Coverage().Flags, "", "coverage counts an absent flag")
		})
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// TestOlderRevertNewApplication: with revert_mode new_application, a target
// that never sends hidden lists the application a revert replaced beside
// its successor; the replaced one, still APPROVED after an approval was
// reverted, is not a second open application of the product.
func TestOlderRevertNewApplication(t *testing.T) {
	t.Parallel()
	m, err := model(t).WithOption("revert_mode", RevertNewApplication)
	require.NoError(t, err)
	const newID = "11111111-2222-3333-4444-555555555555"
	old := olderApp("APPROVED")
	fresh := olderApp("APPLIED")
	fresh["id"] = newID
	fresh["history"] = old["history"].([]any)[:1]
	list := mustMarshal(t, []any{old, fresh})
	c := m.NewChecker()
	fs := run(t, c,
		obs{xch("GET", appPath(appID), "", 200, mustMarshal(t, old)), opGetApp},
		obs{xch("POST", appPath(appID)+"/revert_decision", `{}`, 200, mustMarshal(t, fresh)), opRevert},
		obs{xch("GET", "/profiles/"+profileID+"/applications", "", 200, list), opListApps},
	)
	wantRules(t, m, fs)

	// Without the revert, two open applications of one product are still caught.
	wantRules(t, m, run(t, m.NewChecker(),
		obs{xch("GET", "/profiles/"+profileID+"/applications", "", 200, list), opListApps},
	), invOneOpenPerProduct)
}
