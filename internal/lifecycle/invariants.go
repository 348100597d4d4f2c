package lifecycle

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/passfort-conformance/harness/internal/oneline"
)

// Invariant names: lifecycle.yaml declares exactly these (Load checks it).
const (
	invStatusModelled       = "status-is-modelled"
	invFlagModelled         = "flag-is-modelled"
	invHistoryStartsApplied = "history-starts-applied"
	invHistoryOldestFirst   = "history-oldest-first"
	invHistoryEndsInStatus  = "history-ends-in-status"
	invHistorySteps         = "history-steps-are-transitions"
	invFlagHistoryEnds      = "flag-history-ends-in-flag"
	invApprovedNoTasks      = "approved-has-no-task-blockers"
	invApprovedNoEvents     = "approved-has-no-event-blockers"
	invOneBlockerPerTask    = "one-blocker-per-incomplete-task"
	invDecidedFlag          = "decided-flag-needs-decided-status"
	invTerminalDecided      = "terminal-status-shows-decided"
	invTaskBlockersOutrank  = "task-blockers-outrank-ready"
	invNearingExpiry        = "nearing-expiry-only-when-approved"
	invRiskBlockerHolds     = "risk-blocker-holds-application"
	invRunningCheckHolds    = "running-check-holds-application"
	invHistoryAppendOnly    = "history-append-only"
	invIdentityImmutable    = "application-identity-immutable"
	invTerminalByRevert     = "terminal-changes-only-by-revert"
	invDecisionTakesEffect  = "decision-takes-effect"
	invRevertMode           = "revert-follows-revert-mode"
	invOneOpenPerProduct    = "one-open-application-per-product"
)

// invariantScopes maps every implemented invariant to its scope.
func invariantScopes() map[string]string {
	return map[string]string{
		invStatusModelled: "snapshot", invFlagModelled: "snapshot", invHistoryStartsApplied: "snapshot",
		invHistoryOldestFirst: "snapshot", invHistoryEndsInStatus: "snapshot", invHistorySteps: "snapshot",
		invFlagHistoryEnds: "snapshot", invApprovedNoTasks: "snapshot", invApprovedNoEvents: "snapshot",
		invOneBlockerPerTask: "tasks", invDecidedFlag: "snapshot", invTerminalDecided: "snapshot",
		invTaskBlockersOutrank: "snapshot", invNearingExpiry: "snapshot",
		invRiskBlockerHolds: "snapshot", invRunningCheckHolds: "tasks",
		invHistoryAppendOnly: "pair", invIdentityImmutable: "pair", invTerminalByRevert: "pair",
		invDecisionTakesEffect: "request", invRevertMode: "request",
		invOneOpenPerProduct: "profile",
	}
}

// Flags and blocker types the invariants are defined on (Load checks the flags exist).
const (
	flagDecided       = "DECIDED"
	flagManualTask    = "REQUIRES_MANUAL_TASK_COMPLETION"
	flagNearingExpiry = "NEARING_EXPIRY"
	flagRiskScore     = "REQUIRES_RISK_SCORE"
	flagChecks        = "WAITING_ON_CHECKS"

	blockerIncompleteTask   = "INCOMPLETE_TASK"
	blockerUnresolvedEvent  = "UNRESOLVED_EVENT"
	blockerSuspendedProfile = "SUSPENDED_PROFILE"
	blockerUndeterminedRisk = "UNDETERMINED_RISK"
	blockerEscalation       = "WAITING_ON_ESCALATION"
)

// violation is one broken rule, before it becomes a finding.
type violation struct {
	rule string
	// pointer is relative to the application ("" for the application itself).
	pointer string
	msg     string
	// transition: the rule is a transition or refusal, not an invariant.
	transition bool
}

func inv(rule, pointer, format string, args ...any) violation {
	return violation{rule: rule, pointer: pointer, msg: fmt.Sprintf(format, args...)}
}

func idx(field string, i int) string { return "/" + field + "/" + strconv.Itoa(i) }

// blockerCounts counts approval blockers by type and remembers the first of each.
type blockerCounts struct {
	tasks, events, suspended, risk, escalation, other int
	firstTask, firstEvent                             int
}

func countBlockers(bs []blocker) blockerCounts {
	c := blockerCounts{firstTask: -1, firstEvent: -1}
	for i, b := range bs {
		switch b.BlockerType {
		case blockerIncompleteTask:
			if c.firstTask < 0 {
				c.firstTask = i
			}
			c.tasks++
		case blockerUnresolvedEvent:
			if c.firstEvent < 0 {
				c.firstEvent = i
			}
			c.events++
		case blockerSuspendedProfile:
			c.suspended++
		case blockerUndeterminedRisk:
			c.risk++
		case blockerEscalation:
			c.escalation++
		default:
			c.other++
		}
	}
	return c
}

