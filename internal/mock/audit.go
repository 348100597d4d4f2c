package mock

import (
	"sort"
	"strings"
)

// listAudit serves GET /profiles/{profile_id}/audit-items: what happened to
// the profile, oldest first (decision D46, docs/decisions.md). Items are
// recorded as things happen (profile.record); ids derive from the profile's.
func (s *Server) listAudit(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		// The profile's creation and its applications' are not stored:
		// they derive from the profile, at no cost on the hot paths.
		all := make([]auditEntry, 0, 1+len(p.apps)+len(p.audit))
		all = append(all, auditEntry{at: p.created, action: "created-profile", message: "Created the profile"})
		for i := range p.apps {
			a := &p.apps[i]
			all = append(all, auditEntry{n: 1<<62 | uint64(i), at: a.history[0].at, action: "added-product",
				message: "Applied for", detail: s.product(a).Name, ref: "application_id", refID: a.id})
		}
		all = append(all, p.audit...)
		sort.SliceStable(all, func(i, j int) bool { return all[i].at < all[j].at })
		out := make([]auditJSON, len(all))
		pid := p.id.String()
		key := &apiKeyJSON{Name: mockKeyName}
		for i := range all {
			a := &all[i]
			out[i] = auditJSON{ID: derivedID(p.id, a.n).String(), ProfileID: pid, Action: a.action, Timestamp: a.at / 1e9}
			if !a.auto {
				out[i].APIKey = key
			}
			if msg := strings.TrimSpace(a.message + " " + a.detail); msg != "" {
				out[i].Message = &msg
			}
			if a.ref != "" {
				out[i].RefData = map[string]string{a.ref: a.refID.String()}
			}
		}
		return out, nil
	})
}
