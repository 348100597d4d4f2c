package targets

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/target"
)

// A PASSFORT_API_KEY left in the environment for an account is not sent to
// the embedded mock, which accepts only its own key; the run says so once,
// without the key (decision D123).
func TestEmbeddedMockIgnoresAStrayKey(t *testing.T) {
	t.Parallel()
	const stray = "stray-account-key-4321"
	env := map[string]string{target.EnvAPIKey: stray}
	cfg, err := target.ConfigFromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, time.Now())
	require.NoError(t, err)
	require.Empty(t, cfg.BaseURL, "no base URL: the embedded mock")

	tgt := New(Settings{Client: cfg}, Shared{})
	var out bytes.Buffer
	tgt, err = tgt.Preflight(context.Background(), &out)
	require.NoError(t, err)
	require.IsType(t, &EmbeddedMock{}, tgt)
	assert.Equal(t, unusedKeyNote+"\n", out.String(), "one line, once")
	assert.Contains(t, out.String(), "PASSFORT_API_KEY is set but not used")
	assert.NotContains(t, out.String(), stray)

	s, err := tgt.Connect("f.feature:3/1", func(*exchange.Exchange) {}, AllowMutations(false))
	require.NoError(t, err)
	defer s.End(&leftovers{})
	ex, err := s.Client.Do(context.Background(), target.Request{Method: "GET", Path: "/whoami"})
	require.NoError(t, err)
	assert.Equal(t, 200, ex.Status, "the mock's own key is sent, not the stray one: %s", ex.ResponseBody)
}

// Without a key, the embedded mock's preflight says nothing.
func TestEmbeddedMockPreflightIsSilentWithoutAKey(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	_, err := New(Settings{}, Shared{}).Preflight(context.Background(), &out)
	require.NoError(t, err)
	assert.Empty(t, out.String())
}
