package mock

// Access to profiles. view and change hold the profile's lock while fn runs;
// view takes only the read lock unless a timed event is due.

func (s *Server) lookup(c *call) (*profile, *apiError) {
	x, ok := parseID(c.m.profile)
	if !ok {
		return nil, notFound("Profile not found: %s", c.m.profile)
	}
	p := s.store.get(x)
	if p == nil {
		return nil, notFound("Profile not found: %s", c.m.profile)
	}
	return p, nil
}

func (s *Server) view(c *call, fn func(p *profile) (any, *apiError)) (any, *apiError) {
	p, e := s.lookup(c)
	if e != nil {
		return nil, e
	}
	return s.viewProfile(p, c.now, fn)
}

func (s *Server) viewProfile(p *profile, now stamp, fn func(p *profile) (any, *apiError)) (any, *apiError) {
	p.mu.RLock()
	if p.next > now && !p.deleted {
		defer p.mu.RUnlock()
		return fn(p)
	}
	p.mu.RUnlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.deleted {
		return nil, notFound("Profile not found: %s", p.id)
	}
	s.advance(p, now)
	return fn(p)
}

func (s *Server) change(c *call, fn func(p *profile, t stamp) (any, *apiError)) (any, *apiError) {
	p, e := s.lookup(c)
	if e != nil {
		return nil, e
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.deleted {
		return nil, notFound("Profile not found: %s", c.m.profile)
	}
	s.advance(p, c.now)
	defer s.watch(p)
	return fn(p, p.clamp(c.now))
}

// checkPathIDs answers 404 for a path id that is not id-shaped: it names no
// resource (decision D6, docs/decisions.md), whatever the contract's pattern
// would say.
func checkPathIDs(m match) *apiError {
	if m.profile != "" {
		if _, ok := parseID(m.profile); !ok {
			return notFound("Profile not found: %s", m.profile)
		}
	}
	if m.sub == "" || m.res == resTagSearch || m.res == resEventsBulk {
		return nil
	}
	if _, ok := parseID(m.sub); !ok {
		return notFound("%s not found: %s", subName(m.res), m.sub)
	}
	if m.sub2 != "" {
		if _, ok := parseID(m.sub2); !ok {
			return notFound("Note not found: %s", m.sub2)
		}
	}
	return nil
}

// subName names what {sub} of a resource's path is, for 404 messages.
func subName(r resource) string {
	switch r {
	case resEvent:
		return "Event"
	case resTask, resNotes, resNote:
		return "Task"
	case resCheck, resCheckApprove, resCheckReject:
		return "Check"
	case resImage:
		return "Document image"
	case resFile:
		return "File"
	case resTag:
		return "Tag"
	}
	return "Application"
}
