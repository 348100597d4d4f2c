package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/target"
)

// decisions maps the guide's verbs to the status a manual decision sets.
var decisions = map[string]string{"approve": "APPROVED", "reject": "REJECTED", "cancel": "CANCELLED"}

// decide sends a manual decision. It asserts nothing: the scenario says
// whether it expects the change or its refusal.
func decide(ctx context.Context, verb string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	pid, aid, err := w.ids()
	if err != nil {
		return err
	}
	body := fmt.Sprintf(`{"status": %q}`, decisions[verb])
	_, err = w.send(ctx, target.Request{Method: "POST", Path: "/profiles/" + pid + "/applications/" + aid, Body: []byte(body)})
	return err
}

func setStatusByHand(ctx context.Context, status string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	pid, aid, err := w.ids()
	if err != nil {
		return err
	}
	body := fmt.Sprintf(`{"status": %q}`, status)
	_, err = w.send(ctx, target.Request{Method: "POST", Path: "/profiles/" + pid + "/applications/" + aid, Body: []byte(body)})
	return err
}

func revertDecision(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	pid, aid, err := w.ids()
	if err != nil {
		return err
	}
	ex, err := w.send(ctx, target.Request{Method: "POST", Path: "/profiles/" + pid + "/applications/" + aid + "/revert_decision", Body: []byte(`{"comment": "reverted by the conformance suite"}`)})
	if err != nil {
		return err
	}
	// In new_application mode the revert answers a new application: follow it.
	if ex.Status == 200 {
		if id := gjson.GetBytes(ex.ResponseBody, "id").String(); id != "" && id != aid {
			w.mu.Lock()
			w.vars["reverted_application_id"] = aid
			w.applicationID = id
			w.vars["application_id"] = id
			w.mu.Unlock()
		}
	}
	return nil
}

// taskID finds the profile's task of a type.
func (w *World) taskID(ctx context.Context, taskType string) (string, error) {
	w.mu.Lock()
	pid := w.profileID
	w.mu.Unlock()
	ex, err := w.send(ctx, target.Request{Method: "GET", Path: "/profiles/" + pid + "/tasks"})
	if err != nil {
		return "", err
	}
	if ex.Status != 200 {
		return "", fmt.Errorf("list tasks: got %d, want 200", ex.Status)
	}
	var types []string
	for _, t := range gjson.ParseBytes(ex.ResponseBody).Array() {
		if t.Get("type").String() == taskType && !t.Get("is_expired").Bool() {
			return t.Get("id").String(), nil
		}
		types = append(types, t.Get("type").String())
	}
	return "", fmt.Errorf("task %s: the profile has none; it has %s", taskType, strings.Join(append(types, "no other")[:max(len(types), 1)], ", "))
}

func (w *World) updateTask(ctx context.Context, id string, body map[string]any) error {
	w.mu.Lock()
	pid := w.profileID
	w.mu.Unlock()
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	ex, err := w.send(ctx, target.Request{Method: "POST", Path: "/profiles/" + pid + "/tasks/" + id, Body: data})
	if err != nil {
		return err
	}
	if ex.Status != 200 {
		return fmt.Errorf("update task %s: got %d, want 200; body: %s", id, ex.Status, snippet(ex.ResponseBody))
	}
	return nil
}

func completeTask(ctx context.Context, taskType, state string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	id, err := w.taskID(ctx, taskType)
	if err != nil {
		return err
	}
	return w.updateTask(ctx, id, map[string]any{"state": state})
}

func markTaskComplete(ctx context.Context, taskType string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	id, err := w.taskID(ctx, taskType)
	if err != nil {
		return err
	}
	return w.updateTask(ctx, id, map[string]any{"is_complete": true})
}

// completeEveryTask completes every task the application requires.
func completeEveryTask(ctx context.Context, state string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	pid, aid, err := w.ids()
	if err != nil {
		return err
	}
	ex, err := w.send(ctx, target.Request{Method: "GET", Path: "/profiles/" + pid + "/applications/" + aid})
	if err != nil {
		return err
	}
	for _, t := range gjson.GetBytes(ex.ResponseBody, "required_tasks").Array() {
		if err := w.updateTask(ctx, t.Get("id").String(), map[string]any{"state": state}); err != nil {
			return err
		}
	}
	return nil
}

func reopenTask(ctx context.Context, taskType string) error {
	return completeTask(ctx, taskType, "INCOMPLETE")
}

func setProfileStatus(ctx context.Context, status string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	w.mu.Lock()
	pid := w.profileID
	w.mu.Unlock()
	ex, err := w.send(ctx, target.Request{Method: "POST", Path: "/profiles/" + pid + "/status", Body: []byte(`"` + status + `"`)})
	if err != nil {
		return err
	}
	if ex.Status != 200 {
		return fmt.Errorf("set profile status %s: got %d, want 200; body: %s", status, ex.Status, snippet(ex.ResponseBody))
	}
	return nil
}

var profileStatusVerbs = map[string]string{"suspend": "SUSPENDED", "ban": "BANNED", "restore": "NORMAL"}

func changeProfileStatus(ctx context.Context, verb string) error {
	return setProfileStatus(ctx, profileStatusVerbs[verb])
}

func raiseEvent(ctx context.Context, eventType string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	w.mu.Lock()
	pid := w.profileID
	w.mu.Unlock()
	body := fmt.Sprintf(`{"data": {"event_type": %q}}`, eventType)
	ex, err := w.send(ctx, target.Request{Method: "POST", Path: "/profiles/" + pid + "/events", Body: []byte(body)})
	if err != nil {
		return err
	}
	if ex.Status != 200 {
		return fmt.Errorf("raise %s event: got %d, want 200; body: %s", eventType, ex.Status, snippet(ex.ResponseBody))
	}
	w.mu.Lock()
	w.vars["event_id"] = gjson.GetBytes(ex.ResponseBody, "id").String()
	w.mu.Unlock()
	return nil
}

