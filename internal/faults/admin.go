package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockscope"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// AdminPath is the admin endpoint of the faults:
//
//	GET    /__mock/faults   the faults in force: {"faults": [...]}
//	POST   /__mock/faults   replace them: a JSON array of faults, each an
//	                        object {"method","path","kind","latency",...} or a
//	                        string in Parse's syntax; answers the new list
//	DELETE /__mock/faults   remove every fault
//
// With the X-Mock-Scope header, it reads, replaces and removes that scope's
// faults instead of the mock's own. The caller has checked the API key.
const AdminPath = mock.AdminPrefix + "faults"

// List is the answer of the admin endpoint.
type List struct {
	Faults []Fault `json:"faults"`
}

// ServeAdmin serves AdminPath.
func (in *Injector) ServeAdmin(w http.ResponseWriter, r *http.Request) {
	api := in.api
	scope := r.Header.Get(mockscope.Header)
	if len(scope) > mockscope.MaxLen {
		api.Error(w, http.StatusBadRequest, mock.CodeInvalidInputData,
			fmt.Sprintf("%s: got %d bytes, want at most %d", mockscope.Header, len(scope), mockscope.MaxLen))
		return
	}
	switch r.Method {
	case http.MethodGet:
		set := in.faults.Load()
		if scope != "" {
			set = in.scopeFaults(scope)
		}
		api.WriteJSON(w, http.StatusOK, List{Faults: set.faults()})
	case http.MethodPost:
		in.replace(w, r, scope)
	case http.MethodDelete:
		if scope != "" {
			in.setScopeFaults(scope, nil)
		} else {
			in.faults.Store(nil)
		}
		api.Logger().Info("faults cleared", "scope", scope)
		api.WriteJSON(w, http.StatusOK, List{Faults: []Fault{}})
	default:
		api.MethodNotAllowed(w, r, "GET, POST, DELETE")
	}
}

// replace serves POST: the mock's own faults, or a scope's when scope is
// not "".
func (in *Injector) replace(w http.ResponseWriter, r *http.Request, scope string) {
	api := in.api
	body, ok := api.ReadBody(w, r)
	if !ok {
		return
	}
	refuse := func(msg string) { api.Error(w, http.StatusBadRequest, mock.CodeInvalidInputData, msg) }
	faults, err := decodeFaults(body)
	if err != nil {
		refuse(err.Error())
		return
	}
	set, err := newFaultSet(faults)
	if err != nil {
		refuse(oneline.Fold(err.Error()))
		return
	}
	switch {
	case scope == "":
		in.faults.Store(set)
	case !in.setScopeFaults(scope, set):
		refuse(fmt.Sprintf("Too many fault scopes: %d hold faults; DELETE %s with a scope's %s header to free one", mockscope.Max, AdminPath, mockscope.Header))
		return
	}
	list := set.faults()
	names := make([]string, len(list))
	for i, f := range list {
		names[i] = f.String()
	}
	api.Logger().Info("faults replaced", "scope", scope, "faults", names)
	api.WriteJSON(w, http.StatusOK, List{Faults: list})
}

// decodeFaults reads a JSON array of faults, or {"faults": [...]}; its
// error is the message of a 400.
func decodeFaults(body []byte) ([]Fault, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, fmt.Errorf("The request body is empty: want a JSON array of faults ([] for none)")
	}
	if !json.Valid(body) {
		return nil, fmt.Errorf("The request body is not valid JSON: want a JSON array of faults")
	}
	var raw []json.RawMessage
	switch mock.JSONKind(body) {
	case "array":
		if err := json.Unmarshal(body, &raw); err != nil {
			return nil, fmt.Errorf("%s", oneline.Fold(err.Error()))
		}
	case "object":
		var wrapped struct {
			Faults []json.RawMessage `json:"faults"`
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&wrapped); err != nil {
			return nil, fmt.Errorf("body: %s", oneline.Fold(err.Error()))
		}
		raw = wrapped.Faults
	default:
		return nil, fmt.Errorf("body: got %s, want an array of faults", mock.JSONKind(body))
	}
	faults := make([]Fault, len(raw))
	for i, item := range raw {
		if k := mock.JSONKind(item); k != "object" && k != "string" {
			return nil, fmt.Errorf("faults[%d]: got %s, want an object or a string such as \"GET /profiles/*: status=503\"", i, k)
		}
		if err := json.Unmarshal(item, &faults[i]); err != nil {
			return nil, fmt.Errorf("faults[%d]: %s", i, oneline.Fold(err.Error()))
		}
	}
	return faults, nil
}
