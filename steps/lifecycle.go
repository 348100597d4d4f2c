package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/lifecycle"
)

// decisions maps the guide's verbs to the status a manual decision sets.
var decisions = map[string]string{"approve": "APPROVED", "reject": "REJECTED", "cancel": "CANCELLED"}

// setStatus sends a manual status change. It asserts nothing: the scenario
// says whether it expects the change or its refusal.
func setStatus(ctx context.Context, status string) error {
	w, path, err := worldAnd(ctx, (*World).applicationPath)
	if err != nil {
		return err
	}
	_, err = w.post(ctx, path, map[string]string{"status": status})
	return err
}

func decide(ctx context.Context, verb string) error { return setStatus(ctx, decisions[verb]) }

func revertDecision(ctx context.Context) error {
	w, path, err := worldAnd(ctx, (*World).applicationPath)
	if err != nil {
		return err
	}
	ex, err := w.post(ctx, path+"/revert_decision", map[string]string{"comment": "reverted by the conformance suite"})
	if err != nil {
		return err
	}
	// In new_application mode the revert answers a new application: follow it.
	if ex.Status == 200 {
		if id := gjson.GetBytes(ex.ResponseBody, "id").String(); id != "" && !strings.HasSuffix(path, "/"+id) {
			w.setVar("reverted_application_id", path[strings.LastIndexByte(path, '/')+1:])
			w.setApplication(id)
		}
	}
	return nil
}

// taskID finds the profile's current (not expired) task of a type.
func (w *World) taskID(ctx context.Context, taskType string) (string, error) {
	pid, err := w.profile()
	if err != nil {
		return "", err
	}
	ex, err := w.get(ctx, "/profiles/"+pid+"/tasks")
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
	if len(types) == 0 {
		types = []string{"none"}
	}
	return "", fmt.Errorf("task %s: the profile has none; it has %s", taskType, strings.Join(types, ", "))
}

func (w *World) updateTask(ctx context.Context, id string, body map[string]any) error {
	pid, err := w.profile()
	if err != nil {
		return err
	}
	_, err = w.postOK(ctx, "update task "+id, "/profiles/"+pid+"/tasks/"+id, body)
	return err
}

// updateTaskOfType updates the profile's task of a type.
func updateTaskOfType(ctx context.Context, taskType string, body map[string]any) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	id, err := w.taskID(ctx, taskType)
	if err != nil {
		return err
	}
	return w.updateTask(ctx, id, body)
}

func completeTask(ctx context.Context, taskType, state string) error {
	return updateTaskOfType(ctx, taskType, map[string]any{"state": state})
}

func markTaskComplete(ctx context.Context, taskType string) error {
	return updateTaskOfType(ctx, taskType, map[string]any{"is_complete": true})
}

func reopenTask(ctx context.Context, taskType string) error {
	return completeTask(ctx, taskType, "INCOMPLETE")
}

// completeEveryTask completes every task the application requires.
func completeEveryTask(ctx context.Context, state string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	app, err := w.currentApplication(ctx)
	if err != nil {
		return err
	}
	required := app.Get("required_tasks")
	if !required.Exists() {
		// Optional in the contract (decision D116, docs/decisions.md): without
		// it the tasks to complete are unknown, and completing none would pass.
		return errors.New("application required_tasks: got nothing, want the tasks to complete")
	}
	for _, t := range required.Array() {
		if err := w.updateTask(ctx, t.Get("id").String(), map[string]any{"state": state}); err != nil {
			return err
		}
	}
	return nil
}

var profileStatusVerbs = map[string]string{"suspend": "SUSPENDED", "ban": "BANNED", "restore": "NORMAL"}

func changeProfileStatus(ctx context.Context, verb string) error {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return err
	}
	status := profileStatusVerbs[verb]
	// The body is a bare JSON string, as the published spec's ProfileStatus.
	_, err = w.postOK(ctx, "set profile status "+status, "/profiles/"+pid+"/status", []byte(`"`+status+`"`))
	return err
}

func raiseEvent(ctx context.Context, eventType string) error {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return err
	}
	ex, err := w.postOK(ctx, "raise "+eventType+" event", "/profiles/"+pid+"/events", map[string]any{"data": map[string]string{"event_type": eventType}})
	if err != nil {
		return err
	}
	w.setVar("event_id", gjson.GetBytes(ex.ResponseBody, "id").String())
	return nil
}

func resolveEvent(ctx context.Context, resolution string) error {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return err
	}
	eid, ok := w.variable("event_id")
	if !ok {
		return errors.New("no event yet: raise one first")
	}
	_, err = w.postOK(ctx, "resolve event as "+resolution, "/profiles/"+pid+"/events/"+eid, map[string]string{"resolution": resolution})
	return err
}

// currentApplication GETs the scenario's application.
func (w *World) currentApplication(ctx context.Context) (gjson.Result, error) {
	path, err := w.applicationPath()
	if err != nil {
		return gjson.Result{}, err
	}
	ex, err := w.get(ctx, path)
	if err != nil {
		return gjson.Result{}, err
	}
	if ex.Status != 200 {
		return gjson.Result{}, fmt.Errorf("fetch application: got %d, want 200; body: %s", ex.Status, snippet(ex.ResponseBody))
	}
	return gjson.ParseBytes(ex.ResponseBody), nil
}

// withApplication runs check on the scenario's application as it is now.
func withApplication(ctx context.Context, check func(app gjson.Result) error) error {
	return withCurrent(ctx, (*World).currentApplication, check)
}

