package mock

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// Hand-written JSON encoding of the shapes of render.go. Every response of the hot
// paths (an application, a profile, a task) goes through these instead of
// encoding/json's reflection: the bytes are the same as
// json.Encoder.Encode with SetEscapeHTML(false) would write, without the
// final newline (render_test.go holds them to that).

// jsonAppender is a response body that encodes itself.
type jsonAppender interface {
	appendJSON(b []byte) []byte
}

// appendJSONString appends s as a JSON string, escaped as encoding/json does
// with HTML escaping off: \" \\ \b \f \n \r \t, \u00XX for other control
// characters, \ufffd for invalid UTF-8, \u2028 and \u2029.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0x0f])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0x0f])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendKey appends "key": after a '{' or a previous member (comma first).
func appendKey(b []byte, key string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// appendRaw appends an already encoded JSON value; nil is null.
func appendRaw(b []byte, raw json.RawMessage) []byte {
	if raw == nil {
		return append(b, "null"...)
	}
	return append(b, raw...)
}

// appendArray appends xs as a JSON array, each element by each; nil is null.
func appendArray[T any](b []byte, xs []T, each func(*T, []byte) []byte) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(&xs[i], b)
	}
	return append(b, ']')
}

// appendStrings appends a []string; nil is null.
func appendStrings(b []byte, v []string) []byte {
	return appendArray(b, v, func(s *string, b []byte) []byte { return appendJSONString(b, *s) })
}

// appendOptString appends a *string; nil is null.
func appendOptString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendJSONString(b, *s)
}

func (p *productJSON) appendJSON(b []byte) []byte {
	b = appendKey(append(b, '{'), "id", true)
	b = appendJSONString(b, p.ID)
	b = appendKey(b, "alias", false)
	b = appendJSONString(b, p.Alias)
	b = appendKey(b, "name", false)
	b = appendJSONString(b, p.Name)
	b = appendKey(b, "automatically_approve", false)
	b = appendBool(b, p.AutomaticallyApprove)
	return append(b, '}')
}

func (a *applicationJSON) appendJSON(b []byte) []byte {
	b = appendKey(append(b, '{'), "id", true)
	b = appendJSONString(b, a.ID)
	b = appendKey(b, "product", false)
	if a.Product == nil {
		b = append(b, "null"...)
	} else {
		b = a.Product.appendJSON(b)
	}
	if a.AssociatedRole != "" {
		b = appendKey(b, "associated_role", false)
		b = appendJSONString(b, a.AssociatedRole)
	}
	b = appendKey(b, "status", false)
	b = appendJSONString(b, a.Status)
	b = appendKey(b, "flag", false)
	b = appendJSONString(b, a.Flag)
	b = appendKey(b, "hidden", false)
	b = appendBool(b, a.Hidden)
	b = appendKey(b, "assignments", false)
	b = append(b, '[', ']')
	b = appendKey(b, "required_tasks", false)
	b = appendArray(b, a.RequiredTasks, (*requiredTaskJSON).appendJSON)
	b = appendKey(b, "approval_blockers", false)
	b = appendArray(b, a.ApprovalBlockers, (*blockerJSON).appendJSON)
	b = appendKey(b, "history", false)
	b = appendArray(b, a.History, (*historyJSON).appendJSON)
	b = appendKey(b, "flag_history", false)
	b = appendArray(b, a.FlagHistory, (*flagHistoryJSON).appendJSON)
	return append(b, '}')
}

func (t *requiredTaskJSON) appendJSON(b []byte) []byte {
	b = appendKey(append(b, '{'), "id", true)
	b = appendJSONString(b, t.ID)
	b = appendKey(b, "task_type", false)
	b = appendJSONString(b, t.TaskType)
	return append(b, '}')
}

func (x *blockerJSON) appendJSON(b []byte) []byte {
	b = appendKey(append(b, '{'), "blocker_type", true)
	b = appendJSONString(b, x.BlockerType)
	if x.TaskType != "" {
		b = appendKey(b, "task_type", false)
		b = appendJSONString(b, x.TaskType)
	}
	if x.TaskID != "" {
		b = appendKey(b, "task_id", false)
		b = appendJSONString(b, x.TaskID)
	}
	if x.EventID != "" {
		b = appendKey(b, "event_id", false)
		b = appendJSONString(b, x.EventID)
	}
	return append(b, '}')
}

func (h *historyJSON) appendJSON(b []byte) []byte {
	b = appendKey(append(b, '{'), "status", true)
	b = appendJSONString(b, h.Status)
	b = appendKey(b, "date", false)
	b = appendJSONString(b, h.Date)
	b = appendKey(b, "decisioner", false)
	if h.Decisioner == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '{', '}')
	}
	if h.Comment != nil {
		b = appendKey(b, "comment", false)
		b = appendJSONString(b, *h.Comment)
	}
	return append(b, '}')
}

func (f *flagHistoryJSON) appendJSON(b []byte) []byte {
	b = appendKey(append(b, '{'), "status", true)
	b = appendJSONString(b, f.Status)
	b = appendKey(b, "flag", false)
	b = appendJSONString(b, f.Flag)
	b = appendKey(b, "date", false)
	b = appendJSONString(b, f.Date)
	return append(b, '}')
}

