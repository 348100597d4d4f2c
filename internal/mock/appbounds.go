package mock

// Bounds on a profile's applications and on an application's history
// (decision D92, docs/decisions.md), beside the store's limits of decision
// D82: past one, the operation is 507 with the envelope and nothing stored
// changes.

// What an application's records cost against -max-stored-bytes: a generous
// size of each in memory (slices grow by doubling), so that the store's byte
// limit bounds them as it bounds collected data.
const (
	applicationCost = 256
	historyCost     = 64 // and its comment's bytes
	flagCost        = 32
)

// appRoom refuses, with storageFull, n more applications on a profile that
// holds have.
func (s *store) appRoom(have, n int) *apiError {
	if s.maxApps > 0 && have+n > s.maxApps {
		return storageFull("The profile would hold %d applications; the mock keeps %d at most (-max-applications-per-profile), a revert's hidden ones included: use another profile, or start the mock with a higher limit", have+n, s.maxApps)
	}
	return nil
}

// full refuses, with storageFull, a record on a store that holds its limit
// of bytes already: what an operation's records cost is known only once it
// has run, so it is charged after (charge) and the next operation refused.
func (s *store) full() *apiError {
	if b := s.bytes.Load(); s.maxBytes > 0 && b >= s.maxBytes {
		return storageFull("The mock holds %d bytes of "+storedKinds+", its limit of %d (-max-stored-bytes): delete profiles, or start it with a higher limit", b, s.maxBytes)
	}
	return nil
}

// charge counts n bytes of records already made; it never refuses.
func (s *store) charge(n int) { s.bytes.Add(int64(n)) }

// historyRoom refuses, with storageFull, an operation that may move p's
// applications while one of them holds the most history or flag_history
// entries the mock keeps.
func (s *store) historyRoom(p *profile) *apiError {
	for i := range p.apps {
		a := &p.apps[i]
		if s.maxHistory <= 0 || a.hidden { // a hidden application never moves
			continue
		}
		if n := max(len(a.history), len(a.flags)); n >= s.maxHistory {
			return storageFull("Application %s holds %d entries of history or flag_history, the most the mock keeps (-max-history): use another profile, or start the mock with a higher limit", a.id, n)
		}
	}
	return nil
}

// moving is change for an operation that may move the profile's
// applications (a decision, a revert, a task, a check, an event, the
// collection steps, the profile's status): refused with 507 while an
// application's history is full (historyRoom) or the store is (full). A
// replace of the collected data checks only the history: its own bytes are
// weighed by grow, and a smaller replace must stay possible on a full store.
func (s *Server) moving(c *call, fn func(p *profile, t stamp) (any, *apiError)) (any, *apiError) {
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		if e := s.store.historyRoom(p); e != nil {
			return nil, e
		}
		if e := s.store.full(); e != nil {
			return nil, e
		}
		return fn(p, t)
	})
}

// recordsCost is what application a's records cost: charged when a is kept
// (keepApplication), and each entry it gains after as it is appended
// (setStatus, recordFlag); delete frees it (storedBytes).
func (a *application) recordsCost() int {
	n := applicationCost + len(a.flags)*flagCost
	for i := range a.history {
		n += a.history[i].cost()
	}
	return n
}

// cost is what a history entry costs, its comment included.
func (h *historyEntry) cost() int { return historyCost + len(h.comment) }

// keepApplication appends a to p's applications, charging its records, and
// returns it where it now lives: the slice may move.
func (s *Server) keepApplication(p *profile, a application) *application {
	s.store.charge(a.recordsCost())
	p.apps = append(p.apps, a)
	return &p.apps[len(p.apps)-1]
}