// stateOf derives the model State a snapshot shows.
func stateOf(a *appSnap) State {
	c := countBlockers(a.ApprovalBlockers)
	return State{
		Status:           a.Status,
		IncompleteTasks:  c.tasks,
		UnresolvedEvents: c.events,
		Suspended:        c.suspended > 0,
		RiskScoreMissing: c.risk > 0,
		Escalated:        c.escalation > 0,
		OtherBlockers:    c.other,
	}
}

// checkSnapshot holds one snapshot against the snapshot-scope invariants,
// except history-steps-are-transitions, which needs to know whether the
// application was seen before (see historySteps).
func (m *Model) checkSnapshot(a *appSnap) []violation {
	var vs []violation
	id := a.ID
	statusOK := slices.Contains(m.statuses, a.Status)
	if !statusOK {
		vs = append(vs, inv(invStatusModelled, "/status", "application %s has status %q, not a status of the model", id, a.Status))
	}
	// An application without a flag (older accounts send none: decision
	// D116, docs/decisions.md) is held to every rule but the flag's.
	hasFlag := a.Flag != ""
	flagAt, flagOK := m.flagIndex[a.Flag]
	if hasFlag && !flagOK {
		vs = append(vs, inv(invFlagModelled, "/flag", "application %s has flag %q, not a flag of the model", id, a.Flag))
	}
	vs = m.checkHistory(vs, a)
	if n := len(a.FlagHistory); n > 0 {
		last := a.FlagHistory[n-1]
		if (hasFlag && last.Flag != a.Flag) || last.Status != a.Status {
			shows := a.Status + "/" + a.Flag
			if !hasFlag {
				shows = a.Status + " (no flag)"
			}
			vs = append(vs, inv(invFlagHistoryEnds, idx("flag_history", n-1),
				"application %s shows %s but its last flag_history entry is %s/%s", id, shows, last.Status, last.Flag))
		}
	}

	c := countBlockers(a.ApprovalBlockers)
	if a.Status == statusApproved && c.tasks > 0 {
		vs = append(vs, inv(invApprovedNoTasks, idx("approval_blockers", c.firstTask),
			"APPROVED application %s lists %s", id, oneline.Count(c.tasks, "INCOMPLETE_TASK blocker")))
	}
	if a.Status == statusApproved && c.events > 0 {
		vs = append(vs, inv(invApprovedNoEvents, idx("approval_blockers", c.firstEvent),
			"APPROVED application %s lists %s", id, oneline.Count(c.events, "UNRESOLVED_EVENT blocker")))
	}
	if v, ok := blockersMatchRequired(a); !ok {
		vs = append(vs, v)
	}
	if !flagOK || !statusOK {
		return vs
	}
	switch {
	case a.Flag == flagDecided && !m.decided[a.Status]:
		vs = append(vs, inv(invDecidedFlag, "/flag", "application %s shows DECIDED in status %s", id, a.Status))
	case m.terminal[a.Status] && a.Flag != flagDecided:
		vs = append(vs, inv(invTerminalDecided, "/flag", "%s application %s shows flag %s", a.Status, id, a.Flag))
	}
	if !m.decided[a.Status] && c.tasks > 0 && flagAt > m.flagIndex[flagManualTask] {
		vs = append(vs, inv(invTaskBlockersOutrank, "/flag",
			"%s application %s lists %s but shows %s, ranked after %s",
			a.Status, id, oneline.Count(c.tasks, "INCOMPLETE_TASK blocker"), a.Flag, flagManualTask))
	}
	if !m.decided[a.Status] && c.risk > 0 && flagAt > m.flagIndex[flagRiskScore] {
		vs = append(vs, inv(invRiskBlockerHolds, "/flag",
			"%s application %s lists an UNDETERMINED_RISK blocker but shows %s, ranked after %s",
			a.Status, id, a.Flag, flagRiskScore))
	}
	if a.Flag == flagNearingExpiry && a.Status != statusApproved {
		vs = append(vs, inv(invNearingExpiry, "/flag", "%s application %s shows NEARING_EXPIRY", a.Status, id))
	}
	return vs
}

