package targets

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/target"
)

// embeddedBaseURL is the base URL the embedded mocks are addressed by; no
// request leaves the process.
const embeddedBaseURL = "http://embedded.mock/4.0"

// EmbeddedMock is the default target: every scenario gets a fresh mock,
// served in-process, so scenarios never share state and need no clean-up.
type EmbeddedMock struct {
	settings Settings
	shared   Shared
}

var _ Target = (*EmbeddedMock)(nil)

// Name is "embedded mock".
func (*EmbeddedMock) Name() string { return "embedded mock" }

// Guard decides as for any local target.
func (e *EmbeddedMock) Guard(g Guard) (GuardDecision, error) { return decideGuard(e.Name(), true, g) }

// Concurrency is 4×GOMAXPROCS: a scenario on the embedded mock spends most
// of its time waiting on the mock's clock (asynchronous checks, automation,
// "within N seconds" polls), not on the CPU. On 2 cores the whole suite took
// 2.5 s with 2×GOMAXPROCS (2.5× its longest scenario) and 1.5 s with 4×
// (1.9 s once asynchronous checks took 1 s, not 500 ms).
// 8× was faster still (1.3 s), but under the race detector on a busy machine
// its scenarios queued for the CPU long enough that an asynchronous check
// (then 500 ms; now 1 s) completed before a scenario's next step: one
// scenario in six shard runs failed so, none in eighteen at 4×.
func (*EmbeddedMock) Concurrency() int { return 4 * runtime.GOMAXPROCS(0) }

// RateLimits is nil: nothing is sent anywhere.
func (*EmbeddedMock) RateLimits() []target.Limit { return nil }

// Preflight sends nothing. It says once when a key is configured: the
// embedded mock does not use it (decision D123).
func (e *EmbeddedMock) Preflight(_ context.Context, out io.Writer) (Target, error) {
	if e.settings.Client.APIKey != "" {
		fmt.Fprintln(out, unusedKeyNote)
	}
	return e, nil
}

// unusedKeyNote tells a run on the embedded mock that the key it was given
// is not sent, without saying the key.
const unusedKeyNote = "preflight: " + target.EnvAPIKey + " is set but not used: " + target.EnvBaseURL +
	" is unset, so the run talks to the embedded mock with the mock's own key"

// Capabilities: every scenario's mock is the harness's own.
func (*EmbeddedMock) Capabilities() Capabilities { return Capabilities{Faults: true, Webhooks: true} }

// Connect builds the scenario's own mock; End throws it away whole.
func (e *EmbeddedMock) Connect(_ string, observe func(*exchange.Exchange), allow func(method, path string) error) (*Session, error) {
	h, apiKey, closeMock, err := newEmbeddedMock(e.settings, e.shared)
	if err != nil {
		return nil, err
	}
	cfg := e.settings.Client
	cfg.Observe, cfg.Allow, cfg.Meter = observe, allow, e.shared.Meter
	cfg.BaseURL, cfg.Transport, cfg.APIKey = embeddedBaseURL, target.InProcess(h), apiKey
	if k := e.settings.Client.APIKey; k != "" && k != apiKey {
		// Never sent, but redacted like any key the run was given.
		cfg.Secrets = append(slices.Clip(cfg.Secrets), k)
	}
	c, err := target.New(cfg)
	if err != nil {
		closeMock()
		return nil, err
	}
	return &Session{Client: c, end: func(Leftovers) { closeMock() }}, nil
}

// LeftBehind is nil: a thrown-away mock leaves nothing.
func (*EmbeddedMock) LeftBehind() []string { return nil }

// newEmbeddedMock builds one scenario's mock: the handler that serves it,
// the API key it accepts (Mock.APIKey, else mock.DefaultAPIKey; never
// Client.APIKey, which is meant for an account: decision D123) and the
// function that closes it. It is the one place the embedded mock is
// constructed.
func newEmbeddedMock(s Settings, sh Shared) (http.Handler, string, func(), error) {
	opts := s.Mock
	opts.Validator, opts.Model = sh.Validator, sh.Model
	if opts.Catalog == nil {
		opts.Catalog = sh.MockCatalog
	}
	srv, err := mockstack.New(opts)
	if err != nil {
		return nil, "", nil, fmt.Errorf("embedded mock: %w", err)
	}
	var h http.Handler = srv
	if s.WrapMock != nil {
		h = s.WrapMock(h)
	}
	apiKey := opts.APIKey
	if apiKey == "" {
		apiKey = mock.DefaultAPIKey
	}
	return h, apiKey, srv.Close, nil
}
