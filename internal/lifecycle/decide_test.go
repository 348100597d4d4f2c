package lifecycle

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlag(t *testing.T) {
	t.Parallel()
	m := model(t)
	tests := map[string]struct {
		s    State
		want string
	}{
		"new application automates":           {State{Status: "APPLIED", Automating: true, IncompleteTasks: 1}, "AUTOMATING"},
		"automating beats decided":            {State{Status: "APPROVED", Automating: true}, "AUTOMATING"},
		"terminal never automates":            {State{Status: "REJECTED", Automating: true}, "DECIDED"},
		"approved nothing outstanding":        {State{Status: "APPROVED"}, "DECIDED"},
		"approved and suspended stays":        {State{Status: "APPROVED", Suspended: true}, "DECIDED"},
		"nearing expiry beats decided":        {State{Status: "APPROVED", NearingExpiry: true}, "NEARING_EXPIRY"},
		"nearing expiry only when approved":   {State{Status: "IN_REVIEW", NearingExpiry: true, IncompleteTasks: 1}, "REQUIRES_MANUAL_TASK_COMPLETION"},
		"rejected with incomplete tasks":      {State{Status: "REJECTED", IncompleteTasks: 2}, "DECIDED"},
		"cancelled":                           {State{Status: "CANCELLED", UnresolvedEvents: 1}, "DECIDED"},
		"risk score first among open":         {State{Status: "APPLIED", RiskScoreMissing: true, RecalculatingRisk: true, DataMissing: true, IncompleteTasks: 1}, "REQUIRES_RISK_SCORE"},
		"recalculating next to risk score":    {State{Status: "APPLIED", RecalculatingRisk: true, DataMissing: true}, "RECALCULATING_RISK"},
		"data before collection steps":        {State{Status: "APPLIED", DataMissing: true, CollectionStepsOpen: true}, "REQUIRES_DATA"},
		"collection steps before checks":      {State{Status: "APPLIED", CollectionStepsOpen: true, ChecksRunning: true}, "WAITING_ON_COLLECTION_STEPS"},
		"checks before manual tasks":          {State{Status: "APPLIED", ChecksRunning: true, IncompleteTasks: 1}, "WAITING_ON_CHECKS"},
		"incomplete task":                     {State{Status: "APPLIED", IncompleteTasks: 1, Escalated: true}, "REQUIRES_MANUAL_TASK_COMPLETION"},
		"unresolved event is manual work":     {State{Status: "IN_REVIEW", UnresolvedEvents: 1}, "REQUIRES_MANUAL_TASK_COMPLETION"},
		"approved with incomplete task":       {State{Status: "APPROVED", IncompleteTasks: 1}, "REQUIRES_MANUAL_TASK_COMPLETION"},
		"escalated before ready":              {State{Status: "APPLIED", Escalated: true}, "WAITING_ON_ESCALATION"},
		"nothing left":                        {State{Status: "APPLIED"}, "READY_FOR_DECISION"},
		"in review nothing left":              {State{Status: "IN_REVIEW"}, "READY_FOR_DECISION"},
		"suspended open application is ready": {State{Status: "APPLIED", Suspended: true}, "READY_FOR_DECISION"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, m.Flag(tc.s), "Flag(%+v)", tc.s)
		})
	}
}

