package mock

import (
	"hash/fnv"
	"net/http"
	"strings"
)

// Check operations (decisions D36, D37 and D52, docs/decisions.md). A check
// is immutable but for its task links; approve and reject make a new one.

func (s *Server) checkIndex(p *profile, c *call) (int, *apiError) {
	if x, ok := parseID(c.m.sub); ok {
		for i := range p.checks {
			if p.checks[i].id == x {
				return i, nil
			}
		}
	}
	return -1, notFound("Check not found: %s", c.m.sub)
}

// listChecks serves GET /profiles/{profile_id}/checks.
func (s *Server) listChecks(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		out := make([]checkJSON, len(p.checks))
		for i := range p.checks {
			out[i] = renderCheck(&p.checks[i], c.now)
		}
		return out, nil
	})
}

// getCheck serves GET /profiles/{profile_id}/checks/{check_id}.
func (s *Server) getCheck(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		i, e := s.checkIndex(p, c)
		if e != nil {
			return nil, e
		}
		out := renderCheck(&p.checks[i], c.now)
		return &out, nil
	})
}

// runCheck serves POST /profiles/{profile_id}/checks.
func (s *Server) runCheck(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	ctype, e := o.required("", "check_type")
	if e != nil {
		return nil, e
	}
	if ctype == "" {
		return nil, invalid("check_type: got an empty string, want a check type")
	}
	variant, e := readCheckVariant(o)
	if e != nil {
		return nil, e
	}
	taskIDs, _, e := o.ids("", "task_ids")
	if e != nil {
		return nil, e
	}
	external, _, e := o.boolean("", "instructed_externally")
	if e != nil {
		return nil, e
	}
	result, hasResult, e := o.str("", "result")
	if e != nil {
		return nil, e
	}
	_, hasOutput, e := o.obj("", "output_data")
	if e != nil {
		return nil, e
	}
	if (hasResult || hasOutput) && !external {
		return nil, invalid("result and output_data are only for a check with instructed_externally: true")
	}
	sync := ctype == "IDENTITY_CHECK"
	if c.r.URL.RawQuery != "" {
		switch mode := c.r.URL.Query().Get("mode"); mode {
		case "sync":
			sync = true
		case "async":
			sync = false
		case "":
		default:
			return nil, invalid("mode: got %q, want sync or async", mode)
		}
	}
	return s.moving(c, func(p *profile, t stamp) (any, *apiError) {
		if len(p.checks) >= maxChecks {
			return nil, invalid("The profile has %d checks, the most the mock keeps", maxChecks)
		}
		if e := taskIDsOf(p, taskIDs, "task_ids"); e != nil {
			return nil, e
		}
		if !o.has("task_ids") {
			taskIDs = s.servedTasks(p, ctype)
		}
		ck := check{ctype: ctype, variant: variant, at: t, startAt: t, doneAt: t,
			taskIDs: taskIDs, external: external, input: checkInput(p.collected, roleEntity(p.role)), providers: checkProviders(ctype, variant, external)}
		if hasOutput {
			ck.output = compact(o.value("output_data"))
		}
		if e := s.store.grow(ck.storedBytes()); e != nil {
			return nil, e
		}
		// Only now: a check refused for room takes no id, so a seeded
		// mock's later ids do not depend on what it refused (decision D82).
		ck.id = s.ids.next()
		switch {
		case external && hasResult:
			ck.decision, ck.result = decisionOf(result), result
		default:
			ck.decision, ck.result, ck.errs = demoOutcome(p)
		}
		if !external && !sync && s.checkTime > 0 {
			ck.startAt, ck.doneAt = t+int64(s.checkTime/4), t+int64(s.checkTime)
		}
		ck.performed = ck.doneAt
		p.checks = append(p.checks, ck)
		linkCheck(p, ck.id, nil, taskIDs)
		p.record(t, "instructed-check", "Ran a", ctype, "check_id", ck.id)
		p.last = t
		s.checkStarted(p, t)
		out := renderCheck(&p.checks[len(p.checks)-1], c.now)
		return &out, nil
	})
}

