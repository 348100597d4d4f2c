package mock

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/passfort-conformance/harness/internal/lifecycle"
)

// This file is the mock's one seam to the lifecycle rules: which flag an
// application shows, which status changes a client may make, what a revert
// returns to, and which automatic moves the smart policy makes. The rules are
// those of the lifecycle model (spec/lifecycle.yaml) the checker holds every
// response against, so the mock cannot drift from the checker; the store and
// the handlers only ask the four methods below.

// appState is what the lifecycle rules see of one application at one instant.
type appState = lifecycle.State

// Revert modes, the values of the model option revert_mode: decision D10
// (docs/decisions.md).
const (
	revertSameID         = lifecycle.RevertSameID
	revertNewApplication = lifecycle.RevertNewApplication
)

// Triggers of automatic status changes (lifecycle.yaml `triggers`). The mock
// decides when each fires (Server.trigger); the model decides whether it
// moves the application.
const (
	triggerTaskIncomplete     = "task_incomplete"
	triggerUnresolvedEvent    = "unresolved_event"
	triggerAutoApproval       = "auto_approve"
	triggerImmediateRejection = "policy_immediate_rejection"
)

// policy applies the lifecycle model.
type policy struct {
	model      *lifecycle.Model
	revertMode string
}

// newPolicy returns the rules of model (lifecycle.Default() if nil), with its
// revert_mode option overridden by revertMode unless that is "".
func newPolicy(model *lifecycle.Model, revertMode string) (*policy, error) {
	if model == nil {
		m, err := lifecycle.Default()
		if err != nil {
			return nil, fmt.Errorf("mock: %w", err)
		}
		model = m
	}
	if revertMode != "" {
		m, err := model.WithOption("revert_mode", revertMode)
		if err != nil {
			return nil, fmt.Errorf("mock: revert mode: %w", err)
		}
		model = m
	}
	for _, f := range model.Flags() {
		if _, ok := parseFlag(f); !ok {
			return nil, fmt.Errorf("mock: lifecycle model flag %q: the mock knows only the contract's flags", f)
		}
	}
	for _, st := range model.Statuses() {
		if _, ok := parseStatus(st); !ok {
			return nil, fmt.Errorf("mock: lifecycle model status %q: the mock knows only the contract's statuses", st)
		}
	}
	mode := model.Option("revert_mode")
	if mode != revertSameID && mode != revertNewApplication {
		return nil, fmt.Errorf("mock: lifecycle model option revert_mode: got %q, want %s or %s", mode, revertSameID, revertNewApplication)
	}
	return &policy{model: model, revertMode: mode}, nil
}

// flag returns the application's flag: the first that applies in the model's precedence.
func (p *policy) flag(st appState) string { return p.model.Flag(st) }

// decide says whether a client may move the application to status to
// (decision D9, docs/decisions.md);
// a refusal is answered with the model's HTTP status and error code.
func (p *policy) decide(st appState, to string) *apiError {
	_, err := p.model.Decide(st, to)
	return refusalError(err)
}

// revert returns the status a revert_decision moves an application with the
// given status history (oldest first) to: decision D10 (docs/decisions.md).
func (p *policy) revert(history []string) (string, *apiError) {
	to, _, err := p.model.Revert(history)
	if err != nil {
		return "", refusalError(err)
	}
	return to, nil
}

// automatic returns the status a trigger moves the application to, if any.
func (p *policy) automatic(st appState, trigger string) (string, bool) {
	to, _, ok := p.model.Automatic(st, trigger)
	return to, ok
}

func refusalError(err error) *apiError {
	if err == nil {
		return nil
	}
	var r *lifecycle.Refusal
	if errors.As(err, &r) {
		return &apiError{status: r.HTTPStatus, code: r.Code, message: sentence(r.Message)}
	}
	return &apiError{status: http.StatusConflict, code: codeTransitionError, message: sentence(err.Error())}
}

// sentence starts a model message with a capital letter, as the API's messages do.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
