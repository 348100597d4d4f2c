// Package mockscope names the scope of a request to the mock: scenarios
// that share one standalone mock each set and see only their own faults and
// webhooks, by sending the same X-Mock-Scope header on every request.
package mockscope

import "net/http"

// Header names a scope. Faults and webhooks set through the admin
// endpoints with it apply only to requests (and profiles created by
// requests) that carry it, with the same value.
const Header = "X-Mock-Scope"

// Bounds of scopes.
const (
	// MaxLen is the longest scope the admin endpoints accept, in bytes.
	MaxLen = 256
	// Max bounds the scopes with faults, or with a webhook, a mock keeps at once.
	Max = 1024
)

// Of returns a request's scope; "" for none, or for one longer than MaxLen
// (no fault or webhook can have it).
func Of(r *http.Request) string {
	if sc := r.Header.Get(Header); len(sc) <= MaxLen {
		return sc
	}
	return ""
}
