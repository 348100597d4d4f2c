package mock

// listAudit serves GET /profiles/{profile_id}/audit-items: what happened to
// the profile, oldest first (decision D46, docs/decisions.md). Items are
// recorded as things happen (profile.record); ids derive from the profile's.
func (s *Server) listAudit(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		out := make([]auditJSON, len(p.audit))
		pid := p.id.String()
		key := &apiKeyJSON{Name: mockKeyName}
		for i := range p.audit {
			a := &p.audit[i]
			out[i] = auditJSON{ID: derivedID(p.id, a.n).String(), ProfileID: pid, Action: a.action, Timestamp: a.at / 1e9}
			if !a.auto {
				out[i].APIKey = key
			}
			if a.message != "" {
				out[i].Message = &a.message
			}
			if a.ref != "" {
				out[i].RefData = map[string]string{a.ref: a.refID.String()}
			}
		}
		return out, nil
	})
}
