package mock

import (
	"encoding/json"
	"time"
)

// The JSON shapes of the contract's resources. The store keeps compact
// records; these are filled on demand, under the profile's lock, and encoded
// by their appendJSON methods (below), encoding/json's bytes without its
// reflection.

type productJSON struct {
	ID                   string `json:"id"`
	Alias                string `json:"alias"`
	Name                 string `json:"name"`
	AutomaticallyApprove bool   `json:"automatically_approve"`
}

type requiredTaskJSON struct {
	ID       string `json:"id"`
	TaskType string `json:"task_type"`
}

type blockerJSON struct {
	BlockerType string `json:"blocker_type"`
	TaskType    string `json:"task_type,omitempty"`
	TaskID      string `json:"task_id,omitempty"`
	EventID     string `json:"event_id,omitempty"`
}

type historyJSON struct {
	Status     string    `json:"status"`
	Date       string    `json:"date"`
	Decisioner *struct{} `json:"decisioner"` // always null: API keys and automation are not users
	Comment    *string   `json:"comment,omitempty"`
}

type flagHistoryJSON struct {
	Status string `json:"status"`
	Flag   string `json:"flag"`
	Date   string `json:"date"`
}

type applicationJSON struct {
	ID               string             `json:"id"`
	Product          *productJSON       `json:"product"`
	AssociatedRole   string             `json:"associated_role,omitempty"`
	Status           string             `json:"status"`
	Flag             string             `json:"flag"`
	Hidden           bool               `json:"hidden"`
	Assignments      [0]struct{}        `json:"assignments"`
	RequiredTasks    []requiredTaskJSON `json:"required_tasks"`
	ApprovalBlockers []blockerJSON      `json:"approval_blockers"`
	History          []historyJSON      `json:"history"`
	FlagHistory      []flagHistoryJSON  `json:"flag_history"`
}

type variantJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	TaskType string `json:"task_type"`
}

// taskJSON is a task; its booleans are always present, its variant and
// expiry dates only when they apply (decision D124, docs/decisions.md).
type taskJSON struct {
	ID         string      `json:"id"`
	Type       string      `json:"type"`
	Variant    variantJSON `json:"variant,omitzero"`
	State      string      `json:"state"`
	IsComplete bool        `json:"is_complete"`
	IsExpired  bool        `json:"is_expired"`
	IsDeleted  bool        `json:"is_deleted"` // the mock deletes no task
	IsSkipped  bool        `json:"is_skipped"` // nor skips one
	// NeedsCheckAutomation: the task waits on the check its product's policy
	// runs for it (a catalogue check_duration).
	NeedsCheckAutomation bool     `json:"needs_check_automation"`
	CreationDate         string   `json:"creation_date"`
	WillExpireAt         *string  `json:"will_expire_at,omitempty"`
	ExpiredAt            *string  `json:"expired_at,omitempty"`
	ExpiryReason         *string  `json:"expiry_reason,omitempty"`
	CheckIDs             []string `json:"check_ids"`
}

type eventJSON struct {
	ID                string          `json:"id"`
	CreationDate      string          `json:"creation_date"`
	Resolution        string          `json:"resolution"`
	ResolutionReason  *string         `json:"resolution_reason,omitempty"`
	ResolutionDate    *string         `json:"resolution_date,omitempty"`
	ResolutionTaskIDs []string        `json:"resolution_task_ids"`
	Data              json.RawMessage `json:"data"`
}

type taskProgressJSON struct {
	CompletedCount int `json:"completed_count"`
	TotalCount     int `json:"total_count"`
}

type profileJSON struct {
	ID                   string            `json:"id"`
	CreationDate         string            `json:"creation_date"`
	Role                 string            `json:"role"`
	DisplayName          string            `json:"display_name"`
	Category             string            `json:"category"`
	Status               string            `json:"status"`
	CollectedData        json.RawMessage   `json:"collected_data"`
	Applications         []applicationJSON `json:"applications"`
	Tasks                []taskJSON        `json:"tasks"`
	TaskTypes            []string          `json:"task_types"`
	TaskProgress         taskProgressJSON  `json:"task_progress"`
	Events               []eventJSON       `json:"events"`
	UnresolvedEventTypes []string          `json:"unresolved_event_types"`
	HasAssociates        bool              `json:"has_associates"`
	// Extras holds the encoded keys of decision D50 beyond the lifecycle's,
	// each preceded by a comma: made under the profile's lock.
	Extras json.RawMessage `json:"-"`
}

