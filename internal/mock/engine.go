package mock

import (
	"time"

	"github.com/passfort-conformance/harness/internal/catalog"
)

// The engine moves a profile's applications through the lifecycle. All of it
// runs with the profile's write lock held. Time-driven changes (automation
// completing, checks finishing, tasks nearing expiry or expiring) are not
// timers: each is a pending event with a due time, processed lazily, in
// order and dated when it was due, by the first request that touches the
// profile after that time (advance).

// nearingWindow is how long before a task expires its decided applications
// show NEARING_EXPIRY (PassFort's portal filters on "expiring within 30 days").
const nearingWindow = 30 * 24 * time.Hour

// cause says what just changed; it decides which automatic moves may follow.
type cause uint8

const (
	causeAutomation    cause = iota // automation completed
	causeChecks                     // a task's check finished
	causeTasks                      // a task passed, failed or was re-opened
	causeEvents                     // an event was added or (un)resolved
	causeProfileStatus              // the profile was suspended, banned or restored
	causeExpiry                     // a task neared expiry or expired
	causeDecision                   // a client changed the status or reverted a decision
)

// policyRuns reports whether the smart policy re-evaluates its outcome after
// this cause. It does not after a client's decision or revert: a reverted
// rejection must stay reverted, not be re-decided at once.
func (c cause) policyRuns() bool { return c <= causeProfileStatus }

func (s *Server) product(a *application) *catalog.Product { return &s.products[a.product] }

// state computes what the lifecycle rules see of application a now.
func (s *Server) state(p *profile, a *application) appState {
	prod := s.product(a)
	st := appState{
		Status:           statusNames[a.status],
		Automating:       !a.automated,
		RiskScoreMissing: prod.NeedsRiskData && !p.riskData,
		// Decision D58: a risk-rated product recalculates after a data change;
		// a product whose policy needs the address waits for it.
		RecalculatingRisk: prod.NeedsRiskData && p.riskData && p.riskUntil != 0,
		DataMissing:       prod.NeedsAddress && !p.hasAddress,
		UnresolvedEvents:  p.unresolvedEvents(),
		Suspended:         p.status != profileNormal,
		EverApproved:      a.everApproved,
		// Decision D44: outstanding collection steps hold applications back.
		CollectionStepsOpen: p.steps != nil,
	}
	for _, ti := range a.tasks {
		t := &p.tasks[ti]
		if t.checkRunning {
			st.ChecksRunning = true
		}
		if !t.passed() {
			st.IncompleteTasks++
		} else if t.expiry == expiryNearing {
			st.NearingExpiry = true
		}
	}
	if !st.ChecksRunning {
		st.ChecksRunning = checkRunningFor(p, a)
	}
	st.Escalated = prod.Outcome == catalog.Escalate && st.IncompleteTasks == 0 && st.UnresolvedEvents == 0 &&
		(a.status == statusApplied || a.status == statusInReview)
	return st
}

// trigger returns the automatic move to try on a after cause, or "": an
// APPROVED application with an incomplete task or an unresolved event goes to
// review (decision D15, docs/decisions.md); once automation and checks are
// done, the product's smart-policy outcome may approve (AUTOMATIC_APPROVAL,
// every task passed) or reject (IMMEDIATE_REJECTION, a task failed) it
// (decision D30).
func (s *Server) trigger(p *profile, a *application, st appState, c cause) string {
	if st.Status == "APPROVED" {
		switch {
		case st.IncompleteTasks > 0:
			return triggerTaskIncomplete
		case st.UnresolvedEvents > 0:
			return triggerUnresolvedEvent
		}
	}
	if !c.policyRuns() || st.Automating || st.ChecksRunning {
		return ""
	}
	switch s.product(a).Outcome {
	case catalog.AutomaticApproval:
		if st.IncompleteTasks == 0 {
			return triggerAutoApproval
		}
	case catalog.ImmediateRejection:
		for _, ti := range a.tasks {
			if p.tasks[ti].state == taskFailed {
				return triggerImmediateRejection
			}
		}
	}
	return ""
}

// settle applies the automatic moves that follow a change and records the
// application's flag if it changed. Hidden applications are frozen.
func (s *Server) settle(p *profile, a *application, t stamp, c cause) {
	if a.hidden {
		return
	}
	st := s.state(p, a)
	for range 3 { // each move changes the status; three bound any chain
		trig := s.trigger(p, a, st, c)
		if trig == "" {
			break
		}
		to, ok := s.policy.automatic(st, trig)
		if !ok {
			break
		}
		code, known := parseStatus(to)
		if !known || code == a.status {
			break
		}
		s.setStatus(p, a, code, t, nil, true)
		st = s.state(p, a)
	}
	s.recordFlag(a, st, t)
}

func (s *Server) settleAll(p *profile, t stamp, c cause) {
	for i := range p.apps {
		s.settle(p, &p.apps[i], t, c)
	}
}

// recordFlag sets the application's flag from st and appends a flag_history
// entry when the status or the flag changed.
func (s *Server) recordFlag(a *application, st appState, t stamp) {
	f, _ := parseFlag(s.policy.flag(st)) // newPolicy checked that every flag of the model is known
	a.flag = f
	if n := len(a.flags); n > 0 && a.flags[n-1].status == a.status && a.flags[n-1].flag == f {
		return
	}
	a.flags = append(a.flags, flagEntry{at: t, status: a.status, flag: f})
	s.store.charge(flagCost)
}