func TestDecide(t *testing.T) {
	t.Parallel()
	m := model(t)
	tests := map[string]struct {
		from State
		to   string
		// want is the transition name, or the refusal rule with its answer.
		want       string
		httpStatus int
		code       int
	}{
		"approve onboarding":             {State{Status: "APPLIED"}, "APPROVED", "manual-approve", 0, 0},
		"reject onboarding":              {State{Status: "APPLIED", IncompleteTasks: 1}, "REJECTED", "manual-reject", 0, 0},
		"approve review":                 {State{Status: "IN_REVIEW"}, "APPROVED", "review-approve", 0, 0},
		"cancel approved":                {State{Status: "APPROVED"}, "CANCELLED", "cancel-approved", 0, 0},
		"cancel approved with blockers":  {State{Status: "APPROVED", Suspended: true}, "CANCELLED", "cancel-approved", 0, 0},
		"cancel in review":               {State{Status: "IN_REVIEW", IncompleteTasks: 1}, "CANCELLED", "cancel-in-review", 0, 0},
		"approve approved":               {State{Status: "APPROVED"}, "APPROVED", "approve-approved", 409, 102},
		"approve rejected":               {State{Status: "REJECTED"}, "APPROVED", "change-rejected", 409, 103},
		"reject rejected":                {State{Status: "REJECTED"}, "REJECTED", "change-rejected", 409, 103},
		"cancel rejected":                {State{Status: "REJECTED"}, "CANCELLED", "change-rejected", 409, 103},
		"approve cancelled":              {State{Status: "CANCELLED"}, "APPROVED", "change-cancelled", 409, 402},
		"set applied":                    {State{Status: "APPROVED"}, "APPLIED", "set-applied-by-hand", 409, 402},
		"set applied on applied":         {State{Status: "APPLIED"}, "APPLIED", "set-applied-by-hand", 409, 402},
		"set in review":                  {State{Status: "APPROVED"}, "IN_REVIEW", "set-in-review-by-hand", 409, 402},
		"reject approved":                {State{Status: "APPROVED"}, "REJECTED", "reject-ever-approved", 409, 402},
		"reject in review":               {State{Status: "IN_REVIEW"}, "REJECTED", "reject-ever-approved", 409, 402},
		"reject reverted approval is ok": {State{Status: "APPLIED"}, "REJECTED", "manual-reject", 0, 0},
		"reject flagged ever approved":   {State{Status: "APPLIED", EverApproved: true}, "REJECTED", "reject-ever-approved", 409, 402},
		"cancel onboarding":              {State{Status: "APPLIED"}, "CANCELLED", "cancel-never-approved", 409, 402},
		"approve with task":              {State{Status: "APPLIED", IncompleteTasks: 1}, "APPROVED", "approve-with-blockers", 409, 402},
		"approve with event":             {State{Status: "IN_REVIEW", UnresolvedEvents: 1}, "APPROVED", "approve-with-blockers", 409, 402},
		"approve suspended":              {State{Status: "APPLIED", Suspended: true}, "APPROVED", "approve-with-blockers", 409, 402},
		"approve escalated":              {State{Status: "APPLIED", Escalated: true}, "APPROVED", "approve-with-blockers", 409, 402},
		"approve risk other blocker":     {State{Status: "APPLIED", OtherBlockers: 1}, "APPROVED", "approve-with-blockers", 409, 402},
		"approve approved with blockers": {State{Status: "APPROVED", Suspended: true}, "APPROVED", "approve-approved", 409, 102},
		"cancel reverted approval":       {State{Status: "APPLIED", EverApproved: true}, "CANCELLED", "unmodelled-transition", 409, 402},
		"unknown status":                 {State{Status: "APPLIED"}, "REVOKED", "set-unknown-status", 400, 201},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tr, err := m.Decide(tc.from, tc.to)
			if tc.httpStatus == 0 {
				require.NoError(t, err, "Decide(%s→%s): want manual transition %s", tc.from.Status, tc.to, tc.want)
				assert.Equal(t, tc.want, tr.Name, "Decide(%s→%s) = %+v", tc.from.Status, tc.to, tr)
				assert.Equal(t, CauseManual, tr.Cause, "Decide(%s→%s) = %+v", tc.from.Status, tc.to, tr)
				assert.Equal(t, tc.from.Status, tr.From, "Decide(%s→%s) = %+v", tc.from.Status, tc.to, tr)
				assert.Equal(t, tc.to, tr.To, "Decide(%s→%s) = %+v", tc.from.Status, tc.to, tr)
				return
			}
			var r *Refusal
			require.ErrorAs(t, err, &r, "Decide(%s→%s) = %+v: want refusal %s", tc.from.Status, tc.to, tr, tc.want)
			assert.Equal(t, tc.want, r.Rule, "Decide(%s→%s) refusal = %+v", tc.from.Status, tc.to, r)
			assert.Equal(t, tc.httpStatus, r.HTTPStatus, "Decide(%s→%s) refusal = %+v", tc.from.Status, tc.to, r)
			assert.Equal(t, tc.code, r.Code, "Decide(%s→%s) refusal = %+v", tc.from.Status, tc.to, r)
			assert.NotEmpty(t, r.CodeName, "Decide(%s→%s) refusal = %+v", tc.from.Status, tc.to, r)
			assert.NotEmpty(t, r.Message, "Decide(%s→%s) refusal = %+v", tc.from.Status, tc.to, r)
		})
	}
}

