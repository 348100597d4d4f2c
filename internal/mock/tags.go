package mock

import (
	"sort"
	"strings"
	"sync"
)

// Tags: the account's named tags, reused by name and searched by substring
// (decision D43, docs/decisions.md).

// tagIndex is the account's tags. Its lock is taken after a profile's, never
// before.
type tagIndex struct {
	mu      sync.RWMutex
	byLower map[string]*tag
}

// named returns the account's tag called name (case-insensitively), making
// it if there is none; nil when the account has maxAccountTags already.
func (s *Server) namedTag(name string) *tag {
	lower := strings.ToLower(name)
	ix := &s.tags
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if t := ix.byLower[lower]; t != nil {
		return t
	}
	if len(ix.byLower) >= maxAccountTags {
		return nil
	}
	if ix.byLower == nil {
		ix.byLower = map[string]*tag{}
	}
	t := &tag{id: s.ids.next(), name: name, lower: lower}
	ix.byLower[lower] = t
	return t
}

// addTag serves POST /profiles/{profile_id}/tags.
func (s *Server) addTag(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	name, e := o.required("", "name")
	if e != nil {
		return nil, e
	}
	if strings.TrimSpace(name) == "" {
		return nil, invalid("name: got %q, want a tag name", name)
	}
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		lower := strings.ToLower(name)
		for _, tg := range p.tags {
			if tg.lower == lower {
				out := renderTag(tg)
				return &out, nil
			}
		}
		if len(p.tags) >= maxProfileTags {
			return nil, invalid("The profile has %d tags, the most the mock keeps", maxProfileTags)
		}
		tg := s.namedTag(name)
		if tg == nil {
			return nil, invalid("The account has %d tags, the most the mock keeps", maxAccountTags)
		}
		p.tags = append(p.tags, tg)
		p.record(t, "added-a-tag", "Added the tag", tg.name, "tag_id", tg.id)
		out := renderTag(tg)
		return &out, nil
	})
}

// removeTag serves DELETE /profiles/{profile_id}/tags/{tag_id}.
func (s *Server) removeTag(c *call) (any, *apiError) {
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		if x, ok := parseID(c.m.sub); ok {
			for i, tg := range p.tags {
				if tg.id == x {
					p.tags = append(p.tags[:i], p.tags[i+1:]...)
					p.record(t, "removed-a-tag", "Removed the tag", tg.name, "tag_id", tg.id)
					out := renderTag(tg)
					return &out, nil
				}
			}
		}
		return nil, notFound("Tag not found on the profile: %s", c.m.sub)
	})
}

// searchTags serves GET /tags/search/{term}.
func (s *Server) searchTags(c *call) (any, *apiError) {
	limit := 50
	if c.r.URL.RawQuery != "" {
		q := c.r.URL.Query()
		var e *apiError
		if limit, e = intParam(q.Get("limit"), q.Has("limit"), "limit", 50, 1, 200); e != nil {
			return nil, e
		}
	}
	term := strings.ToLower(c.m.sub)
	ix := &s.tags
	ix.mu.RLock()
	var found []*tag
	for _, t := range ix.byLower {
		if strings.Contains(t.lower, term) {
			found = append(found, t)
		}
	}
	ix.mu.RUnlock()
	sort.Slice(found, func(i, j int) bool { return found[i].lower < found[j].lower })
	out := make([]tagJSON, 0, min(len(found), limit))
	for _, t := range found[:min(len(found), limit)] {
		out = append(out, renderTag(t))
	}
	return out, nil
}