// setStatus moves a to status to at t with a history entry (decisioner null:
// the mock's callers are API keys or automation, never portal users), and
// sends the webhook of the change. auto is true for the mock's own changes.
func (s *Server) setStatus(p *profile, a *application, to uint8, t stamp, comment *string, auto bool) {
	a.status = to
	if to == statusApproved {
		a.everApproved = true
	}
	h := historyEntry{at: t, status: to}
	if comment != nil {
		h.hasComment, h.comment = true, *comment
	}
	a.history = append(a.history, h)
	s.store.charge(h.cost())
	p.last = t
	action := "manual-decision"
	if auto {
		action = "auto-decision"
	}
	p.recordBy(auto, t, action, statusNames[to], s.product(a).Name, "application_id", a.id)
	s.statusChanged(p, a, t, auto)
}

// advance processes the profile's timed events that are due by now, oldest
// first, each dated when it was due.
func (s *Server) advance(p *profile, now stamp) {
	// A deleted profile has freed what it held (release): a change worked
	// out now, by a reader that saw it before the deletion, would charge
	// the store bytes nothing frees again.
	if p.deleted {
		return
	}
	for {
		at, kind, i := p.nextTimed()
		if at > now {
			p.next = at
			return
		}
		t := p.clamp(at)
		var c cause
		switch kind {
		case timedAutomation:
			p.apps[i].automated = true
			c = causeAutomation
		case timedCheck:
			p.tasks[i].checkRunning = false
			c = causeChecks
		case timedCheckDone:
			p.last = t
			s.checkDone(p, i, t)
			continue
		case timedRisk:
			p.riskUntil = 0
			c = causeAutomation
		case timedNearing:
			p.tasks[i].expiry = expiryNearing
			c = causeExpiry
		case timedExpiry:
			// An expired task is incomplete again until it is passed anew.
			p.tasks[i].expiry = expiryExpired
			p.tasks[i].state = taskIncomplete
			c = causeExpiry
		}
		p.last = t
		s.settleAll(p, t, c)
	}
}

// touched recomputes the profile's next timed event after a change.
func (p *profile) touched() {
	p.next, _, _ = p.nextTimed()
}

// addApplication applies the profile for the product with catalogue index
// prod at t: a new application in status APPLIED, flag AUTOMATING, and a
// profile task for each required task type the profile does not have yet.
func (s *Server) addApplication(p *profile, prod int, assocRole uint8, t stamp) *application {
	product := &s.products[prod]
	a := application{
		id:           s.ids.next(),
		product:      uint16(prod),
		assocRole:    assocRole,
		status:       statusApplied,
		automationAt: t + int64(s.delay),
		tasks:        make([]uint8, 0, len(product.RequiredTasks)),
		history:      []historyEntry{{at: t, status: statusApplied}},
	}
	for vi, v := range product.RequiredTasks {
		ti := -1
		for j := range p.tasks {
			if s.taskType(&p.tasks[j]) == v.TaskType {
				ti = j
				break
			}
		}
		if ti < 0 {
			nt := task{id: s.ids.next(), product: uint16(prod), variant: uint8(vi), created: t}
			if v.CheckDuration > 0 {
				nt.checkRunning = true
				nt.checkAt = a.automationAt + int64(v.CheckDuration)
			}
			p.tasks = append(p.tasks, nt)
			ti = len(p.tasks) - 1
		}
		a.tasks = append(a.tasks, uint8(ti))
	}
	ap := s.keepApplication(p, a)
	p.last = t
	s.recordFlag(ap, s.state(p, ap), t)
	p.touched()
	return ap
}

// variant returns the catalogue's variant of t; an ad-hoc task added
// without a catalogue variant has the zero variant.
func (s *Server) variant(t *task) *catalog.TaskVariant {
	if t.product == noProduct {
		return &catalog.TaskVariant{TaskType: t.adhocType}
	}
	return &s.products[t.product].RequiredTasks[t.variant]
}

func (s *Server) taskType(t *task) string {
	if t.product == noProduct {
		return t.adhocType
	}
	return s.products[t.product].RequiredTasks[t.variant].TaskType
}

// setTaskState completes or re-opens task ti at t and lets the applications react.
func (s *Server) setTaskState(p *profile, ti int, state uint8, t stamp) {
	tk := &p.tasks[ti]
	if action := "completed-a-task"; tk.state != state {
		if state == taskIncomplete {
			action = "uncompleted-a-task"
		}
		p.record(t, action, s.taskType(tk), taskStateNames[state], "task_id", tk.id)
	}
	tk.state = state
	tk.expiry, tk.expiresAt, tk.nearingAt = expiryNone, 0, 0
	if state == taskPassed {
		if days := s.expiryDays(p, ti); days > 0 {
			tk.expiresAt = t + int64(time.Duration(days)*24*time.Hour)
			tk.nearingAt = max(tk.expiresAt-int64(nearingWindow), t)
		}
	}
	p.last = t
	s.settleAll(p, t, causeTasks)
	p.touched()
}

// expiryDays is the shortest task_expiry_days of the visible applications
// that require task ti; 0 if none sets one.
func (s *Server) expiryDays(p *profile, ti int) int {
	days := 0
	for i := range p.apps {
		a := &p.apps[i]
		if a.hidden {
			continue
		}
		d := s.products[a.product].TaskExpiryDays
		if d <= 0 || (days > 0 && d >= days) {
			continue
		}
		for _, x := range a.tasks {
			if int(x) == ti {
				days = d
				break
			}
		}
	}
	return days
}
