package mock

import "encoding/json"

// Product application operations: list, add (decisions D8 and D20), get,
// status update (D9) and revert_decision (D10); the decisions are in
// docs/decisions.md.

func (s *Server) application(p *profile, c *call) (*application, *apiError) {
	x, ok := parseID(c.m.sub)
	if !ok {
		return nil, notFound("Application not found: %s", c.m.sub)
	}
	a := p.app(x)
	if a == nil {
		return nil, notFound("Application not found: %s", c.m.sub)
	}
	return a, nil
}

// listApplications serves GET /profiles/{profile_id}/applications.
func (s *Server) listApplications(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		out := make(applicationsJSON, len(p.apps))
		for i := range p.apps {
			out[i] = s.renderApplication(p, &p.apps[i])
		}
		return out, nil
	})
}

// getApplication serves GET /profiles/{profile_id}/applications/{application_id}.
func (s *Server) getApplication(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		a, e := s.application(p, c)
		if e != nil {
			return nil, e
		}
		out := s.renderApplication(p, a)
		return &out, nil
	})
}

// addApplicationOp serves POST /profiles/{profile_id}/applications.
func (s *Server) addApplicationOp(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	prod, assoc, e := s.readApplicationRequest(o, "")
	if e != nil {
		// An unknown profile is 404 before the body's fields and the product
		// they name are checked (decision D88, docs/decisions.md).
		if pe := s.profileMissing(c); pe != nil {
			return nil, pe
		}
		return nil, e
	}
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		if e := s.fits(prod, assoc, p.role, ""); e != nil {
			return nil, e
		}
		for i := range p.apps {
			if a := &p.apps[i]; a.product == uint16(prod) && a.open() {
				return nil, conflict(codeDataPresent, "The profile already has an open application for %s: %s", s.products[prod].Alias, a.id)
			}
		}
		if e := s.store.appRoom(len(p.apps), 1); e != nil {
			return nil, e
		}
		if e := s.store.full(); e != nil {
			return nil, e
		}
		a := s.addApplication(p, prod, assoc, t)
		out := s.renderApplication(p, a)
		return &out, nil
	})
}

