package targets

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/mockadmin"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/target"
)

// Account is a PassFort account behind a base URL: PassFort's demo or live
// API, or a server on loopback that is not a cmd/passfort-mock. Its
// preflight checks the key with GET /whoami; the profiles a scenario
// creates carry the run id in customer_ref and are deleted when it ends.
type Account struct {
	settings Settings
	shared   Shared
	// local is true on loopback: no guard declaration needed, no rate
	// limit by default.
	local bool
	// limiter is the run's one rate budget, shared by every scenario's
	// client (and divided between the shards of one run); nil for none.
	limiter *target.Limiter

	mu         sync.Mutex
	leftBehind []string // profiles the run created and could not delete
}

var _ Target = (*Account)(nil)

func newAccount(s Settings, sh Shared) *Account {
	a := &Account{settings: s, shared: sh, local: IsLoopback(s.Client.BaseURL)}
	if limits := a.RateLimits(); limits != nil {
		a.limiter = target.NewLimiter(max(sh.Shards, 1), limits...)
	}
	return a
}

// Name is the base URL, with any password redacted.
func (a *Account) Name() string { return DisplayURL(a.settings.Client.BaseURL) }

// Guard refuses a non-local account that did not declare PASSFORT_ENV.
func (a *Account) Guard(g Guard) (GuardDecision, error) { return decideGuard(a.Name(), a.local, g) }

// Concurrency is 32: a remote target is I/O-bound, and its slow answers are
// waited for in parallel.
func (*Account) Concurrency() int { return 32 }

// RateLimits are PassFort's documented limits when Settings.RateLimit is
// "passfort", or when it is "" and the account is not on loopback.
func (a *Account) RateLimits() []target.Limit {
	rl := a.settings.RateLimit
	if rl == "passfort" || (rl == "" && !a.local) {
		return target.PassFortLimits()
	}
	return nil
}

// Preflight checks the key with GET /whoami and prints the institution; a
// loopback server that serves the mock's admin endpoints is then a
// standalone mock.
func (a *Account) Preflight(ctx context.Context, out io.Writer) (Target, error) {
	cfg := a.settings.Client
	cfg.Meter, cfg.Allow = a.shared.Meter, AllowMutations(false)
	c, err := target.New(cfg)
	if err != nil {
		return nil, err
	}
	ex, err := c.Do(ctx, target.Request{Method: "GET", Path: "/whoami"})
	if err != nil {
		return nil, &InfrastructureError{Err: fmt.Errorf("preflight GET /whoami: %w", err)}
	}
	if ex.Status >= 500 {
		return nil, &InfrastructureError{Err: fmt.Errorf("preflight GET /whoami: got %d, want 200: %s", ex.Status, snippet(ex.ResponseBody))}
	}
	if ex.Status != 200 {
		return nil, fmt.Errorf("preflight GET /whoami: got %d, want 200 (check PASSFORT_API_KEY): %s", ex.Status, snippet(ex.ResponseBody))
	}
	var who struct {
		Institution struct{ ID, Name string } `json:"institution"`
	}
	_ = json.Unmarshal(ex.ResponseBody, &who)
	fmt.Fprintf(out, "preflight: the API key belongs to %q (%s)\n", who.Institution.Name, who.Institution.ID)
	if a.local && mockadmin.Probe(ctx, c) {
		return foundStandaloneMock(a, out), nil
	}
	return a, nil
}

// Capabilities: an account has no admin endpoints.
func (*Account) Capabilities() Capabilities { return Capabilities{} }

// Connect builds the scenario's client; End deletes the profiles it created.
func (a *Account) Connect(_ string, observe func(*exchange.Exchange), allow func(method, path string) error) (*Session, error) {
	c, err := a.client(observe, allow, nil)
	if err != nil {
		return nil, err
	}
	return &Session{Client: c, end: func(left Leftovers) { a.deleteProfiles(c, left.CreatedProfiles()) }}, nil
}

// client builds a scenario's client to the account, with header added to
// every request.
func (a *Account) client(observe func(*exchange.Exchange), allow func(method, path string) error, header http.Header) (*target.Client, error) {
	cfg := a.settings.Client
	cfg.Observe, cfg.Allow, cfg.Meter, cfg.Limiter = observe, allow, a.shared.Meter, a.limiter
	if header != nil {
		cfg.Header = header
	}
	return target.New(cfg)
}

// LeftBehind lists the profiles that could not be deleted.
func (a *Account) LeftBehind() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.leftBehind...)
}

// profileDeletion is the body of POST /profiles/{id}/delete.
type profileDeletion struct {
	// ConfirmID repeats the profile's id: PassFort's guard against deleting
	// the wrong one.
	ConfirmID string `json:"confirm_id"`
	// Message is recorded with the deletion.
	Message string `json:"message"`
}

// doer sends one request: a scenario's *target.Client.
type doer interface {
	Do(ctx context.Context, r target.Request) (*exchange.Exchange, error)
}

// deleteProfiles deletes the profiles a scenario created, with its own
// client (so the deletions are metered and recorded with the scenario's
// exchanges), and remembers those it could not. A profile the target
// does not know is already gone (the scenario deleted it), not left behind.
func (a *Account) deleteProfiles(c doer, ids []string) {
	for _, id := range ids {
		body, err := json.Marshal(profileDeletion{ConfirmID: id, Message: "conformance run " + a.shared.RunID})
		if err == nil {
			var ex *exchange.Exchange
			ex, err = c.Do(context.Background(), target.Request{Method: "POST", Path: "/profiles/" + id + "/delete", Body: body})
			if err == nil && ex.Status != 200 && !profileGone(ex) {
				err = fmt.Errorf("got %d, want 200", ex.Status)
			}
		}
		if err != nil {
			a.mu.Lock()
			a.leftBehind = append(a.leftBehind, id)
			a.mu.Unlock()
		}
	}
}

// profileGone reports whether a deletion's answer says there is no such
// profile: 404 (decision D6), or any 4xx whose error is code 201 "Profile
// not found", as the real API may answer with another status.
func profileGone(ex *exchange.Exchange) bool {
	if ex.Status == http.StatusNotFound {
		return true
	}
	if ex.Status < 400 || ex.Status >= 500 {
		return false
	}
	var answer struct {
		Errors []struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(ex.ResponseBody, &answer) != nil {
		return false
	}
	for _, e := range answer.Errors {
		if e.Code == 201 && strings.HasPrefix(strings.ToLower(e.Message), "profile not found") {
			return true
		}
	}
	return false
}

// InfrastructureError is a set-up failure of the target itself, before any
// scenario ran: it could not be reached, or answered the preflight with a
// server error.
type InfrastructureError struct{ Err error }

func (e *InfrastructureError) Error() string { return "infrastructure: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *InfrastructureError) Unwrap() error { return e.Err }

// DisplayURL is a base URL as printed: a password in it is redacted.
func DisplayURL(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return "(an unparsable base URL)"
	}
	return u.Redacted()
}

// IsLoopback reports whether base names this machine, by address: a
// loopback target needs no guard declaration and no default rate limit.
func IsLoopback(base string) bool {
	req, err := http.NewRequest("GET", base, nil)
	if err != nil {
		return false
	}
	h := req.URL.Hostname()
	if h == "localhost" {
		return true
	}
	// By address, not by prefix: 127.0.0.1.nip.io is a public name.
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// snippet is a response body as one line of at most 200 bytes, for an error.
func snippet(body []byte) string { return oneline.Clip(oneline.Fold(string(body)), 200) }