// readCheckVariant reads variant: {id} or {alias}. A variant named by alias
// gets an id derived from the alias: the mock has no check-variant catalogue.
func readCheckVariant(o object) (*checkVariantJSON, *apiError) {
	v, ok, e := o.obj("", "variant")
	if e != nil || !ok {
		return nil, e
	}
	vid, hasID, e := v.str("variant", "id")
	if e != nil {
		return nil, e
	}
	alias, hasAlias, e := v.str("variant", "alias")
	if e != nil {
		return nil, e
	}
	switch {
	case hasID:
		x, ok := parseID(vid)
		if !ok {
			return nil, invalid("variant.id: got %q, want an 8-4-4-4-12 hex id", vid)
		}
		return &checkVariantJSON{ID: x.String(), Alias: alias}, nil
	case hasAlias && alias != "":
		h := fnv.New64a()
		_, _ = h.Write([]byte(alias))
		return &checkVariantJSON{ID: derivedID(id{}, h.Sum64()).String(), Alias: alias, Name: alias}, nil
	}
	return nil, &apiError{status: http.StatusBadRequest, code: codeMissingRequiredFields,
		message: "Missing required field: variant.id or variant.alias", fields: []string{"variant.id", "variant.alias"}}
}

// taskIDsOf checks that every id names a task of the profile.
func taskIDsOf(p *profile, ids []id, where string) *apiError {
	for i, x := range ids {
		found := false
		for j := range p.tasks {
			if p.tasks[j].id == x {
				found = true
				break
			}
		}
		if !found {
			return invalid("%s[%d]: %s is no task of the profile", where, i, x)
		}
	}
	return nil
}

// linkCheck moves check x's links from the tasks in from to those in to,
// keeping each task's check_ids in step with the check's task_ids.
func linkCheck(p *profile, x id, from, to []id) {
	for j := range p.tasks {
		t := &p.tasks[j]
		for _, f := range from {
			if t.id == f {
				t.checkIDs = removeID(t.checkIDs, x)
			}
		}
		for _, f := range to {
			if t.id == f && !containsID(t.checkIDs, x) {
				t.checkIDs = append(t.checkIDs, x)
			}
		}
	}
}

func containsID(xs []id, x id) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func removeID(xs []id, x id) []id {
	out := xs[:0]
	for _, y := range xs {
		if y != x {
			out = append(out, y)
		}
	}
	return out
}

// demoErrors are the check errors other than 106 a profile's name asks for
// by naming the error, in lower case as the name is matched (decision D115,
// docs/decisions.md).
var demoErrors = []struct {
	keyword string
	err     checkErrorJSON
}{
	{"chargeable_limit_reached", checkErrorJSON{Code: 104, Message: "The account's limit of chargeable actions is reached", Source: "ENGINE"}},
	{"check_limit_reached", checkErrorJSON{Code: 107, Message: "The account's limit for this check is reached", Source: "ENGINE"}},
	{"provider_connection_error", checkErrorJSON{Code: 302, Message: "The provider could not be reached", Source: "PROVIDER"}},
	{"provider_unknown_error", checkErrorJSON{Code: 303, Message: "The provider failed in an unexpected way", Source: "PROVIDER"}},
}

// demoOutcome is a check's outcome on a demo account: the profile's name
// decides it, as PassFort's demo keywords do (FAIL fails, 1+1 is a partial
// 1+1 match, anything else passes); a profile of a user-assigned country code
// (XAA-XZZ, AAA-AAZ, QMA-QZZ, ZZA-ZZZ) is a country no provider covers, an
// ERROR with code 106, and a name that names another check error is an
// ERROR with that error (decisions D37, D52 and D115, docs/decisions.md).
func demoOutcome(p *profile) (decision, result string, errs []checkErrorJSON) {
	if country := profileCountry(p.collected); userAssignedCountry(country) {
		return "ERROR", "Error", []checkErrorJSON{{Code: 106,
			Message: "No provider covers the country " + country, Source: "ENGINE"}}
	}
	for _, d := range demoErrors {
		if strings.Contains(p.lowerName, d.keyword) {
			return "ERROR", "Error", []checkErrorJSON{d.err}
		}
	}
	switch {
	case strings.Contains(p.lowerName, "fail"):
		return "FAIL", "Fail", nil
	case strings.Contains(p.lowerName, "1+1"):
		return "PARTIAL", "1+1", nil
	}
	return "PASS", "Pass", nil
}

