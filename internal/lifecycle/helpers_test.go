package lifecycle

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

const (
	profileID = "a2c4393a-e219-67a4-5ab4-2186952e9038"
	appID     = "edc23993-eb6a-9d89-bb79-5b8925b33224"
	taskID    = "3d7a333c-418d-72a1-007b-06854dbb28eb"
	taskType  = "INDIVIDUAL_VERIFY_IDENTITY"
)

// tApp builds ProductApplication bodies the way the guide shows them.
type tApp struct {
	ID               string              `json:"id"`
	Status           string              `json:"status"`
	Flag             string              `json:"flag"`
	Hidden           bool                `json:"hidden"`
	Assignments      []any               `json:"assignments"`
	Product          map[string]any      `json:"product"`
	ApprovalBlockers []map[string]string `json:"approval_blockers"`
	RequiredTasks    []map[string]string `json:"required_tasks"`
	History          []map[string]any    `json:"history"`
	FlagHistory      []map[string]any    `json:"flag_history"`
	AssociatedRole   string              `json:"associated_role,omitempty"`
	clock            int
}

// newApp is a fresh application: APPLIED/AUTOMATING, one required task, one blocker.
func newApp(id string) *tApp {
	a := &tApp{
		ID: id, Status: "APPLIED", Flag: "AUTOMATING", Assignments: []any{},
		Product: map[string]any{
			"alias": "forexo_basic", "automatically_approve": false,
			"id": "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8", "name": "Forexo Basic Account",
		},
		ApprovalBlockers: []map[string]string{{"blocker_type": "INCOMPLETE_TASK", "task_type": taskType}},
		RequiredTasks:    []map[string]string{{"id": taskID, "task_type": taskType}},
	}
	a.History = []map[string]any{{"status": "APPLIED", "date": a.date(), "decisioner": nil}}
	a.FlagHistory = []map[string]any{{"status": "APPLIED", "flag": "AUTOMATING", "date": a.date()}}
	return a
}

// product makes the application one of another product.
func (a *tApp) product(alias, id string) *tApp {
	a.Product = map[string]any{"alias": alias, "automatically_approve": false, "id": id, "name": alias}
	return a
}

func (a *tApp) date() string {
	a.clock++
	return fmt.Sprintf("2026-11-02 10:%02d:%02d", a.clock/60, a.clock%60)
}

// clone deep-copies through JSON so a snapshot pair does not share slices.
func (a *tApp) clone() *tApp {
	var b tApp
	if err := json.Unmarshal(a.json(), &b); err != nil {
		panic(err)
	}
	b.clock = a.clock
	return &b
}

// flag changes the flag and records it in flag_history.
func (a *tApp) flag(f string) *tApp {
	a.Flag = f
	a.FlagHistory = append(a.FlagHistory, map[string]any{"status": a.Status, "flag": f, "date": a.date()})
	return a
}

// move changes the status (with a history entry) and the flag.
func (a *tApp) move(status, f string) *tApp {
	a.Status = status
	a.History = append(a.History, map[string]any{"status": status, "date": a.date(), "decisioner": nil})
	return a.flag(f)
}

func (a *tApp) noBlockers() *tApp {
	a.ApprovalBlockers = []map[string]string{}
	return a
}

func (a *tApp) blockers(types ...string) *tApp {
	a.ApprovalBlockers = []map[string]string{}
	for _, t := range types {
		b := map[string]string{"blocker_type": t}
		if t == "INCOMPLETE_TASK" {
			b["task_type"] = taskType
		}
		a.ApprovalBlockers = append(a.ApprovalBlockers, b)
	}
	return a
}

func (a *tApp) json() []byte {
	b, err := json.Marshal(a)
	if err != nil {
		panic(err)
	}
	return b
}

// Operations, as the router names them.
const (
	opGetApp    = "GET /profiles/{profile_id}/applications/{application_id}"
	opPostApp   = "POST /profiles/{profile_id}/applications/{application_id}"
	opRevert    = "POST /profiles/{profile_id}/applications/{application_id}/revert_decision"
	opAddApp    = "POST /profiles/{profile_id}/applications"
	opListApps  = "GET /profiles/{profile_id}/applications"
	opGetTasks  = "GET /profiles/{profile_id}/tasks"
	opPostTask  = "POST /profiles/{profile_id}/tasks/{task_id}"
	opGetProf   = "GET /profiles/{profile_id}"
	opListProfs = "GET /profiles"
)

func appPath(id string) string { return "/profiles/" + profileID + "/applications/" + id }

func xch(method, path, reqBody string, status int, body []byte) *exchange.Exchange {
	ex := &exchange.Exchange{Method: method, Path: path, Status: status, ResponseBody: body, Attempts: 1}
	if reqBody != "" {
		ex.RequestBody = []byte(reqBody)
	}
	return ex
}

func getApp(a *tApp) *exchange.Exchange {
	return xch("GET", appPath(a.ID), "", 200, a.json())
}

func decideApp(a *tApp, status string) *exchange.Exchange {
	return xch("POST", appPath(a.ID), `{"status":"`+status+`"}`, 200, a.json())
}

func revertApp(id string, answer *tApp) *exchange.Exchange {
	return xch("POST", appPath(id)+"/revert_decision", `{}`, 200, answer.json())
}

// step observes one exchange with its operation.
type obs struct {
	ex *exchange.Exchange
	op string
}

func run(t *testing.T, c *Checker, steps ...obs) []finding.Finding {
	t.Helper()
	var out []finding.Finding
	for _, s := range steps {
		out = append(out, c.Observe(s.ex, s.op)...)
	}
	return out
}

func rules(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func model(t testing.TB) *Model {
	t.Helper()
	m, err := Default()
	require.NoError(t, err, "Default")
	return m
}

// wantRules asserts the findings name exactly these rules, each finding's
// message names its rule, and its kind follows the rule's source.
func wantRules(t *testing.T, m *Model, fs []finding.Finding, want ...string) {
	t.Helper()
	want = slices.Sorted(slices.Values(want))
	require.Equal(t, want, rules(fs), "rules\nfindings:\n%s", dump(fs))
	for _, f := range fs {
		assert.Equal(t, finding.Lifecycle, f.Class, "class: %s", f)
		assert.Contains(t, f.Message, " "+f.Rule+": ", "message does not name rule %s", f.Rule)
		assert.NotContains(t, f.Message, "\n", "message is not one line")
		assert.NotContains(t, f.Message, "\r", "message is not one line")
		src := m.ruleSource(f.Rule)
		kindMismatch := src == Decided && f.Kind != finding.DecidedRuleBroken ||
			src == Documented && f.Kind == finding.DecidedRuleBroken ||
			src == ""
		assert.False(t, kindMismatch, "rule %s (source %q) has kind %s", f.Rule, src, f.Kind)
	}
}

func dump(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.String() + "\n")
	}
	return b.String()
}
