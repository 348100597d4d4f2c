package webhooks_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/webhooks"
)

// /__mock/webhooks refuses receivers outside loopback (a link-local
// metadata address, private ranges, a public name) unless allowed, and the
// mock's own address, with 400 and the error envelope (decision D80).
func TestWebhookEgressRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockstack.Options{})
	for name, url := range map[string]string{
		"metadata": "http://169.254.169.254/latest/meta-data/",
		"private":  "http://10.0.0.5:8080/hooks",
		"private6": "http://[fd00::1]/hooks",
		"public":   "https://hooks.example.com/x",
		"zero":     "http://0.0.0.0:9/x",
	} {
		r := adminWebhook(e, "POST", "", `{"url":"`+url+`"}`).Want(400, mock.CodeInvalidInputData)
		assert.Contains(t, string(r.Body), "-webhook-allow", "%s: the refusal names the flag", name)
	}
	adminWebhook(e, "POST", "", `{"url":"http://127.0.0.1:9/x"}`).Want(200)
	adminWebhook(e, "POST", "", `{"url":"http://localhost:9/x"}`).Want(200)
	adminWebhook(e, "POST", "", `{"url":"http://[::1]:9/x"}`).Want(200)

	allowed := newEnv(t, mockstack.Options{WebhookEgress: webhooks.Egress{Allow: []string{"hooks.example.com", "10.0.0.5:8080"}}})
	adminWebhook(allowed, "POST", "", `{"url":"https://hooks.example.com/x"}`).Want(200)
	adminWebhook(allowed, "POST", "", `{"url":"http://10.0.0.5:8080/hooks"}`).Want(200)
	adminWebhook(allowed, "POST", "", `{"url":"http://10.0.0.5:8081/hooks"}`).Want(400, mock.CodeInvalidInputData)

	_, err := mockstack.New(mockstack.Options{Webhook: webhooks.Config{URL: "http://169.254.169.254/"}})
	assert.ErrorContains(t, err, "not a loopback receiver", "-webhook-url is checked too")
}

// The mock served on a real listener refuses a webhook to itself.
func TestWebhookToTheMockItselfRefused(t *testing.T) {
	t.Parallel()
	st, err := mockstack.New(mockstack.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	srv := httptest.NewServer(st)
	t.Cleanup(srv.Close)
	for _, url := range []string{srv.URL + "/4.0/profiles", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/x"} {
		req, err := http.NewRequest(http.MethodPost, srv.URL+webhooks.AdminPath, strings.NewReader(`{"url":"`+url+`"}`))
		require.NoError(t, err)
		req.Header.Set("apikey", mock.DefaultAPIKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s: %s", url, b)
		assert.Contains(t, string(b), `"errors"`, "%s: the error envelope", url)
	}
}

// A receiver answering 307 to another port never gets the body (nor its
// secret) re-sent there: redirects are not followed.
func TestWebhookRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	t.Cleanup(other.Close)
	var tries atomic.Int32
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tries.Add(1)
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirector.Close)
	e := newEnv(t, mockstack.Options{Webhook: webhooks.Config{URL: redirector.URL + "/hooks", Secret: "hook-secret"}})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_basic")
	e.SetStatus(pid, app.Str("id"), "REJECTED").Want(200)
	require.Eventually(t, func() bool { return tries.Load() >= 1 }, 5*time.Second, time.Millisecond, "the receiver is tried")
	time.Sleep(100 * time.Millisecond)
	assert.Zero(t, elsewhere.Load(), "the redirect's target received the webhook")
	assert.EqualValues(t, 1, tries.Load(), "a 3xx is a refusal, not tried again")
}

// The address a receiver resolves to is checked when it is dialled, so a
// name that resolves outside loopback (DNS rebinding) reaches nothing.
func TestWebhookDialChecksTheAddress(t *testing.T) {
	t.Parallel()
	err := webhooks.Egress{}.Post("http://10.255.255.1:9/x")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not on loopback")
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)
	assert.NoError(t, webhooks.Egress{}.Post(srv.URL), "loopback is dialled")
}
