package mock

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/passfort-conformance/harness/internal/catalog"
)

// The API tells an Observer what happens in the store, so that test-side
// capabilities (webhooks: internal/webhooks) follow it without reaching into
// the store. Nothing runs in the background: time-driven changes are worked
// out when a profile is next read, or when the observer asks for it with
// WorkOutDue at the time ChangeDue gave.

// Observer receives the API's events. Its methods are called with the
// profile's lock held, so they must be quick and must not call the Server
// back (WorkOutDue and AnnounceDue excepted from another goroutine).
type Observer interface {
	// ProfileCreated tells that r created the profile; the request's
	// headers say who it was for (the webhooks' scope).
	ProfileCreated(profileID string, r *http.Request)
	// StatusChanged tells that an application's status changed.
	StatusChanged(StatusChange)
	// ChangeDue tells that the profile has a time-driven change to work out
	// at at; a later call for the same profile supersedes it.
	ChangeDue(profileID string, at time.Time)
}

// StatusChange is an application's move to a new status.
type StatusChange struct {
	ProfileID     string
	ApplicationID string
	// NewStatus is the status the application moved to: APPROVED, ...
	NewStatus string
	// Product is the application's product.
	Product catalog.Product
	// APIKeyName names the API key that made the change; "" for a change
	// the mock made by itself (automation, policy, time).
	APIKeyName string
	// At is when the change happened (for time-driven changes, when it was
	// due, not when it was worked out).
	At time.Time

	collected []byte // the profile's collected_data, read only if asked for
}

// CustomerRef returns the profile's collected_data.customer_ref; nil if
// none. It is read on demand: most changes are observed by nobody.
func (c StatusChange) CustomerRef() *string { return customerRef(c.collected) }

func customerRef(collected []byte) *string {
	var cd struct {
		CustomerRef *string `json:"customer_ref"`
	}
	_ = json.Unmarshal(collected, &cd) // stored compacted from a checked body
	return cd.CustomerRef
}

// statusChanged tells the observer of a's change to its current status at
// t. auto is true for changes the mock made by itself. p is locked.
func (s *Server) statusChanged(p *profile, a *application, t stamp, auto bool) {
	if s.observer == nil {
		return
	}
	ch := StatusChange{
		ProfileID:     p.id.String(),
		ApplicationID: a.id.String(),
		NewStatus:     statusNames[a.status],
		Product:       s.products[a.product],
		At:            time.Unix(0, t).UTC(),
		collected:     p.collected,
	}
	if !auto {
		ch.APIKeyName = s.whoami.AuditeeName
	}
	s.observer.StatusChanged(ch)
}

// watch tells the observer when p's next timed change is due. p is locked,
// or not yet shared.
func (s *Server) watch(p *profile) {
	if s.observer == nil || p.next == never {
		return
	}
	s.observer.ChangeDue(p.id.String(), time.Unix(0, p.next).UTC())
}

// WorkOutDue works out the profile's time-driven changes that are due by
// now (the mock's clock), as a read of the profile would, and tells the
// observer when the next one is due. An unknown or deleted profile is
// ignored.
func (s *Server) WorkOutDue(profileID string) {
	x, ok := parseID(profileID)
	if !ok {
		return
	}
	p := s.store.get(x)
	if p == nil {
		return
	}
	now := stampOf(s.now())
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.deleted {
		return
	}
	if p.next <= now {
		s.advance(p, now)
	}
	s.watch(p)
}

// AnnounceDue tells the observer again of every stored profile's next
// time-driven change: an observer that starts caring late (a webhook set at
// run time) learns of the profiles made before.
func (s *Server) AnnounceDue() {
	for _, p := range s.store.search(func(*profile) bool { return true }) {
		p.mu.Lock()
		if !p.deleted {
			s.watch(p)
		}
		p.mu.Unlock()
	}
}

// IDSequence hands out PassFort-shaped ids (8-4-4-4-12 hex), deterministic
// for a seed, apart from the API's own ids so that those stay the same
// whatever else draws ids (webhook ids).
type IDSequence struct{ g *idGen }

// NewIDSequence returns the sequence of seed.
func NewIDSequence(seed int64) *IDSequence { return &IDSequence{g: newIDGen(seed)} }

// Next returns the sequence's next id.
func (q *IDSequence) Next() string { return q.g.next().String() }