// profileMissing returns the 404 of a request whose profile does not exist
// (or was deleted), nil when it does.
func (s *Server) profileMissing(c *call) *apiError {
	p, e := s.lookup(c)
	if e != nil {
		return e
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.deleted {
		return notFound("Profile not found: %s", c.m.profile)
	}
	return nil
}

// updateApplication serves POST /profiles/{profile_id}/applications/{application_id}:
// a client's decision, refused by the lifecycle rules when illegal.
func (s *Server) updateApplication(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	if !o.has("status") {
		return nil, missing("status")
	}
	to, _, e := o.enum("", "status", statusNames[:])
	if e != nil {
		return nil, e
	}
	comment, hasComment, e := o.str("", "comment")
	if e != nil {
		return nil, e
	}
	return s.moving(c, func(p *profile, t stamp) (any, *apiError) {
		a, e := s.application(p, c)
		if e != nil {
			return nil, e
		}
		if a.hidden {
			return nil, conflict(codeTransitionError, "The application is hidden: a revert replaced it")
		}
		st := s.state(p, a)
		// The escalation teams' approval is not modelled on its own: a client's
		// approval of an escalated application stands for it, so escalation
		// shows in the flag (WAITING_ON_ESCALATION) but blocks no approval.
		st.Escalated = false
		if e := s.policy.decide(st, statusNames[to]); e != nil {
			return nil, e
		}
		var cp *string
		if hasComment {
			cp = &comment
		}
		s.setStatus(p, a, to, t, cp, false)
		s.settle(p, a, t, causeDecision)
		p.touched()
		out := s.renderApplication(p, a)
		return &out, nil
	})
}

// revertDecision serves POST .../applications/{application_id}/revert_decision:
// decision D10 (docs/decisions.md).
func (s *Server) revertDecision(c *call) (any, *apiError) {
	comment, hasComment, e := readRevertBody(c.body)
	if e != nil {
		return nil, e
	}
	return s.moving(c, func(p *profile, t stamp) (any, *apiError) {
		a, e := s.application(p, c)
		if e != nil {
			return nil, e
		}
		if a.hidden {
			return nil, conflict(codeTransitionError, "The application is hidden: its decision was reverted already")
		}
		hist := make([]string, len(a.history))
		for i, h := range a.history {
			hist[i] = statusNames[h.status]
		}
		toName, e := s.policy.revert(hist)
		if e != nil {
			return nil, e
		}
		to, ok := parseStatus(toName)
		if !ok {
			return nil, conflict(codeTransitionError, "The lifecycle model reverts to an unknown status %q", toName)
		}
		// The revert must not leave two open applications of one product,
		// which adding one refuses (decision D87, docs/decisions.md).
		if to != statusRejected && to != statusCancelled {
			for i := range p.apps {
				if o := &p.apps[i]; o != a && o.product == a.product && o.open() {
					return nil, conflict(codeDataPresent, "The profile already has an open application for %s: %s", s.product(a).Alias, o.id)
				}
			}
		}
		if s.policy.revertMode == revertNewApplication {
			if e := s.store.appRoom(len(p.apps), 1); e != nil {
				return nil, e
			}
			a = s.replaceApplication(p, a, to, t)
			p.record(t, "revert-decision", "Reverted the decision on", s.product(a).Name, "application_id", a.id)
		} else {
			var cp *string
			if hasComment {
				cp = &comment
			}
			s.setStatus(p, a, to, t, cp, false)
			// The audit trail names a revert a revert, not a decision.
			p.audit[len(p.audit)-1].action = "revert-decision"
			// A reverted approval returns the application to onboarding:
			// it counts as never approved again (lifecycle: ever_approved).
			a.everApproved = to != statusApplied && a.everApproved
			s.settle(p, a, t, causeDecision)
		}
		p.touched()
		out := s.renderApplication(p, a)
		return &out, nil
	})
}

// readRevertBody reads the optional {comment?} body: empty, {} and null are fine.
func readRevertBody(body []byte) (string, bool, *apiError) {
	if len(body) == 0 {
		return "", false, nil
	}
	if !json.Valid(body) {
		return "", false, invalid("The request body is not valid JSON")
	}
	switch jsonKind(body) {
	case "nothing", "null":
		return "", false, nil
	case "object":
	default:
		return "", false, wrongType("body", body, "object or null")
	}
	o, e := asObject(body, "body")
	if e != nil {
		return "", false, e
	}
	return o.nullableStr("", "comment")
}

// replaceApplication reverts in new_application mode: the old application is
// hidden and keeps its status; a new one (new id, same product and tasks)
// gets the old history without the reverted decision.
func (s *Server) replaceApplication(p *profile, old *application, to uint8, t stamp) *application {
	old.hidden = true
	decision := old.history[len(old.history)-1]
	na := application{
		id:           s.ids.next(),
		product:      old.product,
		assocRole:    old.assocRole,
		status:       to,
		automated:    old.automated,
		automationAt: old.automationAt,
		tasks:        append([]uint8(nil), old.tasks...),
		history:      append([]historyEntry(nil), old.history[:len(old.history)-1]...),
	}
	for _, h := range na.history {
		if h.status == statusApproved {
			na.everApproved = true
		}
	}
	for _, f := range old.flags {
		if f.at >= decision.at && f.status == decision.status {
			break
		}
		na.flags = append(na.flags, f)
	}
	if len(na.flags) > 0 {
		na.flag = na.flags[len(na.flags)-1].flag
	}
	a := s.keepApplication(p, na) // old is not used after this: the slice may move
	p.last = t
	s.settle(p, a, t, causeDecision)
	return a
}
