package mock

import (
	"encoding/json"
	"fmt"
)

// bulkUpdateEvents serves POST /profiles/{profile_id}/events/bulk_update: all
// or nothing (decision D45, docs/decisions.md).
func (s *Server) bulkUpdateEvents(c *call) (any, *apiError) {
	if !c.jsonBody && !json.Valid(c.body) {
		return nil, invalid("The request body is not valid JSON")
	}
	items, ok := splitArray(c.body)
	if !ok {
		return nil, wrongType("body", c.body, "array")
	}
	if len(items) == 0 {
		return nil, invalid("body: got an empty array, want at least one event")
	}
	type update struct {
		id         id
		resolution uint8
		reason     string
		hasReason  bool
		taskIDs    []id
		hasTasks   bool
	}
	ups := make([]update, len(items))
	for i, raw := range items {
		where := fmt.Sprintf("body[%d]", i)
		o, e := asObject(raw, where)
		if e != nil {
			return nil, e
		}
		if e := o.missingKeys(where, "id", "resolution"); e != nil {
			return nil, e
		}
		v, _, e := o.str(where, "id")
		if e != nil {
			return nil, e
		}
		x, ok := parseID(v)
		if !ok {
			return nil, invalid("%s.id: got %q, want an 8-4-4-4-12 hex id", where, v)
		}
		for j := range i {
			if ups[j].id == x {
				return nil, invalid("%s.id: event %s is listed twice", where, x)
			}
		}
		u := update{id: x}
		if u.resolution, _, e = o.enum(where, "resolution", resolutionNames[:]); e != nil {
			return nil, e
		}
		if u.reason, u.hasReason, e = o.str(where, "resolution_reason"); e != nil {
			return nil, e
		}
		if u.taskIDs, u.hasTasks, e = o.ids(where, "resolution_task_ids"); e != nil {
			return nil, e
		}
		ups[i] = u
	}
	return s.moving(c, func(p *profile, t stamp) (any, *apiError) {
		idx := make([]int, len(ups))
		for i, u := range ups {
			idx[i] = -1
			for j := range p.events {
				if p.events[j].id == u.id {
					idx[i] = j
				}
			}
			if idx[i] < 0 {
				return nil, notFound("body[%d].id: event not found: %s", i, u.id)
			}
		}
		out := make([]eventJSON, len(ups))
		for i, u := range ups {
			ev := &p.events[idx[i]]
			ev.resolution, ev.resolvedAt = u.resolution, 0
			if u.resolution != resolutionUnresolved {
				ev.resolvedAt = t
			}
			if u.hasReason {
				ev.hasReason, ev.reason = true, u.reason
			}
			if u.hasTasks {
				ev.taskIDs = u.taskIDs
			}
		}
		for i := range ups {
			out[i] = renderEvent(&p.events[idx[i]])
		}
		p.record(t, "event-bulk-resolution", fmt.Sprintf("Resolved %d events", len(ups)), "", "", id{})
		p.last = t
		s.settleAll(p, t, causeEvents)
		p.touched()
		return out, nil
	})
}