type profileSummaryJSON struct {
	ID           string `json:"id"`
	Role         string `json:"role"`
	DisplayName  string `json:"display_name"`
	CreationDate string `json:"creation_date"`
	Category     string `json:"category"`
	Status       string `json:"status"`
}

type searchJSON struct {
	Count   int                  `json:"count"`
	Limit   int                  `json:"limit"`
	Offset  int                  `json:"offset"`
	Results []profileSummaryJSON `json:"results"`
}

type whoAmIJSON struct {
	AuditeeName string          `json:"auditee_name"`
	Institution institutionJSON `json:"institution"`
	User        *struct{}       `json:"user"`
}

type institutionJSON struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	LogoURL *string `json:"logo_url"`
}

func (s *Server) renderApplication(p *profile, a *application) applicationJSON {
	out := applicationJSON{
		ID:            a.id.String(),
		Product:       &s.productJSON[a.product],
		Status:        statusNames[a.status],
		Flag:          flagNames[a.flag],
		Hidden:        a.hidden,
		RequiredTasks: make([]requiredTaskJSON, len(a.tasks)),
		History:       make([]historyJSON, len(a.history)),
		FlagHistory:   make([]flagHistoryJSON, len(a.flags)),
	}
	if a.assocRole != 0 {
		out.AssociatedRole = associatedRoleNames[a.assocRole]
	}
	for i, ti := range a.tasks {
		t := &p.tasks[ti]
		out.RequiredTasks[i] = requiredTaskJSON{ID: t.id.String(), TaskType: s.taskType(t)}
	}
	out.ApprovalBlockers = s.blockers(p, a, out.RequiredTasks)
	for i := range a.history {
		h := &a.history[i]
		out.History[i] = historyJSON{Status: statusNames[h.status], Date: dateTime(h.at)}
		if h.hasComment {
			out.History[i].Comment = &h.comment
		}
	}
	for i, f := range a.flags {
		out.FlagHistory[i] = flagHistoryJSON{Status: statusNames[f.status], Flag: flagNames[f.flag], Date: dateTime(f.at)}
	}
	return out
}

// blockers lists what stops approval of a now: an INCOMPLETE_TASK per required
// task not passed, an UNRESOLVED_EVENT per unresolved profile event, one
// SUSPENDED_PROFILE while the profile is suspended or banned, and
// UNDETERMINED_RISK while the product's risk model lacks data. Hidden,
// rejected and cancelled applications have none.
func (s *Server) blockers(p *profile, a *application, req []requiredTaskJSON) []blockerJSON {
	out := []blockerJSON{}
	if !a.open() {
		return out
	}
	for i, ti := range a.tasks {
		if !p.tasks[ti].passed() {
			out = append(out, blockerJSON{BlockerType: blockerIncompleteTask, TaskType: req[i].TaskType, TaskID: req[i].ID})
		}
	}
	for i := range p.events {
		if e := &p.events[i]; e.resolution == resolutionUnresolved {
			out = append(out, blockerJSON{BlockerType: blockerUnresolvedEvent, EventID: e.id.String()})
		}
	}
	if p.status != profileNormal {
		out = append(out, blockerJSON{BlockerType: blockerSuspendedProfile})
	}
	if s.product(a).NeedsRiskData && !p.riskData {
		out = append(out, blockerJSON{BlockerType: blockerUndeterminedRisk})
	}
	return out
}

