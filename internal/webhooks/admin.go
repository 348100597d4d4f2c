package webhooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockscope"
	"github.com/passfort-conformance/harness/internal/oneline"
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
			refuse("body: %s: want {\"url\": ..., \"secret\": ...}", oneline.Fold(err.Error()))
			return
		}
		if err := c.check(h.egress); err != nil {
			refuse("%s", err.Error())
			return
		}
		if self(r, c.URL) {
			refuse("url: %q is this mock's own address: webhooks to the mock itself are refused", c.URL)
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

// self reports whether raw names the address the request reached the mock
// on: a webhook there would loop the mock's own answers back into it.
func self(r *http.Request, raw string) bool {
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	lhost, lport, err := net.SplitHostPort(local.String())
	if err != nil {
		return false
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if port != lport {
		return false
	}
	host := u.Hostname()
	lip := net.ParseIP(lhost)
	return host == lhost || strings.EqualFold(host, "localhost") || (lip != nil && (lip.IsLoopback() || lip.IsUnspecified()) && loopbackName(host))
}
