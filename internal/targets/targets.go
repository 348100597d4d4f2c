// Package targets holds the kinds of target a run can talk to, behind one
// Target interface: the embedded mock (one fresh mock per scenario,
// in-process), a standalone cmd/passfort-mock found on loopback, and a
// PassFort account behind a base URL. Every difference between them (the
// preflight, how a scenario's client is built, the mock's admin endpoints,
// the production guard, clean-up) is a method here, so the suite holds no
// branch on the kind of target.
package targets

import (
	"context"
	"io"
	"net/http"

	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/target"
)

// Target is what a run sends its requests to.
type Target interface {
	// Name is the target as the console and the reports name it:
	// "embedded mock", or the base URL with any password redacted.
	Name() string
	// Guard takes the production guard's decision for the run, before
	// anything is sent; an error refuses the run.
	Guard(g Guard) (GuardDecision, error)
	// Concurrency is how many scenarios run at once unless the run says.
	Concurrency() int
	// RateLimits are the client-side rate limits every scenario's client
	// shares; nil means none.
	RateLimits() []target.Limit
	// Preflight checks the target before any scenario runs and says on out
	// what it found. It returns the target the run goes on with: a
	// loopback server that serves the mock's admin endpoints is a
	// standalone mock.
	Preflight(ctx context.Context, out io.Writer) (Target, error)
	// Capabilities are the mock's admin endpoints the target offers.
	Capabilities() Capabilities
	// Connect opens one scenario's session: a client that reports every
	// exchange to observe and asks allow before sending. scope names the
	// scenario's attempt uniquely within the run.
	Connect(scope string, observe func(*exchange.Exchange), allow func(method, path string) error) (*Session, error)
	// LeftBehind lists the profiles the sessions created and could not
	// delete, for the console.
	LeftBehind() []string
}

// Capabilities are the mock's admin endpoints (/__mock/*) a target offers
// the steps.
type Capabilities struct {
	// Faults: the scenario sets faults on its mock (in its own scope on a
	// standalone mock).
	Faults bool
	// Webhooks: the mock sends its webhooks to the harness.
	Webhooks bool
}

// MockOnly reports whether @mock-only scenarios can run: they need a mock
// the harness controls through its admin endpoints.
func (c Capabilities) MockOnly() bool { return c.Faults && c.Webhooks }

// Session is one scenario's hold on the target.
type Session struct {
	// Client sends the scenario's requests.
	Client *target.Client
	end    func(Leftovers)
}

// End removes what the scenario left on the target once it is over: the
// whole mock when embedded; the faults, webhooks and profiles it set or
// created elsewhere. The caller calls it once, after the last step.
func (s *Session) End(left Leftovers) {
	if s.end != nil {
		s.end(left)
	}
}

// Leftovers is what a scenario may have left on the target; the steps'
// World implements it.
type Leftovers interface {
	// CreatedProfiles are the ids of the profiles the scenario created.
	CreatedProfiles() []string
	// ClearFaults removes the faults the scenario set on a mock.
	ClearFaults(context.Context) error
	// ClearWebhooks stops the mock's webhooks to the scenario.
	ClearWebhooks(context.Context) error
}

// Settings say which target a run talks to; the zero value is the
// embedded mock.
type Settings struct {
	// Client configures every scenario's client. Client.BaseURL "" means the
	// embedded mock (one per scenario), which is sent its own key
	// (Mock.APIKey, else mock.DefaultAPIKey), never Client.APIKey: that key
	// is meant for an account (decision D123). Transport, Limiter, Meter,
	// Allow and Observe are set by the target.
	Client target.Config
	// Mock configures the embedded mocks.
	Mock mockstack.Options
	// WrapMock, when set, wraps each embedded mock's handler: tests use it
	// to inject faults (a response that breaks the contract or the lifecycle).
	WrapMock func(http.Handler) http.Handler
	// RateLimit paces requests to PassFort's rate-limited operations:
	// "passfort" (the documented 10,000 an hour, GCRA with a burst), "off",
	// or "" for the default: on for every target but a loopback one (a
	// local mock only needs it when it enforces the limit itself).
	RateLimit string
}

// Shared is what a target takes from the run it serves.
type Shared struct {
	// RunID tags what the run creates (customer_ref) and names the run in
	// the deletions of its profiles.
	RunID string
	// Validator and Model check the embedded mock's own answers.
	Validator *contract.Validator
	Model     *lifecycle.Model
	// MockCatalog is the catalogue the embedded mock serves unless
	// Settings.Mock names another.
	MockCatalog *catalog.Catalog
	// Meter counts every request the run sends, the preflight's included.
	Meter *target.Meter
	// Shards is how many shards of the run share one account's rate limit
	// (0 or 1: the whole run).
	Shards int
}

// New returns the target s names, without sending anything: the embedded
// mock when s.Client.BaseURL is "", otherwise the account behind it (its
// Preflight tells a standalone mock apart).
func New(s Settings, sh Shared) Target {
	if s.Client.BaseURL == "" {
		return &EmbeddedMock{settings: s, shared: sh}
	}
	return newAccount(s, sh)
}
