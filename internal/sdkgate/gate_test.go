package sdkgate_test

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/mockstack/stacktest"
	"github.com/passfort-conformance/harness/internal/mocktest"
)

func TestGate(t *testing.T) {
	t.Parallel()
	e := stacktest.New(t, mockstack.Options{Options: mock.Options{AutomationDelay: -1}, Gate: true})
	pid := e.NewProfile() // a good request
	e.Get("/profiles/" + pid).Want(200)
	e.Unrecorded("POST", "/profiles/"+pid+"/applications", map[string]any{"associated_role": "DIRECTOR"}).Want(400)
	e.Unrecorded("GET", "/profiles?limit=999", nil).Want(400)
	e.Request("GET", "/whoami", nil, "Apikey", "").Want(401)
	req := httptest.NewRequest("GET", "/profiles", nil) // outside /4.0
	req.Header.Set("apikey", mock.DefaultAPIKey)
	e.Stack.ServeHTTP(httptest.NewRecorder(), req)

	require.NotNil(t, e.Stack.Gate, "the gate is off with Options.Gate")
	g := e.Stack.Gate.Report()
	assert.Equal(t, int64(6), g.Requests, "requests")
	assert.Equal(t, int64(3), g.BadRequests, "bad requests")
	assert.True(t, g.Failed())
	wantOps := map[string]map[int]int64{
		"POST /profiles":                           {200: 1},
		"GET /profiles/{profile_id}":               {200: 1},
		"POST /profiles/{profile_id}/applications": {400: 1},
		"GET /profiles":                            {400: 1},
		"GET /whoami":                              {401: 1},
		"GET /profiles (outside /4.0)":             {404: 1},
	}
	got := map[string]map[int]int64{}
	for op, o := range g.Operations {
		got[op] = o.Statuses
	}
	assert.Equal(t, wantOps, got, "operations %q", g.OperationNames())
	lines := g.Lines()
	sort.Strings(lines)
	want := []string{
		"GET /profiles (outside /4.0) 404: the API lives below /4.0",
		"GET /profiles 400: query parameter \"limit\": got 999: number must be at most 200 [invalid-request maximum]",
		"POST /profiles/{profile_id}/applications 400: /product: value is required [invalid-request required]",
	}
	require.Len(t, lines, len(want), "lines %q", lines)
	for i, w := range want {
		assert.True(t, strings.HasPrefix(lines[i], w), "line %d = %q; want it to start with %q", i, lines[i], w)
	}
	for _, f := range g.Findings {
		assert.Equal(t, finding.Contract, f.Class, "finding %+v", f)
		assert.NotZero(t, f.Status, "finding %+v: want the status answered", f)
	}

	// The admin endpoint serves the same record; DELETE starts afresh.
	req = httptest.NewRequest("GET", "/__mock/gate", nil)
	req.Header.Set("apikey", mock.DefaultAPIKey)
	rec := httptest.NewRecorder()
	e.Stack.ServeHTTP(rec, req)
	assert.Equal(t, 200, rec.Code)
	assert.Contains(t, rec.Body.String(), `"bad_requests":3`)
	req = httptest.NewRequest("DELETE", "/__mock/gate", nil)
	req.Header.Set("apikey", mock.DefaultAPIKey)
	e.Stack.ServeHTTP(httptest.NewRecorder(), req)
	g = e.Stack.Gate.Report()
	assert.Zero(t, g.Requests, "after DELETE")
	assert.Empty(t, g.Findings, "after DELETE")
	assert.Empty(t, g.Operations, "after DELETE")
}

// The gate reads bodies before the API does: the API's answers stay the
// same, its limits included.
func TestGateChangesNoAnswer(t *testing.T) {
	t.Parallel()
	tooLarge := `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"},"x":"` + strings.Repeat("a", 100) + `"}`
	tests := map[string]struct {
		method, path, body, contentType string
		chunked                         bool
		status                          int
	}{
		"body too large":          {"POST", "/profiles", tooLarge, "application/json", false, 413},
		"body too large, chunked": {"POST", "/profiles", tooLarge, "application/json", true, 413},
		"not json content type":   {"POST", "/profiles", `{}`, "text/plain", false, 415},
		"malformed json":          {"POST", "/profiles", `{"role":`, "application/json", false, 400},
		"empty body":              {"POST", "/profiles", ``, "application/json", false, 400},
		"bad query":               {"GET", "/profiles?limit=999", ``, "", false, 400},
		"unknown path":            {"GET", "/nothing", ``, "", false, 404},
		"wrong method":            {"DELETE", "/whoami", ``, "", false, 405},
		"good":                    {"POST", "/profiles", `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"}}`, "application/json", false, 200},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var bodies []string
			for _, gate := range []bool{false, true} {
				st, err := mockstack.New(mockstack.Options{Options: mock.Options{MaxBodyBytes: 100, Seed: 1, Validator: mocktest.Validator(t), Model: mocktest.Model(t)}, Clock: mocktest.NewClock(), Gate: gate})
				require.NoError(t, err)
				t.Cleanup(st.Close)
				req := httptest.NewRequest(tc.method, "http://mock.test/4.0"+tc.path, strings.NewReader(tc.body))
				req.Header = http.Header{"Apikey": {mock.DefaultAPIKey}}
				if tc.contentType != "" {
					req.Header.Set("Content-Type", tc.contentType)
				}
				if tc.chunked {
					req.ContentLength = -1
				}
				rec := httptest.NewRecorder()
				st.ServeHTTP(rec, req)
				assert.Equal(t, tc.status, rec.Code, "gate=%v: %s", gate, rec.Body)
				bodies = append(bodies, rec.Body.String())
			}
			assert.Equal(t, bodies[0], bodies[1], "the same answer with and without the gate")
		})
	}
}

// A GET the router serves, without a query, is no good request when its
// operation requires a query parameter: the SDK that searches companies
// without a country breaks the contract even though the path routes.
func TestGateGetWithoutItsRequiredQuery(t *testing.T) {
	t.Parallel()
	e := stacktest.New(t, mockstack.Options{Options: mock.Options{AutomationDelay: -1}, Gate: true})
	e.Unrecorded("GET", "/search/companies", nil).Want(400)
	e.Get("/whoami").Want(200) // the fast path still serves a GET with nothing to check
	g := e.Stack.Gate.Report()
	assert.EqualValues(t, 1, g.BadRequests, "bad requests: %q", g.Lines())
	if assert.Len(t, g.Findings, 1) {
		assert.Equal(t, "GET /search/companies", g.Findings[0].Operation)
		assert.Contains(t, g.Findings[0].Message, "country")
	}
}