func (s *Server) renderTask(t *task) taskJSON {
	v := s.variant(t)
	out := taskJSON{
		ID:                   t.id.String(),
		Type:                 v.TaskType,
		Variant:              variantJSON{ID: v.VariantID, Name: v.Name, TaskType: v.TaskType},
		State:                taskStateNames[t.state],
		IsComplete:           t.state != taskIncomplete,
		IsExpired:            t.expiry == expiryExpired,
		CreationDate:         dateTime(t.created),
		NeedsCheckAutomation: t.checkRunning,
		CheckIDs:             make([]string, len(t.checkIDs)),
	}
	for i, c := range t.checkIDs {
		out.CheckIDs[i] = c.String()
	}
	if t.expiresAt > 0 {
		d := dateTime(t.expiresAt)
		if t.expiry == expiryExpired {
			reason := "EXPIRY_PERIOD_ENDED"
			out.ExpiredAt, out.ExpiryReason = &d, &reason
		} else {
			out.WillExpireAt = &d
		}
	}
	return out
}

func renderEvent(e *event) eventJSON {
	out := eventJSON{
		ID:                e.id.String(),
		CreationDate:      dateTime(e.created),
		Resolution:        resolutionNames[e.resolution],
		ResolutionTaskIDs: make([]string, len(e.taskIDs)),
		Data:              e.data,
	}
	if e.hasReason {
		out.ResolutionReason = &e.reason
	}
	if e.resolvedAt > 0 {
		d := dateTime(e.resolvedAt)
		out.ResolutionDate = &d
	}
	for i, t := range e.taskIDs {
		out.ResolutionTaskIDs[i] = t.String()
	}
	return out
}

// category derives ProfileCategory from the applications: CUSTOMER while one
// is approved or in review, PREVIOUS_CUSTOMER once all such were cancelled,
// INACTIVE_APPLICANT when every application was rejected, else APPLICANT.
func category(p *profile) string {
	ever, open, hasApps := false, false, false
	for i := range p.apps {
		a := &p.apps[i]
		if a.hidden {
			continue
		}
		hasApps = true
		switch a.status {
		case statusApproved, statusInReview:
			return "CUSTOMER"
		case statusApplied:
			open = true
		}
		if a.everApproved {
			ever = true
		}
	}
	switch {
	case ever:
		return "PREVIOUS_CUSTOMER"
	case hasApps && !open:
		return "INACTIVE_APPLICANT"
	}
	return "APPLICANT"
}

func (s *Server) renderProfile(p *profile, now stamp) profileJSON {
	out := profileJSON{
		ID:                   p.id.String(),
		CreationDate:         dateTime(p.created),
		Role:                 roleNames[p.role],
		DisplayName:          p.displayName,
		Category:             category(p),
		Status:               profileStatusNames[p.status],
		CollectedData:        p.collected,
		Applications:         make([]applicationJSON, len(p.apps)),
		Tasks:                make([]taskJSON, len(p.tasks)),
		TaskTypes:            make([]string, len(p.tasks)),
		Events:               make([]eventJSON, len(p.events)),
		UnresolvedEventTypes: []string{},
		Extras:               s.profileExtras(p, now),
	}
	for i := range p.apps {
		out.Applications[i] = s.renderApplication(p, &p.apps[i])
	}
	for i := range p.tasks {
		t := &p.tasks[i]
		out.Tasks[i] = s.renderTask(t)
		out.TaskTypes[i] = out.Tasks[i].Type
		if t.state != taskIncomplete {
			out.TaskProgress.CompletedCount++
		}
	}
	out.TaskProgress.TotalCount = len(p.tasks)
	seen := uint16(0)
	for i := range p.events {
		e := &p.events[i]
		out.Events[i] = renderEvent(e)
		if e.resolution == resolutionUnresolved && seen&(1<<e.etype) == 0 {
			seen |= 1 << e.etype
			out.UnresolvedEventTypes = append(out.UnresolvedEventTypes, eventTypeNames[e.etype])
		}
	}
	return out
}

func (s *Server) renderSummary(p *profile) profileSummaryJSON {
	return profileSummaryJSON{
		ID:           p.id.String(),
		Role:         roleNames[p.role],
		DisplayName:  p.displayName,
		CreationDate: dateTime(p.created),
		Category:     category(p),
		Status:       profileStatusNames[p.status],
	}
}

// stampOf converts the clock's time to a stamp.
func stampOf(t time.Time) stamp { return t.UnixNano() }
