package targets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/mockscope"
	"github.com/passfort-conformance/harness/internal/target"
)

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	for base, want := range map[string]bool{
		"http://127.0.0.1:8080/4.0":    true,
		"http://127.9.9.9/4.0":         true,
		"http://localhost:8080/4.0":    true,
		"http://[::1]:8080/4.0":        true,
		"http://127.0.0.1.nip.io/4.0":  false,
		"https://api.passfort.com/4.0": false,
		"http://10.0.0.1/4.0":          false,
	} {
		assert.Equal(t, want, IsLoopback(base), base)
	}
}

// The guard's decision depends on where the target is and what the run
// declared, never on anything the target answers.
func TestGuard(t *testing.T) {
	t.Parallel()
	remote := New(Settings{Client: target.Config{BaseURL: "https://user:pw@api.passfort.com/4.0"}}, Shared{})
	loopback := New(Settings{Client: target.Config{BaseURL: "http://127.0.0.1:1/4.0"}}, Shared{})
	embedded := New(Settings{}, Shared{})
	tests := map[string]struct {
		target Target
		guard  Guard
		want   string // the decision, or the error's text
		err    bool
	}{
		"embedded":               {embedded, Guard{}, "local target: no declaration needed, every scenario allowed", false},
		"embedded declared live": {embedded, Guard{Env: "live"}, "live account: @mutating scenarios refused (not sent); @chargeable scenarios refused (not sent)", false},
		"loopback":               {loopback, Guard{}, "local target: no declaration needed, every scenario allowed", false},
		"remote undeclared":      {remote, Guard{}, "guard: PASSFORT_ENV is not set for https://user:xxxxx@api.passfort.com/4.0; set PASSFORT_ENV=demo or PASSFORT_ENV=live (nothing was sent)", true},
		"remote demo":            {remote, Guard{Env: "demo"}, "demo account: every scenario allowed", false},
		"remote live":            {remote, Guard{Env: "live"}, "live account: @mutating scenarios refused (not sent); @chargeable scenarios refused (not sent)", false},
		"remote live allowed":    {remote, Guard{Env: "live", AllowLiveMutations: true}, "live account: @mutating scenarios ALLOWED by PASSFORT_ALLOW_LIVE_MUTATIONS; @chargeable scenarios refused (not sent)", false},
		"remote live checks":     {remote, Guard{Env: "live", AllowLiveMutations: true, AllowLiveChecks: true}, "live account: @mutating scenarios ALLOWED by PASSFORT_ALLOW_LIVE_MUTATIONS; @chargeable scenarios ALLOWED by PASSFORT_ALLOW_LIVE_CHECKS", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d, err := tc.target.Guard(tc.guard)
			if tc.err {
				require.Error(t, err)
				assert.Equal(t, tc.want, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, d.String())
		})
	}
}

func TestRefuseScenario(t *testing.T) {
	t.Parallel()
	live, err := decideGuard("x", false, Guard{Env: "live"})
	require.NoError(t, err)
	assert.Contains(t, live.RefuseScenario([]string{"@smoke", "@mutating"}), "refused by the production guard")
	assert.Empty(t, live.RefuseScenario([]string{"@smoke"}))
	allowed, err := decideGuard("x", false, Guard{Env: "live", AllowLiveMutations: true})
	require.NoError(t, err)
	assert.Empty(t, allowed.RefuseScenario([]string{"@mutating"}))
	// A check costs provider money: allowing writes is not allowing checks.
	assert.Contains(t, allowed.RefuseScenario([]string{"@mutating", "@chargeable"}), "PASSFORT_ALLOW_LIVE_CHECKS=yes")
	both, err := decideGuard("x", false, Guard{Env: "live", AllowLiveMutations: true, AllowLiveChecks: true})
	require.NoError(t, err)
	assert.Empty(t, both.RefuseScenario([]string{"@mutating", "@chargeable"}))
	demo, err := decideGuard("x", false, Guard{Env: "demo"})
	require.NoError(t, err)
	assert.Empty(t, demo.RefuseScenario([]string{"@mutating", "@chargeable"}))
}

func TestAllowMutations(t *testing.T) {
	t.Parallel()
	assert.NoError(t, AllowMutations(false)("GET", "/profiles"))
	assert.NoError(t, AllowMutations(false)("HEAD", "/profiles"))
	assert.NoError(t, AllowMutations(true)("POST", "/profiles"))
	err := AllowMutations(false)("POST", "/profiles")
	assert.ErrorIs(t, err, ErrUntaggedMutation)
	assert.EqualError(t, err, "scenario is not tagged @mutating: POST /profiles changes data")
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		base, setting string
		want          bool
	}{
		"embedded":               {"", "passfort", false},
		"remote by default":      {"https://api.passfort.com/4.0", "", true},
		"remote off":             {"https://api.passfort.com/4.0", "off", false},
		"loopback by default":    {"http://127.0.0.1:1/4.0", "", false},
		"loopback asked to pace": {"http://127.0.0.1:1/4.0", "passfort", true},
	}
	for name, tc := range tests {
		got := New(Settings{Client: target.Config{BaseURL: tc.base}, RateLimit: tc.setting}, Shared{}).RateLimits()
		assert.Equal(t, tc.want, got != nil, name)
	}
}

// leftovers is a scenario that created profiles and remembers whether its
// faults and webhooks were cleared.
type leftovers struct {
	profiles         []string
	faults, webhooks bool
}

func (l *leftovers) CreatedProfiles() []string           { return l.profiles }
func (l *leftovers) ClearFaults(context.Context) error   { l.faults = true; return nil }
func (l *leftovers) ClearWebhooks(context.Context) error { l.webhooks = true; return nil }

