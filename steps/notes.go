package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/target"
)

// Ad-hoc tasks and their notes (decision D42), resolving events in bulk
// (decision D45), the audit trail (decision D46), and the profile's own
// status and deletion (decisions D14 and D17), all in docs/decisions.md.

func noteDefinitions() []Def {
	const g = "Tasks, notes, events and the audit trail"
	return append([]Def{
		{g, `^I add the task ` + quoted + ` to the profile$`, "Adds an ad-hoc task of this type to the profile; saves its id as {{task_id}}.", `When I add the task "INDIVIDUAL_MANUAL_TASK" to the profile`, addTask},
		{g, `^I add the note ` + quoted + ` to the task$`, "Adds a note to the task {{task_id}}; saves its id as {{note_id}}.", `When I add the note "Passport checked against the video call" to the task`, addNote},
		{g, `^I add the note ` + quoted + ` to the task with the file attached$`, "Adds a note with the file uploaded last ({{file_id}}) as its attachment.", `When I add the note "Utility bill attached" to the task with the file attached`, addNoteWithFile},
		{g, `^I list the task's notes$`, "GETs the notes of the task {{task_id}}.", `When I list the task's notes`, listNotes},
		{g, `^I delete the note$`, "DELETEs the note {{note_id}}; asserts nothing.", `When I delete the note`, deleteNote},
		{g, `^I resolve every open event as (MISMATCH|MATCH|IGNORE|CREATED_TASK) in one call$`, "Lists the profile's events and resolves every unresolved one with one bulk update.", `When I resolve every open event as MISMATCH in one call`, resolveEventsInBulk},
		{g, `^the profile's audit trail records ` + quoted + `$`, "Lists the profile's audit items: these actions appear in this order (oldest first), others may come between.", `Then the profile's audit trail records "created-profile, added-a-tag"`, auditRecords},
		{g, `^the profile's status is (NORMAL|SUSPENDED|BANNED)$`, "GETs the profile's status: it is this bare JSON string.", `Then the profile's status is SUSPENDED`, profileStatusIs},
		{g, `^I delete the profile$`, "Deletes the profile (POST .../delete, confirming its id); asserts nothing.", `When I delete the profile`, deleteProfile},
	}, eventTaskReadDefinitions(g)...)
}

func addTask(ctx context.Context, taskType string) error {
	return profilePost(ctx, "/tasks", map[string]any{"type": taskType}, saves{"task_id": "id"})
}

// taskPath returns the path of the task {{task_id}}.
func (w *World) taskPath() (string, error) {
	pid, err := w.profile()
	if err != nil {
		return "", err
	}
	tid, err := w.need("task_id", `add one with "When I add the task \"INDIVIDUAL_MANUAL_TASK\" to the profile", or save one as "task_id"`)
	if err != nil {
		return "", err
	}
	return "/profiles/" + pid + "/tasks/" + tid, nil
}

func postNote(ctx context.Context, body map[string]any) error {
	w, path, err := worldAnd(ctx, (*World).taskPath)
	if err != nil {
		return err
	}
	r, err := postJSON(path+"/notes", body)
	if err != nil {
		return err
	}
	_, err = w.sendSaving(ctx, r, saves{"note_id": "id"})
	return err
}

func addNote(ctx context.Context, text string) error {
	return postNote(ctx, map[string]any{"text": text})
}

func addNoteWithFile(ctx context.Context, text string) error {
	_, fid, err := worldNeed(ctx, "file_id", howUploadFile)
	if err != nil {
		return err
	}
	return postNote(ctx, map[string]any{"text": text, "attachments": []map[string]string{{"id": fid}}})
}

func listNotes(ctx context.Context) error {
	return fetchPath(ctx, func(w *World) (string, error) {
		path, err := w.taskPath()
		return path + "/notes", err
	})
}

func deleteNote(ctx context.Context) error {
	w, path, err := worldAnd(ctx, (*World).taskPath)
	if err != nil {
		return err
	}
	nid, err := w.need("note_id", `add one first: "When I add the note \"...\" to the task"`)
	if err != nil {
		return err
	}
	return sendStep(ctx, target.Request{Method: "DELETE", Path: path + "/notes/" + nid}, false)
}

func resolveEventsInBulk(ctx context.Context, resolution string) error {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return err
	}
	events, err := w.getOK(ctx, "list events", "/profiles/"+pid+"/events")
	if err != nil {
		return err
	}
	var items []map[string]any
	for _, e := range events.Array() {
		if r := e.Get("resolution"); r.String() == "UNRESOLVED" || r.Type == gjson.Null {
			items = append(items, map[string]any{"id": e.Get("id").String(), "resolution": resolution})
		}
	}
	if len(items) == 0 {
		return fmt.Errorf("profile's events: got no unresolved event, want at least one to resolve: %s", snippet([]byte(events.Raw)))
	}
	_, err = w.post(ctx, "/profiles/"+pid+"/events/bulk_update", items)
	return err
}

func auditRecords(ctx context.Context, want string) error {
	_, items, err := profileGetOK(ctx, "list audit items", "/audit-items")
	if err != nil {
		return err
	}
	var got []string
	for _, it := range items.Array() {
		got = append(got, it.Get("action").String())
	}
	wanted := list(want)
	i := 0
	for _, a := range got {
		if i < len(wanted) && a == wanted[i] {
			i++
		}
	}
	if i < len(wanted) {
		if len(got) == 0 {
			got = []string{"none"}
		}
		return fmt.Errorf("audit trail: got %s, want %s in this order (missing from %q on)", strings.Join(got, ", "), strings.Join(wanted, ", "), wanted[i])
	}
	return nil
}

func profileStatusIs(ctx context.Context, want string) error {
	_, got, err := profileGetOK(ctx, "get profile status", "/status")
	if err != nil {
		return err
	}
	if got.Type != gjson.String || got.String() != want {
		return fmt.Errorf("profile status: got %s, want %q (a bare JSON string)", compact(got.Raw), want)
	}
	return nil
}

func deleteProfile(ctx context.Context) error {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return err
	}
	_, err = w.post(ctx, "/profiles/"+pid+"/delete", map[string]string{"confirm_id": pid, "message": "deleted by the conformance suite"})
	return err
}
