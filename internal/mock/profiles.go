package mock

import (
	"github.com/passfort-conformance/harness/internal/idshape"

	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Profile operations: create (decision D19), search (D18), get, delete (D17)
// and the profile status (D14, D16); the decisions are in docs/decisions.md.

// createProfile serves POST /profiles.
func (s *Server) createProfile(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	if e := o.missingKeys("", "role", "collected_data"); e != nil {
		return nil, e
	}
	role, _, e := o.enum("", "role", roleNames[:])
	if e != nil {
		return nil, e
	}
	cd, _, e := o.obj("", "collected_data")
	if e != nil {
		return nil, e
	}
	name, riskData, e := readCollectedData(cd, role)
	if e != nil {
		return nil, e
	}
	type apply struct {
		prod  int
		assoc uint8
	}
	var applies []apply
	if o.has("applications") {
		items, _, e := o.arr("", "applications")
		if e != nil {
			return nil, e
		}
		for i, raw := range items {
			where := fmt.Sprintf("applications[%d]", i)
			item, e := asObject(raw, where)
			if e != nil {
				return nil, e
			}
			prod, assoc, e := s.readApplicationRequest(item, where)
			if e != nil {
				return nil, e
			}
			if e := s.fits(prod, assoc, role, where); e != nil {
				return nil, e
			}
			for _, a := range applies {
				if a.prod == prod {
					// 409 is not an answer of this operation: a list that names a
					// product twice is invalid input.
					return nil, invalid("%s: product %s is listed twice", where, s.products[prod].Alias)
				}
			}
			applies = append(applies, apply{prod, assoc})
		}
	} else {
		for i := range s.products {
			if p := &s.products[i]; p.AutomaticallyApply && p.EntityType == roleEntity(role) {
				applies = append(applies, apply{prod: i})
			}
		}
	}

	if e := s.store.appRoom(0, len(applies)); e != nil {
		return nil, e
	}
	collected := compact(o.value("collected_data"))
	if e := s.store.admit(len(collected)); e != nil {
		return nil, e // before an id is drawn: a refusal leaves the ids of later profiles as they were
	}
	p := &profile{
		id:          s.ids.next(),
		created:     c.now,
		role:        role,
		riskData:    riskData,
		hasAddress:  addressGiven(collected),
		displayName: name,
		lowerName:   strings.ToLower(name),
		collected:   collected,
		last:        c.now,
		next:        never,
	}
	for _, a := range applies {
		s.addApplication(p, a.prod, a.assoc, c.now)
	}
	out := s.renderProfile(p, c.now) // before the profile is shared: no lock needed
	if s.observer != nil {
		s.observer.ProfileCreated(p.id.String(), c.r)
	}
	s.watch(p)
	s.store.put(p)
	return &out, nil
}

// readCollectedData checks collected_data against the role and returns the
// display name and whether the risk data is present.
func readCollectedData(cd object, role uint8) (name string, riskData bool, e *apiError) {
	if !cd.has("entity_type") {
		return "", false, missing(collectedData + ".entity_type")
	}
	entity, _, e := cd.enum(collectedData, "entity_type", entityNames[:])
	if e != nil {
		return "", false, e
	}
	if want := roleEntity(role); entityNames[entity] != want {
		return "", false, invalid("%s.entity_type: got %s, want %s for role %s", collectedData, entityNames[entity], want, roleNames[role])
	}
	if e := commonData(cd); e != nil {
		return "", false, e
	}
	if entity == 1 {
		return companyData(cd)
	}
	return individualData(cd)
}

// collectedData is where the collected data's fields are named in errors.
const collectedData = "collected_data"

func commonData(cd object) *apiError {
	const where = collectedData
	if contact, ok, e := cd.obj(where, "contact_details"); e != nil {
		return e
	} else if ok {
		for _, k := range []string{"email", "phone_number"} {
			if _, _, e := contact.str(where+".contact_details", k); e != nil {
				return e
			}
		}
	}
	if _, _, e := cd.str(where, "customer_ref"); e != nil {
		return e
	}
	_, _, e := cd.obj(where, "external_refs")
	return e
}

func individualData(cd object) (string, bool, *apiError) {
	const where = collectedData
	var given []string
	var family, dob, nationality string
	if pd, ok, e := cd.obj(where, "personal_details"); e != nil {
		return "", false, e
	} else if ok {
		const w = where + ".personal_details"
		if n, ok, e := pd.obj(w, "name"); e != nil {
			return "", false, e
		} else if ok {
			const wn = w + ".name"
			if _, _, e := n.str(wn, "title"); e != nil {
				return "", false, e
			}
			if given, _, e = n.strings(wn, "given_names"); e != nil {
				return "", false, e
			}
			if family, _, e = n.str(wn, "family_name"); e != nil {
				return "", false, e
			}
			if _, _, e := n.strings(wn, "alt_family_names"); e != nil {
				return "", false, e
			}
		}
		var e *apiError
		if dob, e = partialDate(pd, w, "dob"); e != nil {
			return "", false, e
		}
		if nationality, e = countryCode(pd, w, "nationality"); e != nil {
			return "", false, e
		}
		if _, _, e := pd.str(w, "gender"); e != nil {
			return "", false, e
		}
		if nin, ok, e := pd.obj(w, "national_identity_number"); e != nil {
			return "", false, e
		} else if ok {
			// The contract cannot say the keys' shape (OpenAPI 3.0 has no
			// patternProperties): decision D109, docs/decisions.md.
			for _, f := range nin {
				if !isCountryCode(string(f.key)) {
					return "", false, invalid("%s.national_identity_number: got the key %q, want an ISO 3166-1 alpha-3 code such as ITA", w, f.key)
				}
				if _, _, e := nin.str(w+".national_identity_number", string(f.key)); e != nil {
					return "", false, e
				}
			}
		}
	}
	if items, _, e := cd.arr(where, "address_history"); e != nil {
		return "", false, e
	} else {
		for i, raw := range items {
			wi := fmt.Sprintf("%s.address_history[%d]", where, i)
			entry, e := asObject(raw, wi)
			if e != nil {
				return "", false, e
			}
			if addr, ok, e := entry.obj(wi, "address"); e != nil {
				return "", false, e
			} else if ok {
				if _, _, e := addr.enum(wi+".address", "type", []string{"STRUCTURED", "FREEFORM"}); e != nil {
					return "", false, e
				}
				if _, e := countryCode(addr, wi+".address", "country"); e != nil {
					return "", false, e
				}
			}
			for _, k := range []string{"start_date", "end_date"} {
				if _, e := approxDate(entry, wi, k); e != nil {
					return "", false, e
				}
			}
		}
	}
	if _, _, e := cd.obj(where, "ip_location"); e != nil {
		return "", false, e
	}
	if items, _, e := cd.arr(where, "documents"); e != nil {
		return "", false, e
	} else {
		for i, raw := range items {
			if _, e := asObject(raw, fmt.Sprintf("%s.documents[%d]", where, i)); e != nil {
				return "", false, e
			}
		}
	}
	name := strings.TrimSpace(strings.Join(append(given, family), " "))
	return name, dob != "" && nationality != "", nil
}

func companyData(cd object) (string, bool, *apiError) {
	const where = collectedData
	md, ok, e := cd.obj(where, "metadata")
	if e != nil || !ok {
		return "", false, e
	}
	const w = where + ".metadata"
	var name string
	if name, _, e = md.str(w, "name"); e != nil {
		return "", false, e
	}
	for _, k := range []string{"number", "state_of_incorporation", "company_type"} {
		if _, _, e := md.str(w, k); e != nil {
			return "", false, e
		}
	}
	country, e := countryCode(md, w, "country_of_incorporation")
	if e != nil {
		return "", false, e
	}
	if _, e := partialDate(md, w, "incorporation_date"); e != nil {
		return "", false, e
	}
	if _, _, e := md.boolean(w, "is_active"); e != nil {
		return "", false, e
	}
	return strings.TrimSpace(name), country != "", nil
}

func partialDate(o object, where, key string) (string, *apiError) {
	v, ok, e := o.str(where, key)
	if e != nil || !ok {
		return "", e
	}
	if !isPartialDate(v) {
		return "", invalid("%s: got %q, want a date YYYY, YYYY-MM or YYYY-MM-DD", join(where, key), v)
	}
	return v, nil
}

// approxDate reads an address's date: a month, YYYY-MM (decision D39).
func approxDate(o object, where, key string) (string, *apiError) {
	v, ok, e := o.str(where, key)
	if e != nil || !ok {
		return "", e
	}
	if len(v) != 7 || !isPartialDate(v) {
		return "", invalid("%s: got %q, want a month YYYY-MM", join(where, key), v)
	}
	return v, nil
}

func countryCode(o object, where, key string) (string, *apiError) {
	v, ok, e := o.str(where, key)
	if e != nil || !ok {
		return "", e
	}
	if !isCountryCode(v) {
		return "", invalid("%s: got %q, want an ISO 3166-1 alpha-3 code such as GBR", join(where, key), v)
	}
	return v, nil
}

// readApplicationRequest reads {product: {alias|id}, associated_role?}:
// decisions D3 and D4 (docs/decisions.md).
func (s *Server) readApplicationRequest(o object, where string) (prod int, assoc uint8, e *apiError) {
	if !o.has("product") {
		return 0, 0, missing(join(where, "product"))
	}
	pw := join(where, "product")
	ref, _, e := o.obj(where, "product")
	if e != nil {
		return 0, 0, e
	}
	alias, hasAlias, e := ref.str(pw, "alias")
	if e != nil {
		return 0, 0, e
	}
	pid, hasID, e := ref.str(pw, "id")
	if e != nil {
		return 0, 0, e
	}
	if !hasAlias && !hasID {
		return 0, 0, &apiError{status: http.StatusBadRequest, code: codeMissingRequiredFields,
			message: fmt.Sprintf("Missing required field: %s.alias or %s.id", pw, pw), fields: []string{pw + ".alias", pw + ".id"}}
	}
	prod = -1
	if hasAlias {
		if alias == "" {
			return 0, 0, invalid("%s.alias: got an empty string, want a product alias", pw)
		}
		p, ok := s.catalog.ByAlias(alias)
		if !ok {
			return 0, 0, invalid("Unknown product alias: %s", alias)
		}
		prod = s.catalog.Index(p.ID)
	}
	if hasID {
		if !idshape.IsUUID(pid) {
			return 0, 0, invalid("%s.id: got %q, want an 8-4-4-4-12 hex id", pw, pid)
		}
		i := s.catalog.Index(strings.ToLower(pid))
		if i < 0 {
			return 0, 0, invalid("Unknown product id: %s", pid)
		}
		if prod >= 0 && prod != i {
			return 0, 0, invalid("%s: alias %s and id %s name different products", pw, alias, pid)
		}
		prod = i
	}
	assoc, _, e = o.enum(where, "associated_role", associatedRoleNames[:])
	return prod, assoc, e
}

// fits checks that a product application suits a profile with the given role.
func (s *Server) fits(prod int, assoc uint8, role uint8, where string) *apiError {
	if assoc != 0 && !roleIsAssociated(role) {
		return invalid("%s: associated_role is only for INDIVIDUAL_ASSOCIATED or COMPANY_ASSOCIATED profiles, got a %s profile",
			strings.TrimPrefix(where+".associated_role", "."), roleNames[role])
	}
	if p := &s.products[prod]; p.EntityType != roleEntity(role) {
		return invalid("Product %s is for %s profiles, not for a %s profile", p.Alias, p.EntityType, roleNames[role])
	}
	return nil
}

// listProfiles serves GET /profiles, newest first, filtered by q: decision D18
// (docs/decisions.md).
func (s *Server) listProfiles(c *call) (any, *apiError) {
	q := c.r.URL.Query()
	limit, e := intParam(q.Get("limit"), q.Has("limit"), "limit", 50, 1, 200)
	if e != nil {
		return nil, e
	}
	offset, e := intParam(q.Get("offset"), q.Has("offset"), "offset", 0, 0, -1)
	if e != nil {
		return nil, e
	}
	lq := strings.ToLower(q.Get("q"))
	cats, e := categoriesParam(q.Get("categories"), q.Has("categories"))
	if e != nil {
		return nil, e
	}
	// The name (from the collected data) and the category change under the
	// profile's lock, which is never taken while a shard's is held: filter
	// outside the store.
	all := s.store.search(func(*profile) bool { return true })
	found := all[:0]
	for _, p := range all {
		if s.listed(p, c.now, lq, cats) {
			found = append(found, p)
		}
	}
	out := searchJSON{Count: len(found), Limit: limit, Offset: offset, Results: []profileSummaryJSON{}}
	if offset < len(found) {
		page := found[offset:min(len(found), offset+limit)]
		for _, p := range page {
			_, _ = s.viewProfile(p, c.now, func(p *profile) (any, *apiError) {
				out.Results = append(out.Results, s.renderSummary(p))
				return nil, nil
			})
		}
	}
	return &out, nil
}

// listed reports whether p matches the search: its name contains lq and,
// with cats, its category (due timed events worked out first) is one of them.
func (s *Server) listed(p *profile, now stamp, lq string, cats []string) bool {
	p.mu.RLock()
	if p.next > now || p.deleted {
		defer p.mu.RUnlock()
		return !p.deleted && strings.Contains(p.lowerName, lq) && (cats == nil || slices.Contains(cats, category(p)))
	}
	p.mu.RUnlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	s.advance(p, now)
	return !p.deleted && strings.Contains(p.lowerName, lq) && (cats == nil || slices.Contains(cats, category(p)))
}

// categoriesParam reads categories, a comma-separated list of profile
// categories (decision D51, docs/decisions.md); nil if absent.
func categoriesParam(v string, present bool) ([]string, *apiError) {
	if !present {
		return nil, nil
	}
	cats := strings.Split(v, ",")
	for _, c := range cats {
		switch c {
		case "CUSTOMER", "PREVIOUS_CUSTOMER", "APPLICANT", "INACTIVE_APPLICANT":
		default:
			return nil, invalid("categories: got %q, want a comma-separated list of CUSTOMER, PREVIOUS_CUSTOMER, APPLICANT and INACTIVE_APPLICANT", c)
		}
	}
	return cats, nil
}

// intParam reads an integer query parameter within [lo, hi] (hi < 0: no upper bound).
func intParam(v string, present bool, name string, def, lo, hi int) (int, *apiError) {
	if !present {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	bad := err != nil || n < lo || (hi >= 0 && n > hi)
	if bad && hi >= 0 {
		return 0, invalid("%s: got %q, want an integer from %d to %d", name, v, lo, hi)
	}
	if bad {
		return 0, invalid("%s: got %q, want an integer of %d or more", name, v, lo)
	}
	return n, nil
}

// getProfile serves GET /profiles/{profile_id}.
func (s *Server) getProfile(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		out := s.renderProfile(p, c.now)
		return &out, nil
	})
}

