package lifecycle

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

// Checker holds the application snapshots one scenario saw on one target
// against the model: invariants on every snapshot, transitions between
// consecutive snapshots of the same application id. Use one Checker per
// scenario and target (per-scenario mocks started with one seed reuse ids).
// It is safe for concurrent use.
type Checker struct {
	m        *Model
	mu       sync.Mutex
	apps     map[string]*appRecord
	profiles map[string]*profileRecord
	cov      Coverage
	flagSeen map[string]bool // "application id|flag" counted in cov.Flags
}

// appRecord is the last snapshot of one application.
type appRecord struct {
	snap *appSnap
	// epoch is the profile's epoch when the snapshot was seen.
	epoch uint64
	// expectHidden: a revert_decision answered a new application
	// (revert_mode new_application), so this one must read hidden next.
	expectHidden bool
}

// profileRecord is what the checker knows of one profile.
type profileRecord struct {
	// epoch counts the requests that may have changed the profile (any
	// non-GET request under /profiles/{profile_id} not answered 4xx). Two
	// observations with the same epoch saw the profile with no change request
	// in between.
	epoch uint64
	// tasks are the profile's tasks last seen, at tasksEpoch.
	tasks      []task
	tasksEpoch uint64
	tasksSeen  bool
	// apps are the ids of the profile's applications seen so far.
	apps []string
}

// NewChecker returns a checker with no history, for one scenario and target.
func (m *Model) NewChecker() *Checker {
	return &Checker{
		m:        m,
		apps:     map[string]*appRecord{},
		profiles: map[string]*profileRecord{},
		cov:      newCoverage(),
	}
}

