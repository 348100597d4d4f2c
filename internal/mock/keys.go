package mock

import (
	"fmt"
	"time"
)

// Collection keys (decision D49, docs/decisions.md): the mock hands out a
// key and its expiry; it does not accept the key afterwards, as the keys
// only serve PassFort's own data-collection forms.

// collectionKeyTTL is how long a collection key lasts.
const collectionKeyTTL = 24 * time.Hour

type collectionKeyJSON struct {
	Name   string `json:"name"`
	Key    string `json:"key"`
	Expiry string `json:"expiry"`
}

func (s *Server) collectionKey(name string, now stamp) *collectionKeyJSON {
	k := s.ids.next()
	return &collectionKeyJSON{Name: name, Key: fmt.Sprintf("ck_%x", k[:8]), Expiry: dateTime(now + int64(collectionKeyTTL))}
}

// createCollectionKey serves POST /api_keys/collect.
func (s *Server) createCollectionKey(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	if !o.has("profile_ids") {
		return nil, missing("profile_ids")
	}
	ids, _, e := o.ids("", "profile_ids")
	if e != nil {
		return nil, e
	}
	if len(ids) == 0 {
		return nil, invalid("profile_ids: got an empty array, want at least one profile id")
	}
	for _, x := range ids {
		if p := s.store.get(x); p == nil {
			return nil, notFound("Profile not found: %s", x)
		}
	}
	return s.collectionKey(fmt.Sprintf("Collection key for %d profiles", len(ids)), c.now), nil
}

// createProfileCollectionKey serves POST /api_keys/collect/{profile_id}.
func (s *Server) createProfileCollectionKey(c *call) (any, *apiError) {
	if _, e := s.lookup(c); e != nil {
		return nil, e
	}
	return s.collectionKey("Collection key for "+c.m.profile, c.now), nil
}