// deleteProfile serves POST /profiles/{profile_id}/delete: decision D17
// (docs/decisions.md).
func (s *Server) deleteProfile(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	if !o.has("confirm_id") {
		return nil, missing("confirm_id")
	}
	confirm, _, e := o.str("", "confirm_id")
	if e != nil {
		return nil, e
	}
	if _, _, e := o.str("", "message"); e != nil {
		return nil, e
	}
	confirmID, ok := parseID(confirm)
	if !ok {
		return nil, invalid("confirm_id: got %q, want an 8-4-4-4-12 hex id", confirm)
	}
	return s.change(c, func(p *profile, _ stamp) (any, *apiError) {
		if confirmID != p.id {
			return nil, invalid("confirm_id: got %s, want the profile's id %s", confirm, p.id)
		}
		p.deleted = true
		s.store.remove(p.id)
		s.store.release(p.storedBytes())
		return &struct{}{}, nil
	})
}

// profileStatus is the bare JSON string body of the profile status operations.
type profileStatus string

// getProfileStatus serves GET /profiles/{profile_id}/status: decision D14
// (docs/decisions.md).
func (s *Server) getProfileStatus(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		return profileStatus(profileStatusNames[p.status]), nil
	})
}

// updateProfileStatus serves POST /profiles/{profile_id}/status: decisions D14
// and D16 (docs/decisions.md).
func (s *Server) updateProfileStatus(c *call) (any, *apiError) {
	if !json.Valid(c.body) {
		return nil, invalid("The request body is not valid JSON: want a JSON string NORMAL, SUSPENDED or BANNED")
	}
	var v string
	if jsonKind(c.body) != "string" || json.Unmarshal(c.body, &v) != nil {
		return nil, wrongType("body", c.body, "a JSON string NORMAL, SUSPENDED or BANNED")
	}
	status, ok := index(profileStatusNames[:], v)
	if !ok {
		return nil, invalid("body: got %q, want NORMAL, SUSPENDED or BANNED", v)
	}
	return s.moving(c, func(p *profile, t stamp) (any, *apiError) {
		if p.status != status {
			p.record(t, "profile-status-changed", profileStatusNames[p.status]+" to", profileStatusNames[status], "", id{})
			p.status = status
			p.last = t
			s.settleAll(p, t, causeProfileStatus)
			p.touched()
		}
		return profileStatus(profileStatusNames[p.status]), nil
	})
}
