package mockadmin_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockadmin"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/target"
)

// client serves h in-process to a target.Client, as the embedded mock is.
func client(t *testing.T, h http.Handler) *target.Client {
	t.Helper()
	c, err := target.New(target.Config{BaseURL: "http://mock.test/4.0", APIKey: mock.DefaultAPIKey, Transport: target.InProcess(h)})
	require.NoError(t, err)
	return c
}

func TestClientAgainstTheMock(t *testing.T) {
	t.Parallel()
	st, err := mockstack.New(mockstack.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	var sent []*exchange.Exchange
	c := client(t, st)
	admin := mockadmin.Client{Doer: mockadmin.DoerFunc(func(ctx context.Context, r target.Request) (*exchange.Exchange, error) {
		ex, err := c.Do(ctx, r)
		sent = append(sent, ex)
		return ex, err
	})}
	ctx := context.Background()

	require.NoError(t, admin.AddFaults(ctx, "GET /whoami: status=503"))
	require.NoError(t, admin.AddFaults(ctx, "*: latency=1ms"))
	var names []string
	for _, f := range st.Faults.Faults() {
		names = append(names, f.String())
	}
	assert.Equal(t, []string{"GET /whoami: status=503", "*: latency=1ms"}, names, "faults add up")
	require.NoError(t, admin.ClearFaults(ctx))
	assert.Empty(t, st.Faults.Faults())

	require.NoError(t, admin.SetWebhook(ctx, mockadmin.Webhook{URL: "http://127.0.0.1:9/hooks", Secret: "s"}))
	assert.Equal(t, `{"secret":"s","url":"http://127.0.0.1:9/hooks"}`, string(sent[len(sent)-1].RequestBody))
	require.NoError(t, admin.ClearWebhook(ctx))

	err = admin.SetWebhook(ctx, mockadmin.Webhook{URL: "ftp://x"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "mock admin POST /__mock/webhooks: got 400 (url: got \"ftp://x\"")
	for _, ex := range sent {
		assert.True(t, mockadmin.IsAdmin(ex.Method+" "+ex.Path), "%s %s", ex.Method, ex.Path)
	}
	assert.True(t, mockadmin.Probe(ctx, c), "the mock serves its admin endpoints")
}

func TestProbeOtherTargets(t *testing.T) {
	t.Parallel()
	api, err := mock.New(mock.Options{})
	require.NoError(t, err)
	assert.False(t, mockadmin.Probe(context.Background(), client(t, api)), "the bare API serves no admin endpoint")
	assert.False(t, mockadmin.IsAdmin("GET /profiles"))
}

func TestErrorWithoutMessage(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "nope", http.StatusTeapot) })
	admin := mockadmin.Client{Doer: client(t, h), Describe: func(b []byte) string { return "described " + string(b[:4]) }}
	err := admin.ClearFaults(context.Background())
	require.Error(t, err)
	assert.Equal(t, "mock admin DELETE /__mock/faults: got 418 (described nope), want 200: does the target serve the mock's admin endpoints?", err.Error())
}