// withCurrent runs check on what current fetches for the scenario now.
func withCurrent(ctx context.Context, current func(*World, context.Context) (gjson.Result, error), check func(gjson.Result) error) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	v, err := current(w, ctx)
	if err != nil {
		return err
	}
	return check(v)
}

func applicationFieldIs(ctx context.Context, field, want string) error {
	return withApplication(ctx, func(app gjson.Result) error {
		if got := app.Get(field).String(); got != want {
			return fmt.Errorf("application %s: got %s, want %s (status %s, flag %s)", field, got, want, app.Get("status"), app.Get("flag"))
		}
		return nil
	})
}

func applicationFieldBecomes(ctx context.Context, seconds int, field, want string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	b := w.within(seconds)
	got, seen, done, err := w.waitForApplicationField(ctx, b, field, func(v string) bool { return v == want })
	if err != nil || done {
		return err
	}
	return fmt.Errorf("application %s: got %s after %s, want %s (seen: %s)", field, got, b, want, strings.Join(seen, " → "))
}

// waitForApplicationField re-reads the current application until its field
// satisfies ok or the bound has passed. It returns the last value, the
// distinct values seen in order (for the failure message) and whether ok
// was met. An application without the field (an older account's has no
// flag: decision D116, docs/decisions.md) shows as "no <field>" there, and
// ok is asked about "".
func (w *World) waitForApplicationField(ctx context.Context, b bound, field string, ok func(string) bool) (got string, seen []string, done bool, err error) {
	done, err = poll(ctx, b, func() (bool, error) {
		app, err := w.currentApplication(ctx)
		if err != nil {
			return false, err
		}
		v := app.Get(field)
		got = v.String()
		if !v.Exists() {
			got = "no " + field
		}
		if len(seen) == 0 || seen[len(seen)-1] != got {
			seen = append(seen, got)
		}
		return ok(v.String()), nil
	})
	return got, seen, done, err
}

func noBlockers(ctx context.Context) error { return blockerCount(ctx, 0) }

func hasBlocker(ctx context.Context, blockerType string) error {
	return hasBlockerFor(ctx, blockerType, "")
}

func hasBlockerFor(ctx context.Context, blockerType, taskType string) error {
	return withApplication(ctx, func(app gjson.Result) error {
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
	})
}

func blockerCount(ctx context.Context, n int) error {
	return withApplication(ctx, func(app gjson.Result) error {
		if got := len(app.Get("approval_blockers").Array()); got != n {
			return fmt.Errorf("approval_blockers: got %d (%s), want %d", got, compact(app.Get("approval_blockers").Raw), n)
		}
		return nil
	})
}

// historyIs compares the application's status history, oldest first.
func historyIs(ctx context.Context, want string) error {
	return historyEquals(ctx, statusList(want), "")
}

// revertHistoryIs checks the history after a revert, written as revert_mode
// same_id shows it: the old history, the reverted decision, the status it
// restored. Under revert_mode new_application the scenario follows the new
// application, whose history is the old one minus the reverted decision:
// the written one without its last two entries (decision D100,
// docs/decisions.md).
func revertHistoryIs(ctx context.Context, written string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	want := statusList(written)
	if w.env.Model == nil || w.env.Model.Option("revert_mode") != lifecycle.RevertNewApplication {
		return historyEquals(ctx, want, "")
	}
	if len(want) < 3 {
		return fmt.Errorf("history after the revert: got %q, want at least three statuses (the history, the reverted decision, the status restored)", written)
	}
	return historyEquals(ctx, want[:len(want)-2], fmt.Sprintf(" (revert_mode new_application: %q without the reverted decision)", written))
}

func statusList(s string) []string {
	list := strings.Split(s, ",")
	for i := range list {
		list[i] = strings.TrimSpace(list[i])
	}
	return list
}

// historyEquals checks the application's history statuses, oldest first;
// note follows the want of a failure.
func historyEquals(ctx context.Context, want []string, note string) error {
	return withApplication(ctx, func(app gjson.Result) error {
		var got []string
		for _, h := range app.Get("history").Array() {
			got = append(got, h.Get("status").String())
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			return fmt.Errorf("history: got %s, want %s%s", strings.Join(got, ", "), strings.Join(want, ", "), note)
		}
		return nil
	})
}

// flagHistoryIncludes checks that the application showed a flag at some
// point: short-lived flags are in flag_history even when no read caught them.
func flagHistoryIncludes(ctx context.Context, flag string) error {
	return withApplication(ctx, func(app gjson.Result) error {
		history := app.Get("flag_history")
		if !history.Exists() { // optional in the contract: decision D116
			return fmt.Errorf("flag_history: got nothing, want it to include %s", flag)
		}
		var seen []string
		for _, h := range history.Array() {
			if h.Get("flag").String() == flag {
				return nil
			}
			seen = append(seen, h.Get("flag").String())
		}
		return fmt.Errorf("flag_history: got %s, want it to include %s", strings.Join(seen, ", "), flag)
	})
}

func individualWithoutRiskData(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	return w.createProfileWith(ctx, "INDIVIDUAL_CUSTOMER", map[string]any{
		"role": "INDIVIDUAL_CUSTOMER",
		"collected_data": map[string]any{
			"entity_type": "INDIVIDUAL", "customer_ref": w.env.RunID,
			"personal_details": map[string]any{"name": map[string]any{"given_names": []string{"Nora"}, "family_name": "Nodata"}},
		},
	})
}