func (m *Model) checkHistory(vs []violation, a *appSnap) []violation {
	id, h := a.ID, a.History
	if len(h) == 0 {
		return vs
	}
	if h[0].Status != m.initial {
		vs = append(vs, inv(invHistoryStartsApplied, "/history/0/status",
			"application %s: first history entry has status %s, want %s", id, h[0].Status, m.initial))
	}
	if last := h[len(h)-1]; last.Status != a.Status {
		vs = append(vs, inv(invHistoryEndsInStatus, idx("history", len(h)-1),
			"application %s has status %s but its last history entry is %s", id, a.Status, last.Status))
	}
	for i := 1; i < len(h); i++ {
		if dateBefore(h[i].Date, h[i-1].Date) {
			vs = append(vs, inv(invHistoryOldestFirst, idx("history", i)+"/date",
				"application %s: history entry %d (%s) is older than entry %d (%s)", id, i, h[i].Date, i-1, h[i-1].Date))
			break
		}
	}
	for i := 1; i < len(a.FlagHistory); i++ {
		if dateBefore(a.FlagHistory[i].Date, a.FlagHistory[i-1].Date) {
			vs = append(vs, inv(invHistoryOldestFirst, idx("flag_history", i)+"/date",
				"application %s: flag_history entry %d (%s) is older than entry %d (%s)", id, i, a.FlagHistory[i].Date, i-1, a.FlagHistory[i-1].Date))
			break
		}
	}
	return vs
}

// historySteps checks the history of a first-seen application: each two
// consecutive statuses form a transition. Later, each added entry is checked
// as a transition of the pair instead.
func (m *Model) historySteps(a *appSnap) (violation, bool) {
	h := a.History
	for i := 1; i < len(h); i++ {
		from, to := h[i-1].Status, h[i].Status
		if !m.anyStep(from, to) {
			return inv(invHistorySteps, idx("history", i)+"/status",
				"application %s: history goes %s→%s, not a transition of the model", a.ID, from, to), false
		}
	}
	return violation{}, true
}

// dateBefore compares PassFort dates ("YYYY-MM-DD hh:mm:ss"), which sort as
// strings. Dates of another shape are the contract check's business.
func dateBefore(a, b string) bool {
	const n = len("2006-01-02 15:04:05")
	return len(a) == n && len(b) == n && a < b
}

func (m *Model) anyStep(from, to string) bool {
	for _, c := range [...]string{CauseAutomatic, CauseManual, CauseRevert} {
		if _, ok := m.byStep[stepKey{from, to, c}]; ok {
			return true
		}
	}
	return false
}

// blockersMatchRequired is what a snapshot alone says of
// one-blocker-per-incomplete-task: each INCOMPLETE_TASK blocker names a
// task_type of required_tasks, at most once. An application without
// required_tasks (older accounts send none: decision D116,
// docs/decisions.md) says nothing of which tasks it requires.
func blockersMatchRequired(a *appSnap) (violation, bool) {
	if a.RequiredTasks == nil {
		return violation{}, true
	}
	var seen []string
	for i, b := range a.ApprovalBlockers {
		if b.BlockerType != blockerIncompleteTask || b.TaskType == "" {
			continue
		}
		required := slices.ContainsFunc(a.RequiredTasks, func(rt requiredTask) bool { return rt.TaskType == b.TaskType })
		if !required {
			return inv(invOneBlockerPerTask, idx("approval_blockers", i),
				"application %s has an INCOMPLETE_TASK blocker for %s, which is not in its required_tasks", a.ID, b.TaskType), false
		}
		if slices.Contains(seen, b.TaskType) {
			return inv(invOneBlockerPerTask, idx("approval_blockers", i),
				"application %s has a second INCOMPLETE_TASK blocker for %s", a.ID, b.TaskType), false
		}
		seen = append(seen, b.TaskType)
	}
	return violation{}, true
}

// checkTasks is the exact one-blocker-per-incomplete-task rule, for a
// snapshot and the profile's tasks seen at the same moment. It applies to
// open applications whose flag is not transient; without a flag nothing
// says the application has settled, so it is not judged.
func (m *Model) checkTasks(a *appSnap, tasks []task) (violation, bool) {
	if m.decided[a.Status] || a.Flag == "" || m.Transient(a.Flag) {
		return violation{}, true
	}
	if _, ok := blockersMatchRequired(a); !ok {
		return violation{}, true // already reported from the snapshot alone
	}
	for i, rt := range a.RequiredTasks {
		t := findTask(tasks, rt)
		if t == nil {
			continue
		}
		taskType := rt.TaskType
		if taskType == "" {
			taskType = t.Type
		}
		n := 0
		for _, b := range a.ApprovalBlockers {
			if b.BlockerType == blockerIncompleteTask && b.TaskType == taskType {
				n++
			}
		}
		switch {
		case t.incomplete() && n != 1:
			return inv(invOneBlockerPerTask, idx("required_tasks", i),
				"application %s: task %s (%s) is INCOMPLETE but has %s, want 1", a.ID, t.ID, taskType, oneline.Count(n, "INCOMPLETE_TASK blocker")), false
		case t.passed() && n > 0:
			return inv(invOneBlockerPerTask, idx("required_tasks", i),
				"application %s: task %s (%s) is COMPLETED_PASS but has %s", a.ID, t.ID, taskType, oneline.Count(n, "INCOMPLETE_TASK blocker")), false
		}
	}
	return violation{}, true
}

