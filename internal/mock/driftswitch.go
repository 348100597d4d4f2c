package mock

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// The drift switch (Options.Drift, -drift) is a test-only switch for the
// drift report's acceptance test: with it the mock adds exactly one
// undocumented field, one undocumented enum value and one undocumented
// status code to what it serves:
//
//   - every ProductApplication carries "drift_probe": true (drift:
//     undocumented-field);
//   - GET /profiles/{profile_id}/applications/{application_id} answers flag
//     "BRAND_NEW_FLAG" (contract: outside-enum);
//   - GET /whoami answers 202 instead of 200 (contract: undocumented-status).
const (
	driftField = "drift_probe"
	driftFlag  = "BRAND_NEW_FLAG"
)

const (
	opGetApplication = "GET /profiles/{profile_id}/applications/{application_id}"
	opWhoAmI         = "GET /whoami"
)

// transform applies the drift switch and tolerance mode to a 2xx JSON
// answer of the API; path is below /4.0.
func (x *extras) transform(r *http.Request, path string, status int, body []byte) (int, []byte) {
	if status < 200 || status > 299 {
		return status, body
	}
	op, ok := x.s.validator.Operation(r.Method, path)
	if !ok {
		return status, body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return status, body
	}
	name := op.String()
	if x.drift {
		status = x.applyDrift(r, name, status, doc)
	}
	if x.tolerance != nil {
		doc = x.tolerance.apply(x, r, name, status, doc)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return status, body // cannot happen: doc came from JSON
	}
	return status, buf.Bytes()
}

// applyDrift changes doc in place and returns the status to answer.
func (x *extras) applyDrift(r *http.Request, op string, status int, doc any) int {
	n := markApplications(doc)
	if n > 0 {
		x.logSwitch("drift: added an undocumented field to every application", r, "field", driftField, "applications", n)
	}
	if op == opGetApplication {
		if app, ok := doc.(map[string]any); ok {
			app["flag"] = driftFlag
			x.logSwitch("drift: answered an undocumented flag", r, "flag", driftFlag)
		}
	}
	if op == opWhoAmI && status == http.StatusOK {
		x.logSwitch("drift: answered an undocumented status", r, "status", http.StatusAccepted)
		return http.StatusAccepted
	}
	return status
}

// markApplications adds the drift field to every ProductApplication in v
// and returns how many it found. An application is an object with product,
// status, flag and history.
func markApplications(v any) int {
	n := 0
	switch t := v.(type) {
	case map[string]any:
		_, p := t["product"]
		_, st := t["status"]
		_, f := t["flag"]
		_, h := t["history"]
		if p && st && f && h {
			t[driftField] = true
			n++
		}
		for _, c := range t {
			n += markApplications(c)
		}
	case []any:
		for _, c := range t {
			n += markApplications(c)
		}
	}
	return n
}