func (t *taskJSON) appendJSON(b []byte) []byte {
	b = appendKey(append(b, '{'), "id", true)
	b = appendJSONString(b, t.ID)
	b = appendKey(b, "type", false)
	b = appendJSONString(b, t.Type)
	if t.Variant.ID != "" { // an ad-hoc task may have no variant
		b = appendKey(b, "variant", false)
		b = appendKey(append(b, '{'), "id", true)
		b = appendJSONString(b, t.Variant.ID)
		b = appendKey(b, "name", false)
		b = appendJSONString(b, t.Variant.Name)
		b = appendKey(b, "task_type", false)
		b = appendJSONString(b, t.Variant.TaskType)
		b = append(b, '}')
	}
	b = appendKey(b, "state", false)
	b = appendJSONString(b, t.State)
	b = appendKey(b, "is_complete", false)
	b = appendBool(b, t.IsComplete)
	b = appendKey(b, "is_expired", false)
	b = appendBool(b, t.IsExpired)
	b = appendKey(b, "is_deleted", false)
	b = appendBool(b, t.IsDeleted)
	b = appendKey(b, "is_skipped", false)
	b = appendBool(b, t.IsSkipped)
	b = appendKey(b, "needs_check_automation", false)
	b = appendBool(b, t.NeedsCheckAutomation)
	b = appendKey(b, "creation_date", false)
	b = appendJSONString(b, t.CreationDate)
	b = appendOmittable(b, "will_expire_at", t.WillExpireAt)
	b = appendOmittable(b, "expired_at", t.ExpiredAt)
	b = appendOmittable(b, "expiry_reason", t.ExpiryReason)
	b = appendKey(b, "check_ids", false)
	b = appendStrings(b, t.CheckIDs)
	return append(b, '}')
}

func (e *eventJSON) appendJSON(b []byte) []byte {
	b = appendKey(append(b, '{'), "id", true)
	b = appendJSONString(b, e.ID)
	b = appendKey(b, "creation_date", false)
	b = appendJSONString(b, e.CreationDate)
	b = appendKey(b, "resolution", false)
	b = appendJSONString(b, e.Resolution)
	b = appendOmittable(b, "resolution_reason", e.ResolutionReason)
	b = appendOmittable(b, "resolution_date", e.ResolutionDate)
	b = appendKey(b, "resolution_task_ids", false)
	b = appendStrings(b, e.ResolutionTaskIDs)
	b = appendKey(b, "data", false)
	b = appendRaw(b, e.Data)
	return append(b, '}')
}

func (p *profileJSON) appendJSON(b []byte) []byte {
	b = appendKey(append(b, '{'), "id", true)
	b = appendJSONString(b, p.ID)
	b = appendKey(b, "creation_date", false)
	b = appendJSONString(b, p.CreationDate)
	b = appendKey(b, "role", false)
	b = appendJSONString(b, p.Role)
	b = appendKey(b, "display_name", false)
	b = appendJSONString(b, p.DisplayName)
	b = appendKey(b, "category", false)
	b = appendJSONString(b, p.Category)
	b = appendKey(b, "status", false)
	b = appendJSONString(b, p.Status)
	b = appendKey(b, "collected_data", false)
	b = appendRaw(b, p.CollectedData)
	b = appendKey(b, "applications", false)
	b = applicationsJSON(p.Applications).appendJSON(b)
	b = appendKey(b, "tasks", false)
	b = tasksJSON(p.Tasks).appendJSON(b)
	b = appendKey(b, "task_types", false)
	b = appendStrings(b, p.TaskTypes)
	b = appendKey(b, "task_progress", false)
	b = appendKey(append(b, '{'), "completed_count", true)
	b = strconv.AppendInt(b, int64(p.TaskProgress.CompletedCount), 10)
	b = appendKey(b, "total_count", false)
	b = strconv.AppendInt(b, int64(p.TaskProgress.TotalCount), 10)
	b = append(b, '}')
	b = appendKey(b, "events", false)
	b = appendArray(b, p.Events, (*eventJSON).appendJSON)
	b = appendKey(b, "unresolved_event_types", false)
	b = appendStrings(b, p.UnresolvedEventTypes)
	b = appendKey(b, "has_associates", false)
	b = appendBool(b, p.HasAssociates)
	b = append(b, p.Extras...)
	return append(b, '}')
}

// applicationsJSON is the body of GET .../applications.
type applicationsJSON []applicationJSON

func (v applicationsJSON) appendJSON(b []byte) []byte {
	return appendArray(b, v, (*applicationJSON).appendJSON)
}

// tasksJSON is the body of GET .../tasks.
type tasksJSON []taskJSON

func (v tasksJSON) appendJSON(b []byte) []byte {
	return appendArray(b, v, (*taskJSON).appendJSON)
}

// appendOmittable appends `,"key":"value"` when v is set; an optional
// field the encoder leaves out, as encoding/json's omitempty does with nil.
func appendOmittable(b []byte, key string, v *string) []byte {
	if v == nil {
		return b
	}
	return appendJSONString(appendKey(b, key, false), *v)
}