// fakeAccount answers /whoami, and the deletion of every profile but
// "keep", which it refuses with 403; with admin, it also answers the mock's
// fault endpoint.
type fakeAccount struct {
	admin   bool
	mu      sync.Mutex
	deleted []profileDeletion
	scopes  []string
}

func (f *fakeAccount) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scopes = append(f.scopes, r.Header.Get(mockscope.Header))
	switch {
	case r.URL.Path == "/4.0/whoami":
		io.WriteString(w, `{"institution":{"id":"i-1","name":"Acme"}}`)
	case r.URL.Path == "/__mock/faults" && f.admin:
		io.WriteString(w, `{"faults":[]}`)
	case strings.HasSuffix(r.URL.Path, "/delete") && strings.Contains(r.URL.Path, "/keep/"):
		http.Error(w, `{"errors":[{"code":205,"message":"Forbidden"}]}`, http.StatusForbidden)
	case strings.HasSuffix(r.URL.Path, "/delete"):
		var d profileDeletion
		if err := json.NewDecoder(r.Body).Decode(&d); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		f.deleted = append(f.deleted, d)
		io.WriteString(w, `{}`)
	default:
		http.NotFound(w, r)
	}
}

func TestAccountPreflightAndCleanUp(t *testing.T) {
	t.Parallel()
	fake := &fakeAccount{}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	meter := &target.Meter{}
	tgt := New(Settings{Client: target.Config{BaseURL: srv.URL + "/4.0", APIKey: "key-1234"}}, Shared{RunID: "run-1", Meter: meter})
	var out bytes.Buffer
	tgt, err := tgt.Preflight(context.Background(), &out)
	require.NoError(t, err)
	require.IsType(t, &Account{}, tgt, "a loopback server without the mock's admin endpoints is an account")
	assert.Equal(t, "preflight: the API key belongs to \"Acme\" (i-1)\n", out.String())
	assert.False(t, tgt.Capabilities().MockOnly())

	// Only a @mutating scenario creates profiles; its client deletes them.
	s, err := tgt.Connect("f.feature:3/1", func(*exchange.Exchange) {}, AllowMutations(true))
	require.NoError(t, err)
	left := &leftovers{profiles: []string{"p-1", "keep"}}
	s.End(left)
	assert.Equal(t, []profileDeletion{{ConfirmID: "p-1", Message: "conformance run run-1"}}, fake.deleted)
	assert.Equal(t, []string{"keep"}, tgt.LeftBehind())
	assert.False(t, left.faults || left.webhooks, "an account has no faults or webhooks to clear")
	assert.Equal(t, int64(4), meter.Stats().Exchanges, "the preflight's two requests and the deletions are metered")
}

func TestPreflightFindsAStandaloneMock(t *testing.T) {
	t.Parallel()
	fake := &fakeAccount{admin: true}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	tgt := New(Settings{Client: target.Config{BaseURL: srv.URL + "/4.0"}}, Shared{RunID: "run-1"})
	var out bytes.Buffer
	tgt, err := tgt.Preflight(context.Background(), &out)
	require.NoError(t, err)
	require.IsType(t, &StandaloneMock{}, tgt)
	assert.Contains(t, out.String(), "preflight: the target is a cmd/passfort-mock")
	assert.True(t, tgt.Capabilities().MockOnly())

	s, err := tgt.Connect("f.feature:3/2", func(*exchange.Exchange) {}, AllowMutations(true))
	require.NoError(t, err)
	_, err = s.Client.Do(context.Background(), target.Request{Method: "GET", Path: "/whoami"})
	require.NoError(t, err)
	left := &leftovers{profiles: []string{"p-1"}}
	s.End(left)
	assert.True(t, left.faults && left.webhooks, "the scenario's faults and webhooks are cleared")
	assert.Len(t, fake.deleted, 1)
	assert.Contains(t, fake.scopes, "run-1/f.feature:3/2", "the scenario's requests carry its scope")
}

func TestPreflightFailures(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status int
		infra  bool
	}{
		"key refused":  {401, false},
		"server error": {500, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				io.WriteString(w, "no\n  such key")
			}))
			t.Cleanup(srv.Close)
			tgt := New(Settings{Client: target.Config{BaseURL: srv.URL + "/4.0", MaxRetries: -1}}, Shared{})
			_, err := tgt.Preflight(context.Background(), io.Discard)
			require.Error(t, err)
			var infra *InfrastructureError
			assert.Equal(t, tc.infra, errors.As(err, &infra), err.Error())
			assert.Contains(t, err.Error(), "preflight GET /whoami: got ")
			assert.Contains(t, err.Error(), ": no such key")
		})
	}
}

func TestEmbeddedMockGivesEachScenarioItsOwnMock(t *testing.T) {
	t.Parallel()
	wrapped := 0
	tgt := New(Settings{WrapMock: func(h http.Handler) http.Handler { wrapped++; return h }}, Shared{})
	out, err := tgt.Preflight(context.Background(), io.Discard)
	require.NoError(t, err)
	require.Same(t, tgt, out, "the embedded mock needs no preflight")
	assert.True(t, tgt.Capabilities().MockOnly())
	assert.Equal(t, "embedded mock", tgt.Name())
	for range 2 {
		s, err := tgt.Connect("", func(*exchange.Exchange) {}, AllowMutations(false))
		require.NoError(t, err)
		ex, err := s.Client.Do(context.Background(), target.Request{Method: "GET", Path: "/whoami"})
		require.NoError(t, err)
		assert.Equal(t, 200, ex.Status, "the client sends the mock's own key")
		s.End(&leftovers{})
	}
	assert.Equal(t, 2, wrapped, "one mock per scenario")
	assert.Empty(t, tgt.LeftBehind())
}
