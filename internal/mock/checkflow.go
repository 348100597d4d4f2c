package mock

import (
	"slices"
	"time"
)

// Checks drive tasks (decision D56, docs/decisions.md): a check run without
// task_ids serves the profile's tasks whose catalogue variant lists its check
// type; while it runs, the applications requiring those tasks wait on checks;
// when it completes, its outcome moves them (PASS passes, FAIL fails, any
// other outcome leaves the task for a user) and the smart policy reacts. A
// check completes at its doneAt, a timed event worked out lazily like the
// others: nothing runs in the background.

// servedTasks returns the ids of p's tasks that a check of ctype serves when
// the request names none.
func (s *Server) servedTasks(p *profile, ctype string) []id {
	var out []id
	for i := range p.tasks {
		if slices.Contains(s.variant(&p.tasks[i]).CheckTypes, ctype) {
			out = append(out, p.tasks[i].id)
		}
	}
	return out
}

// checkRunningFor reports whether a check serving one of a's tasks has not
// completed yet.
func checkRunningFor(p *profile, a *application) bool {
	for ci := range p.checks {
		ck := &p.checks[ci]
		if ck.applied {
			continue
		}
		for _, ti := range a.tasks {
			if containsID(ck.taskIDs, p.tasks[ti].id) {
				return true
			}
		}
	}
	return false
}

// taskStateFor is the task state a completed check's decision moves its
// tasks to; ok is false when the decision leaves them as they are.
func taskStateFor(decision string) (state uint8, ok bool) {
	switch decision {
	case "PASS":
		return taskPassed, true
	case "FAIL":
		return taskFailed, true
	}
	return 0, false
}

// checkDone applies completed check ci's outcome at t: its tasks move, the
// applications settle, and the observer hears of the check and of any task
// left for a user. p is locked.
// The observer hears of the check first, then of the status changes its
// outcome causes, then of the tasks it left to a user that an open
// application still requires (decision D57).
func (s *Server) checkDone(p *profile, ci int, t stamp) {
	ck := &p.checks[ci]
	ck.applied = true
	s.checkCompleted(p, ck, t)
	to, moves := taskStateFor(ck.decision)
	var left []int
	for _, x := range ck.taskIDs {
		ti := slices.IndexFunc(p.tasks, func(tk task) bool { return tk.id == x })
		if ti < 0 {
			continue
		}
		if moves && p.tasks[ti].state != to {
			s.setTaskState(p, ti, to, t)
		}
		if !p.tasks[ti].passed() {
			left = append(left, ti)
		}
	}
	p.last = t
	s.settleAll(p, t, causeChecks)
	p.touched()
	for _, ti := range left {
		s.manualAction(p, ti, t)
	}
}

// CheckCompleted is a check's completion.
type CheckCompleted struct {
	ProfileID string
	CheckID   string
	CheckType string
	// Decision is the check's decision class (PASS, FAIL, PARTIAL, WARN, ERROR)
	// and Result its result string (Pass, Fail, 1+1, ...).
	Decision, Result string
	// VariantID, VariantAlias and VariantName name the check's variant; "" if none.
	VariantID, VariantAlias, VariantName string
	At                                   time.Time

	collected []byte
}

// CustomerRef returns the profile's collected_data.customer_ref; nil if none.
func (c CheckCompleted) CustomerRef() *string { return customerRef(c.collected) }

// ManualAction is a task a user must complete: a check left it incomplete
// or failed it.
type ManualAction struct {
	ProfileID string
	TaskID    string
	TaskType  string
	// TaskState is the task's state: INCOMPLETE or COMPLETED_FAIL.
	TaskState string
	// VariantID and VariantName name the task's variant.
	VariantID, VariantName string
	// Applications are the visible applications that require the task.
	Applications []ActionApplication
	At           time.Time
}

// ActionApplication is an application a manual action holds up.
type ActionApplication struct {
	ID, ProductID, ProductAlias, ProductName, Status string
}

func (s *Server) checkCompleted(p *profile, ck *check, t stamp) {
	o, ok := s.observer.(CheckObserver)
	if !ok {
		return
	}
	ev := CheckCompleted{ProfileID: p.id.String(), CheckID: ck.id.String(), CheckType: ck.ctype,
		Decision: ck.decision, Result: ck.result, At: time.Unix(0, t).UTC(), collected: p.collected}
	if v := ck.variant; v != nil {
		ev.VariantID, ev.VariantAlias, ev.VariantName = v.ID, v.Alias, v.Name
	}
	o.CheckCompleted(ev)
}

func (s *Server) manualAction(p *profile, ti int, t stamp) {
	o, ok := s.observer.(CheckObserver)
	if !ok {
		return
	}
	tk := &p.tasks[ti]
	v := s.variant(tk)
	ev := ManualAction{ProfileID: p.id.String(), TaskID: tk.id.String(), TaskType: v.TaskType,
		TaskState: taskStateNames[tk.state], VariantID: v.VariantID, VariantName: v.Name, At: time.Unix(0, t).UTC()}
	for i := range p.apps {
		a := &p.apps[i]
		if !a.open() || !slices.Contains(a.tasks, uint8(ti)) {
			continue
		}
		prod := s.product(a)
		ev.Applications = append(ev.Applications, ActionApplication{ID: a.id.String(), ProductID: prod.ID,
			ProductAlias: prod.Alias, ProductName: prod.Name, Status: statusNames[a.status]})
	}
	if len(ev.Applications) > 0 {
		o.ManualActionRequired(ev)
	}
}

// CheckObserver is an Observer that also hears of checks completing and of
// tasks left for a user (optional: the mock asks with a type assertion).
// Its methods are called with the profile's lock held, like Observer's.
type CheckObserver interface {
	CheckCompleted(CheckCompleted)
	ManualActionRequired(ManualAction)
}

// checkStarted lets the applications react to the check just added at t:
// one that completes at once applies its outcome now, one that runs makes
// the applications it serves wait on checks until it completes.
func (s *Server) checkStarted(p *profile, t stamp) {
	if ci := len(p.checks) - 1; p.checks[ci].doneAt <= t {
		s.checkDone(p, ci, t)
		return
	}
	s.settleAll(p, t, causeChecks)
	p.touched()
}

// riskRated reports whether a visible application of p has a product whose
// risk model needs the profile's risk data: replacing the collected data
// makes it recalculate the risk (flag RECALCULATING_RISK) for the automation
// delay (decision D58, docs/decisions.md).
func (s *Server) riskRated(p *profile) bool {
	for i := range p.apps {
		if a := &p.apps[i]; !a.hidden && s.product(a).NeedsRiskData {
			return true
		}
	}
	return false
}

// addressGiven reports whether collected data (compact JSON) has an entry in
// address_history (decision D58).
func addressGiven(collected []byte) bool {
	cd, e := asObject(collected, collectedData)
	if e != nil {
		return false
	}
	items, ok, e := cd.arr(collectedData, "address_history")
	return e == nil && ok && len(items) > 0
}
