package lifecycle

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// appSnap is the part of a ProductApplication the checker reads. Small
// structs rather than maps keep a snapshot cheap to decode.
type appSnap struct {
	ID               string         `json:"id"`
	Status           string         `json:"status"`
	Flag             string         `json:"flag"`
	Hidden           *bool          `json:"hidden"`
	AssociatedRole   string         `json:"associated_role"`
	Product          *productRef    `json:"product"`
	ApprovalBlockers []blocker      `json:"approval_blockers"`
	RequiredTasks    []requiredTask `json:"required_tasks"`
	History          []historyEntry `json:"history"`
	FlagHistory      []flagEntry    `json:"flag_history"`
}

type productRef struct {
	ID    string `json:"id"`
	Alias string `json:"alias"`
}

type blocker struct {
	BlockerType string `json:"blocker_type"`
	TaskType    string `json:"task_type"`
	EventID     string `json:"event_id"`
}

type requiredTask struct {
	ID       string `json:"id"`
	TaskType string `json:"task_type"`
}

type historyEntry struct {
	Status string `json:"status"`
	Date   string `json:"date"`
}

type flagEntry struct {
	Status string `json:"status"`
	Flag   string `json:"flag"`
	Date   string `json:"date"`
}

// task is the part of a TaskResource the exact blocker rule reads.
type task struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	State      string `json:"state"`
	IsComplete *bool  `json:"is_complete"`
	IsExpired  bool   `json:"is_expired"`
}

// Task states: decision D13 (docs/decisions.md).
const (
	taskIncomplete    = "INCOMPLETE"
	taskCompletedPass = "COMPLETED_PASS"
)

// incomplete reports whether a task is open. An old target that sends only
// is_complete is read from that.
func (t *task) incomplete() bool {
	if t.State != "" {
		return t.State == taskIncomplete
	}
	return t.IsComplete != nil && !*t.IsComplete
}

func (t *task) passed() bool {
	if t.State != "" {
		return t.State == taskCompletedPass
	}
	return t.IsComplete != nil && *t.IsComplete
}

// checkSnap is the part of a CheckResource running-check-holds-application reads.
type checkSnap struct {
	ID      string   `json:"id"`
	State   string   `json:"state"`
	TaskIDs []string `json:"task_ids"`
}

// Check states that hold an application (decision D56).
const (
	checkPending = "PENDING"
	checkRunning = "RUNNING"
)

// node is any object a response may hold: an application, a profile (with
// applications and tasks) or a profile list (with results). One decode reads
// whichever it is.
type node struct {
	appSnap
	Applications []node      `json:"applications"`
	Results      []node      `json:"results"`
	Tasks        []task      `json:"tasks"`
	Checks       []checkSnap `json:"checks"`
}

// isApp tells an application from a profile: a profile has an id and a
// status too, but no product, flag or history.
func (n *node) isApp() bool {
	return n.ID != "" && (n.Product != nil || n.Flag != "" || n.History != nil)
}

// found is one application snapshot located in a response body.
type found struct {
	app *appSnap
	// pointer is the JSON pointer of the application in the body, "" at the top.
	pointer string
	// profileID is the profile the application belongs to, "" if unknown.
	profileID string
	// tasks are the profile's tasks from the same body, when tasksSeen.
	tasks     []task
	tasksSeen bool
	// checks are the profile's checks from the same body, when checksSeen
	// (then tasksSeen too).
	checks     []checkSnap
	checksSeen bool
}

// extract finds every application snapshot in a response body: a single
// application, an array of them, a profile's applications, a profile list's
// results[].applications. A field of the wrong type is skipped (the contract
// check reports it); a body that is not JSON gives nothing.
func extract(body []byte, profileID string) []found {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	var out []found
	switch body[0] {
	case '[':
		var arr []node
		if !decode(body, &arr) {
			return nil
		}
		for i := range arr {
			if arr[i].isApp() {
				out = append(out, found{app: &arr[i].appSnap, pointer: "/" + strconv.Itoa(i), profileID: profileID})
			}
		}
	case '{':
		var n node
		if !decode(body, &n) {
			return nil
		}
		if n.isApp() {
			return []found{{app: &n.appSnap, profileID: profileID}}
		}
		out = profileApps(out, &n, "", profileID)
		for i := range n.Results {
			out = profileApps(out, &n.Results[i], "/results/"+strconv.Itoa(i), "")
		}
	}
	return out
}

func profileApps(out []found, p *node, prefix, profileID string) []found {
	if p.ID != "" {
		profileID = p.ID
	}
	for i := range p.Applications {
		a := &p.Applications[i]
		if !a.isApp() {
			continue
		}
		out = append(out, found{
			app:        &a.appSnap,
			pointer:    prefix + "/applications/" + strconv.Itoa(i),
			profileID:  profileID,
			tasks:      p.Tasks,
			tasksSeen:  p.Tasks != nil,
			checks:     p.Checks,
			checksSeen: p.Tasks != nil && p.Checks != nil,
		})
	}
	return out
}

// decode unmarshals, keeping what decoded when only some field had the wrong type.
func decode(body []byte, v any) bool {
	err := json.Unmarshal(body, v)
	var typeErr *json.UnmarshalTypeError
	return err == nil || errors.As(err, &typeErr)
}

// request is what the checker reads from an exchange's request.
type request struct {
	method    string
	profileID string
	appID     string
	// cause is CauseManual for a status change, CauseRevert for
	// revert_decision, CauseAutomatic otherwise.
	cause string
	// status is the status a manual change asked for.
	status string
	// tasksList: GET /profiles/{profile_id}/tasks.
	tasksList bool
}

// parseRequest reads the path below the base URL: /profiles/{profile_id}/...
func parseRequest(method, path string, body []byte) request {
	r := request{method: method, cause: CauseAutomatic}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	// Tolerate a base path kept in the request path (e.g. "/4.0/profiles/...").
	for i, s := range segs {
		if s == "profiles" {
			segs = segs[i:]
			break
		}
	}
	if len(segs) < 2 || segs[0] != "profiles" {
		return r
	}
	r.profileID = segs[1]
	rest := segs[2:]
	switch {
	case len(rest) == 1 && rest[0] == "tasks" && method == "GET":
		r.tasksList = true
	case len(rest) >= 2 && rest[0] == "applications":
		r.appID = rest[1]
		if method != "POST" {
			break
		}
		if len(rest) == 3 && rest[2] == "revert_decision" {
			r.cause = CauseRevert
		} else if len(rest) == 2 {
			var b struct {
				Status *string `json:"status"`
			}
			if json.Unmarshal(body, &b) == nil && b.Status != nil {
				r.cause, r.status = CauseManual, *b.Status
			}
		}
	}
	return r
}

func (r *request) mutates() bool {
	return r.method != "" && r.method != "GET" && r.method != "HEAD" && r.method != "OPTIONS"
}
