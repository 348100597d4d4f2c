package webhooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockscope"
)

// AdminPath is the webhooks' admin endpoint:
//
//	GET    /__mock/webhooks where webhooks go: {"url", "secret"}
//	POST   /__mock/webhooks set it: {"url": "http://...", "secret": "..."}
//	DELETE /__mock/webhooks send none
//
// With the X-Mock-Scope header, it reads, sets and removes that scope's
// webhook instead of the mock's own. The caller has checked the API key.
const AdminPath = mock.AdminPrefix + "webhooks"

// ServeAdmin serves AdminPath.
func (h *Hooks) ServeAdmin(w http.ResponseWriter, r *http.Request) {
	api := h.api
	refuse := func(format string, args ...any) {
		api.Error(w, http.StatusBadRequest, mock.CodeInvalidInputData, fmt.Sprintf(format, args...))
	}
	scope := r.Header.Get(mockscope.Header)
	if len(scope) > mockscope.MaxLen {
		refuse("%s: got %d bytes, want at most %d", mockscope.Header, len(scope), mockscope.MaxLen)
		return
	}
	switch r.Method {
	case http.MethodGet:
		api.WriteJSON(w, http.StatusOK, h.config(scope))
	case http.MethodPost:
		body, ok := api.ReadBody(w, r)
		if !ok {
			return
		}
		var c Config
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			refuse("body: %s: want {\"url\": ..., \"secret\": ...}", strings.Join(strings.Fields(err.Error()), " "))
			return
		}
		if err := c.check(); err != nil {
			refuse("%s", err.Error())
			return
		}
		ok, turnedOn := h.set(scope, c)
		if !ok {
			refuse("Too many webhook scopes: %d hold one; DELETE %s with a scope's %s header to free one", mockscope.Max, AdminPath, mockscope.Header)
			return
		}
		if turnedOn {
			// The profiles made before need their timed changes watched too.
			api.AnnounceDue()
		}
		h.log.Info("webhook set", "scope", scope, "url", c.URL)
		api.WriteJSON(w, http.StatusOK, c)
	case http.MethodDelete:
		h.set(scope, Config{})
		api.WriteJSON(w, http.StatusOK, Config{})
	default:
		api.MethodNotAllowed(w, r, "GET, POST, DELETE")
	}
}
