package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// The admin endpoints control a running mock (embedded or standalone) from
// outside the API, under /__mock/. They need the API key like the API, and
// answer errors with the same envelope:
//
//	GET    /__mock/faults   the faults in force: {"faults": [...]}
//	POST   /__mock/faults   replace them: a JSON array of faults, each an
//	                        object {"method","path","kind","latency",...} or a
//	                        string in the -fault syntax; answers the new list
//	DELETE /__mock/faults   remove every fault
//	GET    /__mock/webhooks where webhooks go: {"url", "secret"}
//	POST   /__mock/webhooks set it: {"url": "http://...", "secret": "..."}
//	DELETE /__mock/webhooks send none
//	GET    /__mock/gate     the SDK request gate's record (GateReport)
//	DELETE /__mock/gate     start the record afresh
//
// With the X-Mock-Scope header (ScopeHeader), the faults and webhooks
// endpoints read, replace and remove that scope's instead of the mock's own.

// faultsBody is the answer of /__mock/faults.
type faultsBody struct {
	Faults []Fault `json:"faults"`
}

func (x *extras) serveAdmin(w http.ResponseWriter, r *http.Request) {
	s := x.s
	if e := s.authenticate(r); e != nil {
		s.fail(w, e)
		return
	}
	var allow string
	switch r.URL.Path {
	case adminPrefix + "faults":
		allow = "GET, POST, DELETE"
		scope := r.Header.Get(ScopeHeader)
		if len(scope) > maxScopeLen {
			s.fail(w, invalid("%s: got %d bytes, want at most %d", ScopeHeader, len(scope), maxScopeLen))
			return
		}
		switch r.Method {
		case http.MethodGet:
			set := x.faults.Load()
			if scope != "" {
				set = x.scopeFaults(scope)
			}
			s.write(w, http.StatusOK, faultsBody{Faults: set.faults()})
			return
		case http.MethodPost:
			x.replaceFaults(w, r, scope)
			return
		case http.MethodDelete:
			if scope != "" {
				x.setScopeFaults(scope, nil)
			} else {
				x.faults.Store(nil)
			}
			s.log.Info("faults cleared", "scope", scope)
			s.write(w, http.StatusOK, faultsBody{Faults: []Fault{}})
			return
		}
	case adminPrefix + "webhooks":
		allow = "GET, POST, DELETE"
		if x.serveWebhooks(w, r) {
			return
		}
	case adminPrefix + "gate":
		allow = "GET, DELETE"
		if x.gate == nil {
			s.fail(w, notFound("The SDK request gate is off: start the mock with -gate (Options.Gate)"))
			return
		}
		switch r.Method {
		case http.MethodGet:
			s.write(w, http.StatusOK, x.gate.report())
			return
		case http.MethodDelete:
			x.gate.reset()
			s.write(w, http.StatusOK, x.gate.report())
			return
		}
	default:
		s.fail(w, notFound("No such admin endpoint: %s (see %sfaults, %swebhooks and %sgate)", r.URL.Path, adminPrefix, adminPrefix, adminPrefix))
		return
	}
	w.Header().Set("Allow", allow)
	s.fail(w, &apiError{status: http.StatusMethodNotAllowed, code: codeInvalidInputData,
		message: fmt.Sprintf("Method %s is not allowed on %s: use %s", r.Method, r.URL.Path, allow)})
}

// replaceFaults serves POST /__mock/faults: the mock's own faults, or a
// scope's when scope is not "".
func (x *extras) replaceFaults(w http.ResponseWriter, r *http.Request, scope string) {
	s := x.s
	body, e := s.readBody(w, r)
	if e != nil {
		s.fail(w, e)
		return
	}
	faults, e := decodeFaults(body)
	if e != nil {
		s.fail(w, e)
		return
	}
	set, err := newFaultSet(faults)
	if err != nil {
		s.fail(w, invalid("%s", oneLine(err.Error())))
		return
	}
	switch {
	case scope == "":
		x.faults.Store(set)
	case !x.setScopeFaults(scope, set):
		s.fail(w, invalid("Too many fault scopes: %d hold faults; DELETE %sfaults with a scope's %s header to free one", maxScopes, adminPrefix, ScopeHeader))
		return
	}
	list := set.faults()
	names := make([]string, len(list))
	for i, f := range list {
		names[i] = f.String()
	}
	s.log.Info("faults replaced", "scope", scope, "faults", names)
	s.write(w, http.StatusOK, faultsBody{Faults: list})
}

// decodeFaults reads a JSON array of faults, or {"faults": [...]}.
func decodeFaults(body []byte) ([]Fault, *apiError) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, invalid("The request body is empty: want a JSON array of faults ([] for none)")
	}
	if !json.Valid(body) {
		return nil, invalid("The request body is not valid JSON: want a JSON array of faults")
	}
	var raw []json.RawMessage
	switch jsonKind(body) {
	case "array":
		if err := json.Unmarshal(body, &raw); err != nil {
			return nil, invalid("%s", oneLine(err.Error()))
		}
	case "object":
		var wrapped struct {
			Faults []json.RawMessage `json:"faults"`
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&wrapped); err != nil {
			return nil, invalid("body: %s", oneLine(err.Error()))
		}
		raw = wrapped.Faults
	default:
		return nil, wrongType("body", body, "an array of faults")
	}
	faults := make([]Fault, len(raw))
	for i, item := range raw {
		if k := jsonKind(item); k != "object" && k != "string" {
			return nil, wrongType(fmt.Sprintf("faults[%d]", i), item, "an object or a string such as \"GET /profiles/*: status=503\"")
		}
		if err := json.Unmarshal(item, &faults[i]); err != nil {
			return nil, invalid("faults[%d]: %s", i, oneLine(err.Error()))
		}
	}
	return faults, nil
}
