package consistency

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// A completed check moves the tasks it serves (rule check-outcome-moves-task,
// decision D90, docs/decisions.md). The checker learns it from the responses
// and the requests the scenario sent, in order: nothing is asked of the
// target, so a re-check of a cassette gives the same verdict.

// expectation is the state a completed check left a task in.
type expectation struct {
	state   string // COMPLETED_PASS or COMPLETED_FAIL
	check   string // the check whose outcome it is
	decided string // the check's decision, PASS or FAIL
	profile string // the profile the task belongs to
}

// outcomes is what the scenario's exchanges say of checks and their tasks.
type outcomes struct {
	seq       int                    // the number of the exchange being observed
	firstSeen map[string]int         // check id → the exchange that first showed it
	complete  map[string]bool        // check id → a response showed it COMPLETE
	taskSent  map[string]int         // task id → the last exchange that updated it
	checkSent map[string]int         // profile id → the last exchange that ran, linked, approved or rejected one of its checks
	expect    map[string]expectation // task id → what the last completed check left it in
	// pending: check id → its task_ids, for a check a response showed not
	// COMPLETE and none has shown COMPLETE since: it may complete, and move
	// those tasks, at any time.
	pending map[string][]string
}

func newOutcomes() *outcomes {
	return &outcomes{firstSeen: map[string]int{}, complete: map[string]bool{}, taskSent: map[string]int{},
		checkSent: map[string]int{}, expect: map[string]expectation{}, pending: map[string][]string{}}
}

// sent notes what the request of the exchange numbered seq may change,
// whatever its answer: a task update frees the task from its check's outcome;
// a check run, link, approve or reject frees every task of the profile, as
// the tasks a new check serves are not known before it is read.
func (o *outcomes) sent(method, path string) {
	if method != "POST" && method != "PUT" {
		return
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < 3 || segs[0] != "profiles" {
		return
	}
	pid := segs[1]
	switch {
	case segs[2] == "tasks" && len(segs) == 4:
		o.taskSent[segs[3]] = o.seq
		delete(o.expect, segs[3])
	case segs[2] == "checks":
		o.checkSent[pid] = o.seq
		for t, e := range o.expect {
			if e.profile == pid {
				delete(o.expect, t)
			}
		}
	}
}

// profileOfPath returns the profile id a path under /profiles/{id} names.
func profileOfPath(path string) string {
	segs := strings.SplitN(strings.Trim(path, "/"), "/", 3)
	if len(segs) < 2 || segs[0] != "profiles" {
		return ""
	}
	return segs[1]
}

// learn records what the checks of a response say of their tasks, after
// the response was judged: an outcome holds for the responses that follow.
func (o *outcomes) learn(path string, items []item) {
	pid := profileOfPath(path)
	running := map[string]bool{}
	// newly: task id → the expectations of the checks first seen COMPLETE
	// in this response; nil marks a completion whose effect is unknown.
	newly := map[string][]*expectation{}
	for _, it := range items {
		if it.kind == kindCheck {
			o.learnCheck(it, pid, running, newly)
		}
	}
	for t := range running {
		delete(o.expect, t)
	}
	for t, es := range newly {
		if running[t] || o.pendingServes(t) {
			delete(o.expect, t)
			continue
		}
		e := es[0]
		for _, x := range es[1:] {
			if e == nil || x == nil || x.state != e.state {
				e = nil
			}
		}
		if e == nil {
			delete(o.expect, t)
			continue
		}
		o.expect[t] = *e
	}
}

// learnCheck notes one check of a response: the tasks a check not yet
// complete serves (running) and, for a check first seen COMPLETE, the state
// it leaves its tasks in (newly). The outcome is known only when no update
// of the task and no other check request of the profile was sent since the
// scenario first saw the check, and no other check of the task is pending
// (learn): otherwise which came last is unknown.
func (o *outcomes) learnCheck(it item, pid string, running map[string]bool, newly map[string][]*expectation) {
	id := it.id
	if id == "" {
		return
	}
	first, ok := o.firstSeen[id]
	if !ok {
		first = o.seq
		o.firstSeen[id] = first
	}
	tasks := texts(it.v.Get("task_ids"))
	if it.v.Get("state").String() != "COMPLETE" {
		for _, t := range tasks {
			running[t] = true
		}
		o.pending[id] = tasks
		return
	}
	delete(o.pending, id)
	if o.complete[id] {
		return
	}
	o.complete[id] = true
	decided := decisionOf(it.v)
	for _, t := range tasks {
		var e *expectation
		if state, moves := movedState[decided]; moves && o.taskSent[t] < first && o.checkSent[pid] <= first && pid != "" {
			e = &expectation{state: state, check: id, decided: decided, profile: pid}
		}
		newly[t] = append(newly[t], e)
	}
}

// pendingServes reports whether a check still pending (seen not COMPLETE,
// not seen COMPLETE since) names task t: its outcome may land after the
// outcome being learnt, so which one the task shows is unknown.
func (o *outcomes) pendingServes(t string) bool {
	for _, tasks := range o.pending {
		if slices.Contains(tasks, t) {
			return true
		}
	}
	return false
}

// movedState is the task state a completed check's decision moves its tasks
// to; other decisions (PARTIAL, WARN, ERROR) leave them for a user.
var movedState = map[string]string{"PASS": "COMPLETED_PASS", "FAIL": "COMPLETED_FAIL"}

// decisionOf is a check's decision class: its decision, or for a check
// without one, its result Pass or Fail.
func decisionOf(ck gjson.Result) string {
	if d := ck.Get("decision"); d.Exists() {
		return d.String()
	}
	switch ck.Get("result").String() {
	case "Pass":
		return "PASS"
	case "Fail":
		return "FAIL"
	}
	return ""
}

// checkOutcomeMovesTask: a task read after a check that serves it was seen
// COMPLETE with decision PASS (FAIL) is COMPLETED_PASS (COMPLETED_FAIL),
// unless the scenario has since updated the task or sent a check request on
// its profile, or the task has expired or been deleted.
func checkOutcomeMovesTask(in *input) []problem {
	var out []problem
	for _, it := range in.of(kindTask) {
		e, ok := in.expect[it.id]
		if !ok || it.v.Get("is_expired").Bool() || it.v.Get("is_deleted").Bool() {
			continue
		}
		state := it.v.Get("state")
		switch {
		case state.Exists() && state.String() != e.state:
			out = append(out, problem{ptr(it.pointer, "state"), fmt.Sprintf("task %s: got state %s, want %s: check %s completed with decision %s and nothing updated the task since",
				it.id, state.String(), e.state, e.check, e.decided)})
		case !state.Exists() && it.v.Get("is_complete").Exists() && !it.v.Get("is_complete").Bool():
			out = append(out, problem{ptr(it.pointer, "is_complete"), fmt.Sprintf("task %s: got is_complete false, want true: check %s completed with decision %s and nothing updated the task since",
				it.id, e.check, e.decided)})
		}
	}
	return out
}
