package webhooks

import (
	"encoding/json"

	"github.com/passfort-conformance/harness/internal/mock"
)

// The webhooks of checks (decision D57, docs/decisions.md): CHECK_COMPLETED
// when a check completes, MANUAL_ACTION_REQUIRED when a completed check left
// a task for a user, as the contract's WebhookCheckCompleted and
// WebhookManualActionRequired describe.

const (
	eventCheckCompleted       = "CHECK_COMPLETED"
	eventManualActionRequired = "MANUAL_ACTION_REQUIRED"
	actionCompleteTask        = "COMPLETE_TASK"
)

var _ mock.CheckObserver = (*Hooks)(nil)

// CheckCompleted queues the webhook of a check's completion.
func (h *Hooks) CheckCompleted(c mock.CheckCompleted) {
	to, ok := h.receiver(c.ProfileID)
	if !ok {
		return
	}
	check := map[string]any{"id": c.CheckID, "check_type": c.CheckType, "decision": c.Decision, "result": c.Result}
	if c.VariantID != "" {
		check["variant"] = map[string]string{"id": c.VariantID, "alias": c.VariantAlias, "name": c.VariantName}
	}
	h.queue(to, eventCheckCompleted, c.At.Unix(), map[string]any{
		"profile_id":   c.ProfileID,
		"customer_ref": c.CustomerRef(),
		"check":        check,
	})
}

// ManualActionRequired queues the webhook of a task left for a user.
func (h *Hooks) ManualActionRequired(m mock.ManualAction) {
	to, ok := h.receiver(m.ProfileID)
	if !ok {
		return
	}
	apps := make([]map[string]any, len(m.Applications))
	for i, a := range m.Applications {
		apps[i] = map[string]any{"id": a.ID, "status": a.Status,
			"product": map[string]string{"id": a.ProductID, "alias": a.ProductAlias, "name": a.ProductName}}
	}
	task := map[string]any{"id": m.TaskID, "type": m.TaskType, "state": m.TaskState}
	if m.VariantID != "" {
		task["variant"] = map[string]string{"id": m.VariantID, "name": m.VariantName}
	}
	h.queue(to, eventManualActionRequired, m.At.Unix(), map[string]any{
		"profile_id": m.ProfileID,
		"actions": []map[string]any{{
			"action_type":  actionCompleteTask,
			"applications": apps,
			"due":          nil,
			"task":         task,
		}},
	})
}

// queue encodes one webhook and queues it for to.
func (h *Hooks) queue(to Config, event string, at int64, data map[string]any) {
	body, err := json.Marshal(map[string]any{
		"id":        h.ids.Next(),
		"event":     event,
		"secret":    to.Secret,
		"timestamp": at,
		"data":      data,
	})
	if err != nil {
		h.log.Error("cannot encode a webhook", "error", err)
		return
	}
	h.enqueue(to.URL, body)
}
