// Package driftswitch is a test-only switch for the drift report's
// acceptance test (cmd/passfort-mock -drift): with it the mock adds exactly
// one undocumented field, one undocumented enum value and one undocumented
// status code to what it serves:
//
//   - every ProductApplication carries "drift_probe": true (drift:
//     undocumented-field);
//   - GET /profiles/{profile_id}/audit-items ends with one more item whose
//     action is "brand-new-action" (drift: unknown-enum-value, the action
//     being an extensible enum, decision D54; contract: outside-enum under
//     strict enums);
//   - GET /tags/search/{term} answers 202 instead of 200 (contract:
//     undocumented-status).
//
// Each is placed where no lifecycle rule and no preflight depends on it, so
// a whole suite runs against the switch and reports the three (decision
// D78, docs/decisions.md): the key check (GET /whoami) and the
// application's flag, which the lifecycle model follows, are left alone.
//
// Switch is an answer.Rewriter: compose it around the API with
// answer.Middleware.
package driftswitch

import (
	"log/slog"
	"net/http"

	"github.com/passfort-conformance/harness/internal/answer"
)

// What the switch adds.
const (
	// Field is the undocumented field every application gets.
	Field = "drift_probe"
	// Action is the undocumented audit action the last audit item has.
	Action = "brand-new-action"
)

const (
	opAuditItems = "GET /profiles/{profile_id}/audit-items"
	opTagSearch  = "GET /tags/search/{term}"
)

// Switch adds the drift; it logs what it did to Log (nothing if nil).
type Switch struct {
	Log *slog.Logger
}

var _ answer.Rewriter = Switch{}

// Rewrite changes doc in place and returns the status to answer.
func (s Switch) Rewrite(r *http.Request, op string, status int, doc any) (int, any) {
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	n := markApplications(doc)
	if n > 0 {
		answer.Log(log, "drift: added an undocumented field to every application", r, "field", Field, "applications", n)
	}
	if op == opAuditItems && status == http.StatusOK {
		if items, ok := doc.([]any); ok && len(items) > 0 {
			if last, ok := items[len(items)-1].(map[string]any); ok {
				extra := make(map[string]any, len(last))
				for k, v := range last {
					extra[k] = v
				}
				extra["action"] = Action
				doc = append(items, extra)
				answer.Log(log, "drift: answered an undocumented audit action", r, "action", Action)
			}
		}
	}
	if op == opTagSearch && status == http.StatusOK {
		answer.Log(log, "drift: answered an undocumented status", r, "status", http.StatusAccepted)
		return http.StatusAccepted, doc
	}
	return status, doc
}

// markApplications adds the drift field to every ProductApplication in v
// and returns how many it found. An application is an object with product,
// status, flag and history.
func markApplications(v any) int {
	n := 0
	switch t := v.(type) {
	case map[string]any:
		_, p := t["product"]
		_, st := t["status"]
		_, f := t["flag"]
		_, h := t["history"]
		if p && st && f && h {
			t[Field] = true
			n++
		}
		for _, c := range t {
			n += markApplications(c)
		}
	case []any:
		for _, c := range t {
			n += markApplications(c)
		}
	}
	return n
}