// findTask finds a required task among the profile's tasks: by id (a
// required task's id is the profile task's id: decision D13
// (docs/decisions.md)), else by type among the tasks that have not expired.
func findTask(tasks []task, rt requiredTask) *task {
	for i := range tasks {
		if rt.ID != "" && tasks[i].ID == rt.ID {
			return &tasks[i]
		}
	}
	for i := range tasks {
		if rt.TaskType != "" && tasks[i].Type == rt.TaskType && !tasks[i].IsExpired {
			return &tasks[i]
		}
	}
	return nil
}

// checkPair holds two consecutive snapshots of one application against the
// pair-scope invariants. It reports whether history only grew, so the
// transition check can read the added entries.
func (m *Model) checkPair(prev, cur *appSnap) ([]violation, bool) {
	var vs []violation
	id := cur.ID
	if p, c := prev.Product, cur.Product; p != nil && c != nil {
		switch {
		case p.ID != "" && c.ID != p.ID:
			vs = append(vs, inv(invIdentityImmutable, "/product/id", "application %s: product id changed from %s to %s", id, p.ID, c.ID))
		case p.Alias != "" && c.Alias != "" && c.Alias != p.Alias:
			vs = append(vs, inv(invIdentityImmutable, "/product/alias", "application %s: product alias changed from %s to %s", id, p.Alias, c.Alias))
		}
	}
	if prev.AssociatedRole != "" && cur.AssociatedRole != prev.AssociatedRole {
		vs = append(vs, inv(invIdentityImmutable, "/associated_role",
			"application %s: associated_role changed from %s to %q", id, prev.AssociatedRole, cur.AssociatedRole))
	}
	if len(prev.History) > 0 && len(cur.History) > 0 && cur.History[0] != prev.History[0] {
		vs = append(vs, inv(invIdentityImmutable, "/history/0",
			"application %s: creation entry changed from %s %s to %s %s", id,
			prev.History[0].Status, prev.History[0].Date, cur.History[0].Status, cur.History[0].Date))
	}
	appendOnly := true
	if v, ok := prefixKept(id, "history", prev.History, cur.History, 1); !ok {
		vs, appendOnly = append(vs, v), false
	}
	if cur.FlagHistory != nil { // absent says nothing: decision D116
		if v, ok := prefixKept(id, "flag_history", prev.FlagHistory, cur.FlagHistory, 0); !ok {
			vs = append(vs, v)
		}
	}
	return vs, appendOnly
}

// prefixKept checks that the entries of prev, from index start on, come back
// unchanged at the same place in cur.
func prefixKept[E comparable](id, field string, prev, cur []E, start int) (violation, bool) {
	if len(cur) < len(prev) {
		return inv(invHistoryAppendOnly, "/"+field,
			"application %s: %s shrank from %d to %d entries", id, field, len(prev), len(cur)), false
	}
	for i := start; i < len(prev); i++ {
		if cur[i] != prev[i] {
			return inv(invHistoryAppendOnly, idx(field, i),
				"application %s: %s entry %d changed from %v to %v", id, field, i, prev[i], cur[i]), false
		}
	}
	return violation{}, true
}

// checkRunningChecks is running-check-holds-application, for a snapshot and
// the profile's tasks and checks seen in the same body: an open application
// one of whose required tasks a PENDING or RUNNING check serves shows no
// flag ranked after WAITING_ON_CHECKS (decision D56, docs/decisions.md).
func (m *Model) checkRunningChecks(a *appSnap, tasks []task, checks []checkSnap) (violation, bool) {
	at, known := m.flagIndex[a.Flag]
	if m.decided[a.Status] || !known || at <= m.flagIndex[flagChecks] { // an unknown flag: flag-is-modelled
		return violation{}, true
	}
	for i, rt := range a.RequiredTasks {
		t := findTask(tasks, rt)
		if t == nil {
			continue
		}
		for _, ck := range checks {
			if (ck.State == checkPending || ck.State == checkRunning) && slices.Contains(ck.TaskIDs, t.ID) {
				return inv(invRunningCheckHolds, idx("required_tasks", i),
					"%s application %s: check %s serving its task %s is %s but the application shows %s, ranked after %s",
					a.Status, a.ID, ck.ID, t.ID, ck.State, a.Flag, flagChecks), false
			}
		}
	}
	return violation{}, true
}