func resolveEvent(ctx context.Context, resolution string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	w.mu.Lock()
	pid, eid := w.profileID, w.vars["event_id"]
	w.mu.Unlock()
	if eid == "" {
		return fmt.Errorf("no event yet: raise one first")
	}
	body := fmt.Sprintf(`{"resolution": %q}`, resolution)
	ex, err := w.send(ctx, target.Request{Method: "POST", Path: "/profiles/" + pid + "/events/" + eid, Body: []byte(body)})
	if err != nil {
		return err
	}
	if ex.Status != 200 {
		return fmt.Errorf("resolve event as %s: got %d, want 200; body: %s", resolution, ex.Status, snippet(ex.ResponseBody))
	}
	return nil
}

// currentApplication GETs the scenario's application.
func (w *World) currentApplication(ctx context.Context) (gjson.Result, error) {
	pid, aid, err := w.ids()
	if err != nil {
		return gjson.Result{}, err
	}
	ex, err := w.send(ctx, target.Request{Method: "GET", Path: "/profiles/" + pid + "/applications/" + aid})
	if err != nil {
		return gjson.Result{}, err
	}
	if ex.Status != 200 {
		return gjson.Result{}, fmt.Errorf("fetch application: got %d, want 200; body: %s", ex.Status, snippet(ex.ResponseBody))
	}
	return gjson.ParseBytes(ex.ResponseBody), nil
}

func applicationFieldIs(ctx context.Context, field, want string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	app, err := w.currentApplication(ctx)
	if err != nil {
		return err
	}
	if got := app.Get(field).String(); got != want {
		return fmt.Errorf("application %s: got %s, want %s (status %s, flag %s)", field, got, want, app.Get("status"), app.Get("flag"))
	}
	return nil
}

// pollInterval is how often a bounded wait re-reads the application.
const pollInterval = 20 * time.Millisecond

func applicationFieldBecomes(ctx context.Context, seconds int, field, want string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var seen []string
	for {
		app, err := w.currentApplication(ctx)
		if err != nil {
			return err
		}
		got := app.Get(field).String()
		if got == want {
			return nil
		}
		if len(seen) == 0 || seen[len(seen)-1] != got {
			seen = append(seen, got)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("application %s: got %s after %ds, want %s (seen: %s)", field, got, seconds, want, strings.Join(seen, " → "))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollInterval):
		}
	}
}

func noBlockers(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	app, err := w.currentApplication(ctx)
	if err != nil {
		return err
	}
	if bs := app.Get("approval_blockers").Array(); len(bs) != 0 {
		return fmt.Errorf("approval_blockers: got %s, want none", compact(app.Get("approval_blockers").Raw))
	}
	return nil
}

func hasBlocker(ctx context.Context, blockerType string) error {
	return hasBlockerFor(ctx, blockerType, "")
}

func hasBlockerFor(ctx context.Context, blockerType, taskType string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	app, err := w.currentApplication(ctx)
	if err != nil {
		return err
	}
	for _, b := range app.Get("approval_blockers").Array() {
		if b.Get("blocker_type").String() == blockerType && (taskType == "" || b.Get("task_type").String() == taskType) {
			return nil
		}
	}
	want := blockerType
	if taskType != "" {
		want += " for " + taskType
	}
	return fmt.Errorf("approval_blockers: got %s, want one %s", compact(app.Get("approval_blockers").Raw), want)
}

func blockerCount(ctx context.Context, n int) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	app, err := w.currentApplication(ctx)
	if err != nil {
		return err
	}
	if got := len(app.Get("approval_blockers").Array()); got != n {
		return fmt.Errorf("approval_blockers: got %d (%s), want %d", got, compact(app.Get("approval_blockers").Raw), n)
	}
	return nil
}

// historyIs compares the application's status history, oldest first.
func historyIs(ctx context.Context, want string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	app, err := w.currentApplication(ctx)
	if err != nil {
		return err
	}
	var got []string
	for _, h := range app.Get("history").Array() {
		got = append(got, h.Get("status").String())
	}
	wantList := strings.Split(want, ",")
	for i := range wantList {
		wantList[i] = strings.TrimSpace(wantList[i])
	}
	if strings.Join(got, ", ") != strings.Join(wantList, ", ") {
		return fmt.Errorf("history: got %s, want %s", strings.Join(got, ", "), strings.Join(wantList, ", "))
	}
	return nil
}

func individualWithoutRiskData(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	body := map[string]any{
		"role": "INDIVIDUAL_CUSTOMER",
		"collected_data": map[string]any{
			"entity_type": "INDIVIDUAL", "customer_ref": w.env.RunID,
			"personal_details": map[string]any{"name": map[string]any{"given_names": []string{"Nora"}, "family_name": "Nodata"}},
		},
	}
	data, _ := json.Marshal(body)
	ex, err := w.send(ctx, target.Request{Method: "POST", Path: "/profiles", Body: data})
	if err != nil {
		return err
	}
	if ex.Status != 200 {
		return fmt.Errorf("create profile: got %d, want 200; body: %s", ex.Status, snippet(ex.ResponseBody))
	}
	id := gjson.GetBytes(ex.ResponseBody, "id").String()
	w.mu.Lock()
	w.profileID, w.profileRole = id, "INDIVIDUAL_CUSTOMER"
	w.vars["profile_id"] = id
	w.mu.Unlock()
	return nil
}
