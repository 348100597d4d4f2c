package steps

import (
	"context"
	"strings"

	"github.com/passfort-conformance/harness/internal/target"
)

// Reads in PassFort's words (who the key belongs to, the profiles by
// category or name, one event, one task), the writes their refusals need
// (an event or a task state the scenario may expect refused), and a profile
// no target knows, so a negative scenario reads as the guide does rather
// than as a raw request.

// UnknownID is a well-formed id that names nothing on any target: the
// profile "an unknown profile" acts on, and the value of {{unknown_id}}.
const UnknownID = "a2c4393a-e219-67a4-5ab4-2186952e9038"

// unknownIDVar is the variable every step expands to UnknownID, unless the
// scenario saved a value under that name.
const unknownIDVar = "unknown_id"

const (
	profileCategory = `(?:CUSTOMER|PREVIOUS_CUSTOMER|APPLICANT|INACTIVE_APPLICANT)`
	// categoryList is one or more categories: "CUSTOMER",
	// "CUSTOMER and APPLICANT", "CUSTOMER, APPLICANT and PREVIOUS_CUSTOMER".
	categoryList = `(` + profileCategory + `(?:(?:, | and )` + profileCategory + `)*)`
)

// profileReadDefinitions are the profile and key steps, in the
// vocabulary's "Profiles and applications" group.
func profileReadDefinitions(group string) []Def {
	return []Def{
		{group, `^an unknown profile$`, "Saves a well-formed id that names no profile (the value of {{unknown_id}}) as {{profile_id}}: the profile steps that follow act on a profile the target does not know, for 404 scenarios.", `Given an unknown profile`, anUnknownProfile},
		{group, `^I ask who I am$`, "GETs /whoami: the institution (and user) the API key belongs to.", `When I ask who I am`, whoAmI},
		{group, `^I list the (?:` + categoryList + ` )?profiles$`, "GETs the first page of profiles, of the categories named (CUSTOMER, PREVIOUS_CUSTOMER, APPLICANT, INACTIVE_APPLICANT; several joined by commas and \"and\"), or of every category.", `When I list the CUSTOMER profiles`, listProfiles},
		{group, `^I search the (?:` + categoryList + ` )?profiles for ` + quoted + `$`, "GETs the first page of profiles whose name holds the text (q), of the categories named or of every category.", `When I search the CUSTOMER and APPLICANT profiles for "quixote"`, searchProfiles},
	}
}

// eventTaskReadDefinitions are the event and task steps, in the
// vocabulary's "Tasks, notes, events and the audit trail" group.
func eventTaskReadDefinitions(group string) []Def {
	return []Def{
		{group, `^I raise an? ` + quoted + ` event on the profile$`, "POSTs a profile event of this type; saves its id as {{event_id}} from a 200; asserts nothing, so the scenario can expect a refusal.", `When I raise a "PEP_FLAG" event on the profile`, raiseEventAsIs},
		{group, `^I list the profile's events$`, "GETs the profile's events.", `When I list the profile's events`, listEvents},
		{group, `^I fetch the event$`, "GETs the event {{event_id}}.", `When I fetch the event`, fetchEvent},
		{group, `^I list the profile's tasks$`, "GETs the profile's tasks.", `When I list the profile's tasks`, listTasks},
		{group, `^I fetch the task$`, "GETs the task {{task_id}}.", `When I fetch the task`, fetchTask},
		{group, `^I set the task's state to ([A-Z_]+)$`, "POSTs this state to the task {{task_id}} (any word, so a scenario can send one outside the enum); asserts nothing.", `When I set the task's state to COMPLETED_FAIL`, setTaskState},
	}
}

func anUnknownProfile(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	w.setVar("profile_id", UnknownID)
	return nil
}

func whoAmI(ctx context.Context) error {
	return sendStep(ctx, target.Request{Method: "GET", Path: "/whoami"}, false)
}

// categoriesQuery turns a step's category list into the comma-separated
// value of the categories parameter; "" when none was named.
func categoriesQuery(cats string) string {
	cats = strings.ReplaceAll(cats, " and ", ",")
	return strings.ReplaceAll(cats, ", ", ",")
}

func listProfiles(ctx context.Context, cats string) error {
	return sendStep(ctx, target.Request{Method: "GET", Path: profilesPath(cats, "")}, false)
}

func searchProfiles(ctx context.Context, cats, text string) error {
	w, text, err := worldExpand(ctx, text)
	if err != nil {
		return err
	}
	_, err = w.get(ctx, profilesPath(cats, text))
	return err
}

// profilesPath is GET /profiles with q and categories when given.
func profilesPath(cats, text string) string {
	var pairs []string
	if text != "" {
		pairs = append(pairs, "q", text)
	}
	if c := categoriesQuery(cats); c != "" {
		pairs = append(pairs, "categories", c)
	}
	if len(pairs) == 0 {
		return "/profiles"
	}
	return "/profiles?" + query(pairs...)
}

// raiseEventAsIs leaves the event type's {{variables}} to the send, which
// expands the body once; expanding them here too would expand a saved
// value holding "{{" a second time.
func raiseEventAsIs(ctx context.Context, eventType string) error {
	return profilePost(ctx, "/events", map[string]any{"data": map[string]string{"event_type": eventType}}, saves{"event_id": "id"})
}

func listEvents(ctx context.Context) error { return fetchProfilePath(ctx, "/events") }

func fetchEvent(ctx context.Context) error {
	return fetchPath(ctx, func(w *World) (string, error) {
		pid, err := w.profile()
		if err != nil {
			return "", err
		}
		eid, err := w.need("event_id", `raise one first: "When an unresolved \"PEP_FLAG\" event is raised on the profile"`)
		if err != nil {
			return "", err
		}
		return "/profiles/" + pid + "/events/" + eid, nil
	})
}

func listTasks(ctx context.Context) error { return fetchProfilePath(ctx, "/tasks") }

func fetchTask(ctx context.Context) error { return fetchPath(ctx, (*World).taskPath) }

func setTaskState(ctx context.Context, state string) error {
	w, path, err := worldAnd(ctx, (*World).taskPath)
	if err != nil {
		return err
	}
	r, err := postJSON(path, map[string]any{"state": state})
	if err != nil {
		return err
	}
	_, err = w.send(ctx, r)
	return err
}
