package suite

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
)

// A loopback cmd/passfort-mock runs the @mock-only scenarios: the fault
// scenarios run concurrently against one mock, each with the faults of its
// own scope, and leave the mock's own faults untouched.
func TestMockOnlyRunsOnAStandaloneMock(t *testing.T) {
	t.Parallel()
	faults, err := os.ReadFile("../../features/faults.feature")
	require.NoError(t, err)
	m, err := mockstack.New(mockstack.Options{})
	require.NoError(t, err)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	res, out := run(t, map[string]string{"faults.feature": string(faults)}, func(c *Config) {
		c.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: mock.DefaultAPIKey}
		c.Concurrency = 8
	})
	c := res.Run.Count()
	require.False(t, res.Failed, "got %+v, want every fault scenario run and passed:\n%s", c, out)
	require.EqualValues(t, 0, c.Skipped, "console:\n%s", out)
	require.GreaterOrEqual(t, c.Passed, 10, "console:\n%s", out)
	assert.Contains(t, out, "preflight: the target is a cmd/passfort-mock")
	req, _ := http.NewRequest("GET", srv.URL+"/__mock/faults", nil)
	req.Header.Set("apikey", mock.DefaultAPIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body strings.Builder
	_, _ = io.Copy(&body, resp.Body)
	assert.Equal(t, `{"faults":[]}`, strings.TrimSpace(body.String()))
}

// A loopback server without the mock's admin endpoints is no mock: its
// @mock-only scenarios are skipped with the reason.
func TestMockOnlySkippedOnOtherLoopbackTargets(t *testing.T) {
	t.Parallel()
	m, err := mock.New(mock.Options{})
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/__mock/") {
			http.NotFound(w, r)
			return
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	const feature = `Feature: f
  @mock-only
  Scenario: needs the mock
    When I send a GET request to "/whoami"
    Then the status is 200
`
	res, out := run(t, map[string]string{"f.feature": feature}, func(c *Config) {
		c.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: mock.DefaultAPIKey}
	})
	sc := res.Run.Features[0].Scenarios[0]
	assert.Equal(t, report.Skipped, sc.Status, "console:\n%s", out)
	assert.Contains(t, sc.Error, "@mock-only needs the embedded mock or cmd/passfort-mock", "console:\n%s", out)
}

// A webhook that breaks the contract fails the scenario that waits for it,
// with a finding naming the webhook, the pointer and the rule.
func TestWebhookBreakingTheContractFails(t *testing.T) {
	t.Parallel()
	m, err := mockstack.New(mockstack.Options{})
	require.NoError(t, err)
	var hookURL atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && r.URL.Path == "/__mock/webhooks" {
			body, _ := io.ReadAll(r.Body)
			hookURL.Store(gjson.GetBytes(body, "url").String())
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/applications") && rec.Code == 200 {
			// A webhook of our own, with a status outside the enum.
			bad := `{"id":"0b6f3f0e-8d3c-4c36-9a54-8d2f0f1e2a33","event":"PRODUCT_STATUS_CHANGED","secret":"conformance-webhook-secret","timestamp":1,` +
				`"data":{"profile_id":"` + gjson.GetBytes(rec.Body.Bytes(), "id").String() + `","application_id":"` + gjson.GetBytes(rec.Body.Bytes(), "id").String() + `",` +
				`"new_status":"DONE","product":{"id":"0b6f3f0e-8d3c-4c36-9a54-8d2f0f1e2a33","alias":"a","name":"n"}}}`
			if u, _ := hookURL.Load().(string); u != "" {
				resp, err := http.Post(u, "application/json", strings.NewReader(bad))
				if err == nil {
					resp.Body.Close()
				}
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	const feature = `Feature: f
  @mock-only @mutating
  Scenario: a webhook out of the contract
    Given an INDIVIDUAL profile
    And the mock sends its webhooks to the harness
    When I add the product "forexo_basic" to the profile
    And I reject the application
    Then within 5 seconds a PRODUCT_STATUS_CHANGED webhook says the application is REJECTED
`
	res, out := run(t, map[string]string{"f.feature": feature}, func(c *Config) {
		c.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: mock.DefaultAPIKey}
	})
	assert.True(t, res.Failed)
	assert.Contains(t, out, "WEBHOOK PRODUCT_STATUS_CHANGED")
	assert.Contains(t, out, "/data/new_status")
}
