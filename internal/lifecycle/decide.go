package lifecycle

import (
	"fmt"
	"slices"
)

// Refusal is the API's answer to a status change the model forbids, decision
// D9 (docs/decisions.md):
// the HTTP status, PassFort's error code and its name, the refusal rule of
// lifecycle.yaml that matched, and a one-line message for the error envelope.
type Refusal struct {
	HTTPStatus int
	Code       int
	CodeName   string
	Rule       string
	Message    string
}

// Error renders the refusal as one line naming the rule.
func (r *Refusal) Error() string {
	return fmt.Sprintf("%s: %s (HTTP %d, code %d %s)", r.Rule, r.Message, r.HTTPStatus, r.Code, r.CodeName)
}

func refuse(r RefusalRule, what string) *Refusal {
	return &Refusal{
		HTTPStatus: r.HTTPStatus, Code: r.Code, CodeName: r.CodeName, Rule: r.Name,
		Message: what + ": " + r.Message,
	}
}

func matches(list []string, status string) bool {
	return slices.Contains(list, "*") || slices.Contains(list, status)
}

// Decide answers a manual status change (POST .../applications/{id} with
// {"status": to}) of an application in state from: the transition it makes,
// or a *Refusal naming the refusal rule that forbids it.
func (m *Model) Decide(from State, to string) (Transition, error) {
	what := fmt.Sprintf("status change %s to %s", from.Status, to)
	if !slices.Contains(m.statuses, to) {
		return Transition{}, refuse(m.unknown, what)
	}
	if r, ok := m.refusal(&from, to); ok {
		return Transition{}, refuse(r, what)
	}
	if i, ok := m.byStep[stepKey{from.Status, to, CauseManual}]; ok {
		return m.transitions[i], nil
	}
	return Transition{}, refuse(m.otherwise, what)
}

// refusal returns the first refusal rule that forbids a manual change of an
// application in state s to status to.
func (m *Model) refusal(s *State, to string) (RefusalRule, bool) {
	for _, r := range m.refusals {
		if !matches(r.From, s.Status) || !matches(r.To, to) {
			continue
		}
		if r.When != "" && !m.conds[r.When](m, s) {
			continue
		}
		return r, true
	}
	return RefusalRule{}, false
}

// Revert answers revert_decision for an application whose history statuses
// (oldest first) are given: the status the reverted application takes (the
// one before the last entry) and the revert transition, or a *Refusal. In
// revert_mode same_id the same application takes that status; in
// new_application a new application does, and the old one is hidden.
func (m *Model) Revert(history []string) (to string, t Transition, err error) {
	if len(history) == 0 {
		return "", Transition{}, refuse(m.undecided, "revert of an application without history")
	}
	last := history[len(history)-1]
	if !m.decided[last] {
		return "", Transition{}, refuse(m.undecided, "revert of "+last)
	}
	if len(history) < 2 {
		return "", Transition{}, refuse(m.otherwise, "revert of "+last+" with no earlier status")
	}
	to = history[len(history)-2]
	i, ok := m.byStep[stepKey{last, to, CauseRevert}]
	if !ok {
		return "", Transition{}, refuse(m.otherwise, fmt.Sprintf("revert of %s to %s", last, to))
	}
	return to, m.transitions[i], nil
}

// Automatic answers whether a trigger (lifecycle.yaml `triggers`, e.g.
// "auto_approve", "task_incomplete") changes the status of an application in
// state from, and to what. ok is false for flag-only triggers, unknown
// triggers, and triggers that do not apply to the status or whose guard fails.
func (m *Model) Automatic(from State, trigger string) (to string, t Transition, ok bool) {
	for _, tr := range m.transitions {
		if tr.Cause != CauseAutomatic || tr.From != from.Status || !slices.Contains(tr.Triggers, trigger) {
			continue
		}
		if tr.Guard != "" && !m.conds[tr.Guard](m, &from) {
			continue
		}
		return tr.To, tr, true
	}
	return "", Transition{}, false
}
