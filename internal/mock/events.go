package mock

// Event operations (decision D15, docs/decisions.md): profile events such as
// monitoring hits. Each
// UNRESOLVED event blocks approval of the profile's open applications.

func (s *Server) eventIndex(p *profile, c *call) (int, *apiError) {
	x, ok := parseID(c.m.sub)
	if ok {
		for i := range p.events {
			if p.events[i].id == x {
				return i, nil
			}
		}
	}
	return -1, notFound("Event not found: %s", c.m.sub)
}

// listEvents serves GET /profiles/{profile_id}/events.
func (s *Server) listEvents(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		out := make([]eventJSON, len(p.events))
		for i := range p.events {
			out[i] = renderEvent(&p.events[i])
		}
		return out, nil
	})
}

// getEvent serves GET /profiles/{profile_id}/events/{event_id}.
func (s *Server) getEvent(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		i, e := s.eventIndex(p, c)
		if e != nil {
			return nil, e
		}
		out := renderEvent(&p.events[i])
		return &out, nil
	})
}

// createEvent serves POST /profiles/{profile_id}/events.
func (s *Server) createEvent(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	if !o.has("data") {
		return nil, missing("data")
	}
	data, _, e := o.obj("", "data")
	if e != nil {
		return nil, e
	}
	if !data.has("event_type") {
		return nil, missing("data.event_type")
	}
	etype, _, e := data.enum("data", "event_type", eventTypeNames[:])
	if e != nil {
		return nil, e
	}
	for _, k := range []string{"match_id", "match_name", "provider_name"} {
		if _, _, e := data.str("data", k); e != nil {
			return nil, e
		}
	}
	if score, ok, e := data.number("data", "score"); e != nil {
		return nil, e
	} else if ok && (score < 0 || score > 1) {
		return nil, invalid("data.score: got %g, want a number from 0 to 1", score)
	}
	resolution, _, e := o.enum("", "resolution", resolutionNames[:])
	if e != nil {
		return nil, e
	}
	reason, hasReason, e := o.str("", "resolution_reason")
	if e != nil {
		return nil, e
	}
	return s.moving(c, func(p *profile, t stamp) (any, *apiError) {
		ev := event{
			id: s.ids.next(), created: t, etype: etype, resolution: resolution,
			hasReason: hasReason, reason: reason, data: compact(o.value("data")),
		}
		if resolution != resolutionUnresolved {
			ev.resolvedAt = t
		}
		p.events = append(p.events, ev)
		p.last = t
		s.settleAll(p, t, causeEvents)
		p.touched()
		out := renderEvent(&p.events[len(p.events)-1])
		return &out, nil
	})
}

// updateEvent serves POST /profiles/{profile_id}/events/{event_id}: resolve
// (or un-resolve) the event.
func (s *Server) updateEvent(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	if !o.has("resolution") {
		return nil, missing("resolution")
	}
	resolution, _, e := o.enum("", "resolution", resolutionNames[:])
	if e != nil {
		return nil, e
	}
	reason, hasReason, e := o.str("", "resolution_reason")
	if e != nil {
		return nil, e
	}
	taskIDs, hasTasks, e := o.ids("", "resolution_task_ids")
	if e != nil {
		return nil, e
	}
	return s.moving(c, func(p *profile, t stamp) (any, *apiError) {
		i, e := s.eventIndex(p, c)
		if e != nil {
			return nil, e
		}
		ev := &p.events[i]
		ev.resolution = resolution
		ev.resolvedAt = 0
		if resolution != resolutionUnresolved {
			ev.resolvedAt = t
		}
		if hasReason {
			ev.hasReason, ev.reason = true, reason
		}
		if hasTasks {
			ev.taskIDs = taskIDs
		}
		p.last = t
		s.settleAll(p, t, causeEvents)
		p.touched()
		out := renderEvent(ev)
		return &out, nil
	})
}