func TestRevert(t *testing.T) {
	t.Parallel()
	m := model(t)
	tests := map[string]struct {
		history []string
		to      string
		rule    string // transition name, or refusal rule when to is ""
	}{
		"rejected":                   {[]string{"APPLIED", "REJECTED"}, "APPLIED", "revert-rejection"},
		"rejected again":             {[]string{"APPLIED", "REJECTED", "APPLIED", "REJECTED"}, "APPLIED", "revert-rejection"},
		"cancelled approved":         {[]string{"APPLIED", "APPROVED", "CANCELLED"}, "APPROVED", "revert-cancellation"},
		"cancelled in review":        {[]string{"APPLIED", "APPROVED", "IN_REVIEW", "CANCELLED"}, "IN_REVIEW", "revert-cancellation-in-review"},
		"approved":                   {[]string{"APPLIED", "APPROVED"}, "APPLIED", "revert-approval"},
		"approved again from review": {[]string{"APPLIED", "APPROVED", "IN_REVIEW", "APPROVED"}, "IN_REVIEW", "revert-reapproval"},
		"applied":                    {[]string{"APPLIED"}, "", "revert-undecided"},
		"in review":                  {[]string{"APPLIED", "APPROVED", "IN_REVIEW"}, "", "revert-undecided"},
		"empty":                      {nil, "", "revert-undecided"},
		"revert of a revert":         {[]string{"APPLIED", "APPROVED", "CANCELLED", "APPROVED"}, "", "unmodelled-transition"},
		"decided without earlier":    {[]string{"APPROVED"}, "", "unmodelled-transition"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			to, tr, err := m.Revert(tc.history)
			if tc.to != "" {
				require.NoError(t, err, "Revert(%v)", tc.history)
				assert.Equal(t, tc.to, to, "Revert(%v): status", tc.history)
				assert.Equal(t, tc.rule, tr.Name, "Revert(%v): transition", tc.history)
				assert.Equal(t, CauseRevert, tr.Cause, "Revert(%v): cause", tc.history)
				return
			}
			var r *Refusal
			require.ErrorAs(t, err, &r, "Revert(%v) = %s: want refusal %s 409 402", tc.history, to, tc.rule)
			assert.Equal(t, tc.rule, r.Rule, "Revert(%v) refusal = %+v", tc.history, r)
			assert.Equal(t, 409, r.HTTPStatus, "Revert(%v) refusal = %+v", tc.history, r)
			assert.Equal(t, 402, r.Code, "Revert(%v) refusal = %+v", tc.history, r)
		})
	}
}

func TestAutomatic(t *testing.T) {
	t.Parallel()
	m := model(t)
	tests := map[string]struct {
		from    State
		trigger string
		to      string // "" when no status changes
		rule    string
	}{
		"auto approve onboarding":        {State{Status: "APPLIED"}, "auto_approve", "APPROVED", "policy-approves"},
		"auto approve review":            {State{Status: "IN_REVIEW"}, "auto_approve", "APPROVED", "policy-reapproves"},
		"auto approve blocked":           {State{Status: "APPLIED", Suspended: true}, "auto_approve", "", ""},
		"auto approve task left":         {State{Status: "APPLIED", IncompleteTasks: 1}, "auto_approve", "", ""},
		"auto approve approved":          {State{Status: "APPROVED"}, "auto_approve", "", ""},
		"immediate rejection":            {State{Status: "APPLIED", IncompleteTasks: 3}, "policy_immediate_rejection", "REJECTED", "policy-rejects"},
		"immediate rejection reverted":   {State{Status: "APPLIED", EverApproved: true}, "policy_immediate_rejection", "", ""},
		"immediate rejection in review":  {State{Status: "IN_REVIEW"}, "policy_immediate_rejection", "", ""},
		"task incomplete on approved":    {State{Status: "APPROVED", IncompleteTasks: 1}, "task_incomplete", "IN_REVIEW", "approved-to-review"},
		"event on approved":              {State{Status: "APPROVED", UnresolvedEvents: 1}, "unresolved_event", "IN_REVIEW", "approved-to-review"},
		"task incomplete on onboarding":  {State{Status: "APPLIED"}, "task_incomplete", "", ""},
		"task incomplete on cancelled":   {State{Status: "CANCELLED"}, "task_incomplete", "", ""},
		"manual review is flag only":     {State{Status: "APPLIED"}, "policy_manual_review", "", ""},
		"escalate is flag only":          {State{Status: "APPLIED"}, "policy_escalate", "", ""},
		"automation finished flag only":  {State{Status: "APPLIED"}, "automation_finished", "", ""},
		"unknown trigger changes naught": {State{Status: "APPLIED"}, "all_tasks_passed", "", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			to, tr, ok := m.Automatic(tc.from, tc.trigger)
			assert.Equal(t, tc.to != "", ok, "Automatic(%s, %s): ok", tc.from.Status, tc.trigger)
			assert.Equal(t, tc.to, to, "Automatic(%s, %s): status", tc.from.Status, tc.trigger)
			assert.Equal(t, tc.rule, tr.Name, "Automatic(%s, %s): transition", tc.from.Status, tc.trigger)
			if ok {
				assert.Equal(t, CauseAutomatic, tr.Cause, "Automatic(%s, %s): cause", tc.from.Status, tc.trigger)
			}
		})
	}
}

func TestEveryTriggerIsListedAndEveryAutomaticTransitionFires(t *testing.T) {
	t.Parallel()
	m := model(t)
	for _, tr := range m.Transitions() {
		if tr.Cause != CauseAutomatic {
			continue
		}
		for _, trig := range tr.Triggers {
			to, got, ok := m.Automatic(State{Status: tr.From, IncompleteTasks: boolInt(trig == "task_incomplete"), UnresolvedEvents: boolInt(trig == "unresolved_event")}, trig)
			assert.True(t, ok, "Automatic(%s, %s): ok", tr.From, trig)
			assert.Equal(t, tr.To, to, "Automatic(%s, %s): status", tr.From, trig)
			assert.Equal(t, tr.Name, got.Name, "Automatic(%s, %s): transition", tr.From, trig)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