// Observe checks every application snapshot in a 2xx response: the
// snapshot invariants, the pair invariants and transitions against the
// previous snapshot of the same id, and what the request asked for (a manual
// status change, a revert_decision). operation is "METHOD /path/template",
// used only to label findings. The cause of a change is read from the
// request: POST .../applications/{application_id} with a status is manual,
// .../revert_decision is a revert, anything else is automatic. A 2xx answer
// to GET /profiles/{profile_id}/tasks is passed to ObserveTasks.
func (c *Checker) Observe(ex *exchange.Exchange, operation string) []finding.Finding {
	if ex == nil {
		return nil
	}
	req := parseRequest(ex.Method, ex.Path, ex.RequestBody)
	ok2xx := ex.Status >= 200 && ex.Status <= 299
	var snaps []found
	var tasks []task
	tasksSeen := false
	if ok2xx {
		if req.tasksList {
			tasksSeen = decode(bytes.TrimSpace(ex.ResponseBody), &tasks)
		} else {
			snaps = extract(ex.ResponseBody, req.profileID)
		}
	}
	// The snapshot invariants need no history: run them before taking the lock.
	pre := make([][]violation, len(snaps))
	for i, f := range snaps {
		pre[i] = c.m.checkSnapshot(f.app)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if req.profileID != "" && req.mutates() && (ex.Status < 400 || ex.Status >= 500) {
		c.profile(req.profileID).epoch++
	}
	o := observation{c: c, ex: ex, operation: operation, req: &req}
	// Remember the records the request names before this response replaces them.
	var target *appRecord
	if req.appID != "" {
		if r, ok := c.apps[req.appID]; ok {
			cp := *r
			target = &cp
		}
	}
	for i, f := range snaps {
		c.observeApp(&o, f, pre[i])
	}
	c.checkOpenPerProduct(&o, snaps)
	if ok2xx && req.cause == CauseRevert {
		c.checkRevertAnswer(&o, snaps, target)
	}
	if tasksSeen {
		c.tasksSeen(&o, req.profileID, tasks)
	}
	return o.out
}

// ObserveTasks remembers a profile's tasks (the body of GET
// /profiles/{profile_id}/tasks) and holds the profile's applications last
// seen at the same moment against the exact one-blocker-per-incomplete-task
// rule. Observe already does this for GET .../tasks responses; call it for
// tasks seen elsewhere.
func (c *Checker) ObserveTasks(profileID string, tasksBody []byte) []finding.Finding {
	var tasks []task
	if profileID == "" || !decode(bytes.TrimSpace(tasksBody), &tasks) {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	o := observation{c: c}
	c.tasksSeen(&o, profileID, tasks)
	return o.out
}

// observation collects the findings of one Observe call.
type observation struct {
	c         *Checker
	ex        *exchange.Exchange
	operation string
	req       *request
	out       []finding.Finding
}

func (o *observation) emit(v violation, prefix string) {
	m := o.c.m
	kind, label := finding.InvariantBroken, "invariant"
	if v.transition {
		kind, label = finding.IllegalTransition, "transition"
	}
	if m.ruleSource(v.rule) == Decided {
		kind = finding.DecidedRuleBroken
	}
	f := finding.Finding{
		Class:     finding.Lifecycle,
		Kind:      kind,
		Operation: o.operation,
		Pointer:   prefix + v.pointer,
		Rule:      v.rule,
		Message:   label + " " + v.rule + ": " + finding.EscapeControls(v.msg),
	}
	if o.ex != nil {
		f.Status = o.ex.Status
	}
	o.out = append(o.out, f)
}

func (c *Checker) profile(id string) *profileRecord {
	p, ok := c.profiles[id]
	if !ok {
		p = &profileRecord{}
		c.profiles[id] = p
	}
	return p
}

// observeApp checks one snapshot against its history and the request, and
// records it. Called with c.mu held.
func (c *Checker) observeApp(o *observation, f found, pre []violation) {
	m, a, req := c.m, f.app, o.req
	for _, v := range pre {
		o.emit(v, f.pointer)
	}
	rec := c.apps[a.ID]
	var p *profileRecord
	if f.profileID != "" {
		p = c.profile(f.profileID)
	}
	named := req.appID == a.ID
	c.cov.add(a)
	if c.flagSeen == nil {
		c.flagSeen = map[string]bool{}
	}
	c.cov.addHistoryFlags(a, c.flagSeen)
	if rec == nil {
		if v, ok := m.historySteps(a); !ok {
			o.emit(v, f.pointer)
		}
		cause := CauseAutomatic
		if named {
			cause = req.cause
		}
		c.countHistory(a, cause)
		if p != nil {
			p.apps = append(p.apps, a.ID)
		}
	} else {
		c.checkChange(o, f, rec, p, named)
	}
	if named && req.cause == CauseManual && o.ex.Status >= 200 && o.ex.Status <= 299 {
		if !slices.Contains(m.statuses, req.status) {
			o.emit(refusalViolation(m.unknown, fmt.Sprintf("the target answered %d to changing application %s to the unknown status %q", o.ex.Status, a.ID, req.status)), f.pointer)
		} else if a.Status != req.status {
			o.emit(inv(invDecisionTakesEffect, "/status",
				"application %s: a status change to %s answered %d with status %s", a.ID, req.status, o.ex.Status, a.Status), f.pointer)
		}
	}
	if rec != nil && rec.expectHidden && a.Hidden != nil {
		if !*a.Hidden {
			o.emit(inv(invRevertMode, "/hidden",
				"application %s: revert_decision answered a new application but this one reads hidden false (revert_mode new_application)", a.ID), f.pointer)
		}
	}
	next := &appRecord{snap: a}
	if rec != nil && rec.expectHidden && a.Hidden == nil {
		next.expectHidden = true
	}
	if p != nil {
		next.epoch = p.epoch
		if f.tasksSeen {
			p.tasks, p.tasksEpoch, p.tasksSeen = f.tasks, p.epoch, true
		}
		if p.tasksSeen && p.tasksEpoch == p.epoch {
			if v, ok := m.checkTasks(a, p.tasks); !ok {
				o.emit(v, f.pointer)
			}
		}
	}
	if f.checksSeen {
		if v, ok := m.checkRunningChecks(a, f.tasks, f.checks); !ok {
			o.emit(v, f.pointer)
		}
	}
	c.apps[a.ID] = next
}

// fresh reports whether a record still shows the application as it was
// just before the current request: no other change request on the profile
// since, and no flag under which the target moves it on its own.
func (c *Checker) fresh(rec *appRecord, p *profileRecord) bool {
	return p != nil && rec.epoch+1 == p.epoch && !c.m.Transient(rec.snap.Flag)
}

// checkChange holds a snapshot against the previous one of the same id.
func (c *Checker) checkChange(o *observation, f found, rec *appRecord, p *profileRecord, named bool) {
	m, prev, cur, req := c.m, rec.snap, f.app, o.req
	vs, appendOnly := m.checkPair(prev, cur)
	for _, v := range vs {
		o.emit(v, f.pointer)
	}
	cause := CauseAutomatic
	if named {
		cause = req.cause
	}
	// A change the model refuses, answered 2xx, is reported once, under the refusal's name.
	if named && c.fresh(rec, p) {
		s := stateOf(prev)
		switch cause {
		case CauseManual:
			if !slices.Contains(m.statuses, req.status) {
				break // reported as set-unknown-status
			}
			if v, refused := m.refusedChange(&s, req.status, cur.ID, o.ex.Status); refused {
				o.emit(v, f.pointer)
				return
			}
		case CauseRevert:
			if !m.decided[prev.Status] {
				o.emit(refusalViolation(m.undecided, fmt.Sprintf("the target answered %d to revert_decision on %s application %s", o.ex.Status, prev.Status, cur.ID)), f.pointer)
				return
			}
		}
	}
	for _, st := range steps(prev, cur, appendOnly) {
		if v, ok := c.judgeStep(st, cur.ID, cause, prev); !ok {
			o.emit(v, f.pointer)
		}
	}
}

// step is one status change between two snapshots.
type step struct {
	from, to string
	// pointer locates the change in the newer snapshot.
	pointer string
}

// steps lists the status changes between two snapshots: each history entry
// added (when history only grew), else the change of status.
func steps(prev, cur *appSnap, appendOnly bool) []step {
	if appendOnly && len(prev.History) > 0 && len(cur.History) > len(prev.History) {
		var out []step
		from := prev.History[len(prev.History)-1].Status
		for i := len(prev.History); i < len(cur.History); i++ {
			to := cur.History[i].Status
			out = append(out, step{from: from, to: to, pointer: idx("history", i) + "/status"})
			from = to
		}
		return out
	}
	if prev.Status != cur.Status {
		return []step{{from: prev.Status, to: cur.Status, pointer: "/status"}}
	}
	return nil
}

// judgeStep checks one observed status change for a cause and counts it.
// Automatic transitions may happen during any request.
func (c *Checker) judgeStep(st step, id, cause string, prev *appSnap) (violation, bool) {
	m := c.m
	if st.from != st.to && m.terminal[st.from] && cause != CauseRevert {
		return inv(invTerminalByRevert, st.pointer,
			"application %s went %s→%s (%s); a %s application changes only through revert_decision", id, st.from, st.to, cause, st.from), false
	}
	for _, k := range []string{cause, CauseAutomatic} {
		if i, ok := m.byStep[stepKey{st.from, st.to, k}]; ok {
			c.cov.Transitions[m.transitions[i].Name]++
			return violation{}, true
		}
	}
	rule := m.otherwise
	if cause == CauseManual {
		s := stateOf(prev)
		if r, ok := m.refusal(&s, st.to); ok {
			rule = r
		}
	}
	msg := fmt.Sprintf("application %s went %s→%s (%s)", id, st.from, st.to, cause)
	if other := m.stepNames(st.from, st.to); len(other) > 0 {
		msg += "; the model allows it only as " + strings.Join(other, ", ")
	} else {
		msg += "; " + rule.Message
	}
	return violation{rule: rule.Name, pointer: st.pointer, msg: msg, transition: true}, false
}

// stepNames names the transitions from→to of any cause, "name (cause)".
func (m *Model) stepNames(from, to string) []string {
	var out []string
	for _, t := range m.transitions {
		if t.From == from && t.To == to {
			out = append(out, t.Name+" ("+t.Cause+")")
		}
	}
	return out
}

// refusedChange: the model refuses a manual change of an application in
// state s to status to, which the target answered httpStatus.
func (m *Model) refusedChange(s *State, to, id string, httpStatus int) (violation, bool) {
	what := fmt.Sprintf("the target answered %d to changing %s application %s to %s", httpStatus, s.Status, id, to)
	if r, ok := m.refusal(s, to); ok {
		return refusalViolation(r, what), true
	}
	if _, ok := m.byStep[stepKey{s.Status, to, CauseManual}]; !ok {
		return refusalViolation(m.otherwise, what), true
	}
	return violation{}, false
}

func refusalViolation(r RefusalRule, what string) violation {
	return violation{
		rule:       r.Name,
		pointer:    "",
		msg:        fmt.Sprintf("%s; the model refuses it with %d, code %d %s (%s)", what, r.HTTPStatus, r.Code, r.CodeName, r.Message),
		transition: true,
	}
}

// countHistory counts the transitions in a first-seen application's
// history; the last step takes the request's cause.
func (c *Checker) countHistory(a *appSnap, lastCause string) {
	h := a.History
	for i := 1; i < len(h); i++ {
		prefer := CauseAutomatic
		if i == len(h)-1 {
			prefer = lastCause
		}
		for _, k := range []string{prefer, CauseAutomatic, CauseManual, CauseRevert} {
			if j, ok := c.m.byStep[stepKey{h[i-1].Status, h[i].Status, k}]; ok {
				c.cov.Transitions[c.m.transitions[j].Name]++
				break
			}
		}
	}
}

// checkRevertAnswer holds a 2xx answer to revert_decision against the
// option revert_mode. target is the named application's record from before
// this response.
func (c *Checker) checkRevertAnswer(o *observation, snaps []found, target *appRecord) {
	m, req := c.m, o.req
	var ans *found
	for i := range snaps {
		if snaps[i].pointer == "" {
			ans = &snaps[i]
		}
	}
	if ans == nil {
		return
	}
	a := ans.app
	mode := m.Option("revert_mode")
	switch {
	case mode == RevertSameID && a.ID != req.appID:
		o.emit(inv(invRevertMode, "/id",
			"revert_decision on application %s answered application %s; revert_mode same_id wants the same id (%s)", req.appID, a.ID, OptionAdvice("revert_mode", RevertNewApplication)), "")
	case mode == RevertSameID && target != nil:
		want, _, err := m.Revert(historyStatuses(target.snap))
		if err == nil && a.Status != want {
			o.emit(inv(invRevertMode, "/status",
				"revert_decision on application %s answered status %s, want %s (the status before the reverted decision)", a.ID, a.Status, want), "")
		}
	case mode == RevertNewApplication && a.ID == req.appID:
		o.emit(inv(invRevertMode, "/id",
			"revert_decision on application %s answered the same application; revert_mode new_application wants a new one (%s)", a.ID, OptionAdvice("revert_mode", RevertSameID)), "")
	case mode == RevertNewApplication && target != nil:
		old := target.snap
		if p := c.profiles[ans.profileID]; p != nil && c.fresh(target, p) && !m.decided[old.Status] {
			o.emit(refusalViolation(m.undecided, fmt.Sprintf("the target answered %d to revert_decision on %s application %s", o.ex.Status, old.Status, old.ID)), "")
			return
		}
		if rec := c.apps[req.appID]; rec != nil {
			rec.expectHidden = true
		}
		want := historyStatuses(old)
		if len(want) > 0 {
			want = want[:len(want)-1]
		}
		if got := historyStatuses(a); !slices.Equal(got, want) {
			o.emit(inv(invRevertMode, "/history",
				"revert_decision on application %s answered application %s with history %v, want %v (the old history minus the reverted decision)", old.ID, a.ID, got, want), "")
			return
		}
		if v, ok := c.judgeStep(step{from: old.Status, to: a.Status, pointer: "/status"}, a.ID, CauseRevert, old); !ok {
			o.emit(v, "")
		}
	}
}

func historyStatuses(a *appSnap) []string {
	out := make([]string, len(a.History))
	for i, h := range a.History {
		out[i] = h.Status
	}
	return out
}

// tasksSeen stores a profile's tasks and checks the applications last seen
// at the same epoch against the exact blocker rule.
func (c *Checker) tasksSeen(o *observation, profileID string, tasks []task) {
	if profileID == "" {
		return
	}
	p := c.profile(profileID)
	p.tasks, p.tasksEpoch, p.tasksSeen = tasks, p.epoch, true
	for _, id := range p.apps {
		rec := c.apps[id]
		if rec == nil || rec.epoch != p.epoch {
			continue
		}
		if v, ok := c.m.checkTasks(rec.snap, tasks); !ok {
			v.pointer = "" // the application is not in this body; the message names it
			o.emit(v, "")
		}
	}
}
