package mock

import (
	"encoding/json"
	"fmt"
)

// Collection steps: the list replaces, and holds applications back
// (decision D44, docs/decisions.md).

// listSteps serves GET /profiles/{profile_id}/collection_steps.
func (s *Server) listSteps(c *call) (any, *apiError) {
	return s.view(c, func(p *profile) (any, *apiError) {
		if p.steps == nil {
			return collectedBody("[]"), nil
		}
		return collectedBody(p.steps), nil
	})
}

var stepTypes = []string{"FULL_NAME", "DOB", "ADDRESS_HISTORY", "NATIONALITY", "DOCUMENT", "DOCUMENT_FOR_TASK", "EMAIL", "PHONE_NUMBER"}

// replaceSteps serves POST /profiles/{profile_id}/collection_steps.
func (s *Server) replaceSteps(c *call) (any, *apiError) {
	if !c.jsonBody && !json.Valid(c.body) {
		return nil, invalid("The request body is not valid JSON")
	}
	items, ok := splitArray(c.body)
	if !ok {
		return nil, wrongType("body", c.body, "array")
	}
	if len(items) > maxSteps {
		return nil, invalid("body: got %d collection steps, want at most %d", len(items), maxSteps)
	}
	type step struct {
		o     object
		needs bool // gets an id
	}
	steps := make([]step, len(items))
	for i, raw := range items {
		where := fmt.Sprintf("body[%d]", i)
		o, e := asObject(raw, where)
		if e != nil {
			return nil, e
		}
		if !o.has("collection_type") {
			return nil, missing(where + ".collection_type")
		}
		kind, _, e := o.enum(where, "collection_type", stepTypes)
		if e != nil {
			return nil, e
		}
		switch stepTypes[kind] {
		case "DOCUMENT":
			if e := o.missingKeys(where, "category", "allowed_types"); e != nil {
				return nil, e
			}
			if _, _, e := o.strings(where, "allowed_types"); e != nil {
				return nil, e
			}
		case "DOCUMENT_FOR_TASK":
			if !o.has("task_id") {
				return nil, missing(where + ".task_id")
			}
		}
		steps[i] = step{o: o, needs: kind == 4 || kind == 5}
	}
	return s.moving(c, func(p *profile, t stamp) (any, *apiError) {
		if len(steps) == 0 {
			p.steps = nil
		} else {
			b := []byte{'['}
			for i, st := range steps {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, '{')
				first := true
				for _, f := range st.o {
					b = appendRaw(appendKey(b, string(f.key), first), f.val)
					first = false
				}
				if st.needs && !st.o.has("id") {
					b = appendJSONString(appendKey(b, "id", first), s.ids.next().String())
				}
				b = append(b, '}')
			}
			p.steps = compact(append(b, ']'))
		}
		p.record(t, "requested-data", fmt.Sprintf("Set %d collection steps", len(steps)), "", "", id{})
		p.last = t
		s.settleAll(p, t, causeTasks)
		p.touched()
		if p.steps == nil {
			return collectedBody("[]"), nil
		}
		return collectedBody(p.steps), nil
	})
}