func userAssignedCountry(c string) bool {
	if len(c) != 3 {
		return false
	}
	return c[0] == 'X' || c[:2] == "AA" || c[:2] == "ZZ" || (c[0] == 'Q' && c[1] >= 'M')
}

// profileCountry is the individual's nationality or the company's country of
// incorporation, "" if none.
func profileCountry(collected []byte) string {
	cd, e := asObject(collected, collectedData)
	if e != nil {
		return ""
	}
	for _, path := range [][2]string{{"personal_details", "nationality"}, {"metadata", "country_of_incorporation"}} {
		if inner, e := asObject(cd.value(path[0]), path[0]); e == nil {
			if v, ok := plainString(inner.value(path[1])); ok {
				return v
			}
		}
	}
	return ""
}

// decisionOf maps a check result to its decision class.
func decisionOf(result string) string {
	switch result {
	case "Pass":
		return "PASS"
	case "Fail":
		return "FAIL"
	case "Error":
		return "ERROR"
	case "Partial", "1+1", "2+2":
		return "PARTIAL"
	}
	return "WARN"
}

// updateCheck serves POST /profiles/{profile_id}/checks/{check_id}: the one
// change a check takes is its task links.
func (s *Server) updateCheck(c *call) (any, *apiError) {
	o, e := c.object()
	if e != nil {
		return nil, e
	}
	if !o.has("task_ids") {
		return nil, missing("task_ids")
	}
	taskIDs, _, e := o.ids("", "task_ids")
	if e != nil {
		return nil, e
	}
	return s.change(c, func(p *profile, t stamp) (any, *apiError) {
		i, e := s.checkIndex(p, c)
		if e != nil {
			return nil, e
		}
		if e := taskIDsOf(p, taskIDs, "task_ids"); e != nil {
			return nil, e
		}
		ck := &p.checks[i]
		linkCheck(p, ck.id, ck.taskIDs, taskIDs)
		ck.taskIDs = taskIDs
		p.record(t, "updated-check", "Linked a check to tasks", "", "check_id", ck.id)
		out := renderCheck(ck, c.now)
		return &out, nil
	})
}

// approveCheck serves POST /profiles/{profile_id}/checks/{check_id}/approve.
func (s *Server) approveCheck(c *call) (any, *apiError) { return s.overrideCheck(c, "PASS", "Pass") }

// rejectCheck serves POST /profiles/{profile_id}/checks/{check_id}/reject.
func (s *Server) rejectCheck(c *call) (any, *apiError) { return s.overrideCheck(c, "FAIL", "Fail") }

// overrideCheck makes a new, complete check: a copy of the one named with a
// manual outcome, linked to the same tasks, with the original's input_data,
// providers and performed_on (decision D124).
func (s *Server) overrideCheck(c *call, decision, result string) (any, *apiError) {
	return s.moving(c, func(p *profile, t stamp) (any, *apiError) {
		i, e := s.checkIndex(p, c)
		if e != nil {
			return nil, e
		}
		old := &p.checks[i]
		if c.now < old.doneAt {
			return nil, conflict(codeTransitionError, "Check %s is not COMPLETE yet: only a complete check can be overridden", old.id)
		}
		if len(p.checks) >= maxChecks {
			return nil, invalid("The profile has %d checks, the most the mock keeps", maxChecks)
		}
		ck := check{ctype: old.ctype, variant: old.variant, at: t, startAt: t, doneAt: t,
			decision: decision, result: result, taskIDs: append([]id(nil), old.taskIDs...), manualFor: old.id,
			input: old.input, providers: old.providers, performed: old.performed}
		if e := s.store.grow(ck.storedBytes()); e != nil {
			return nil, e
		}
		ck.id = s.ids.next() // after grow, as runCheck does
		p.checks = append(p.checks, ck)
		linkCheck(p, ck.id, nil, ck.taskIDs)
		p.record(t, "updated-check", "Manual "+decision+" of a", ck.ctype, "check_id", ck.id)
		p.last = t
		s.checkStarted(p, t)
		return &struct{}{}, nil
	})
}
