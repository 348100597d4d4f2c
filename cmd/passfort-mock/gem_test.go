package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mocktest"
)

// gemClient calls the API as the 2019 Ruby client (gocardless/passfort
// 0.4.2) does on the wire: the apikey header, a JSON Content-Type on POST
// only, and exactly the bodies and query parameters it sends. Every answer
// must be a documented 2xx that the contract accepts.
type gemClient struct {
	t    *testing.T
	base string // ends in /4.0
	key  string
}

func (g gemClient) call(method, path, body string) map[string]any {
	g.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, g.base+path, rd)
	require.NoError(g.t, err)
	req.Header.Set("apikey", g.key)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(g.t, err, "%s %s", method, path)
	raw, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(g.t, err)
	// GEM accepts 200 or 201, then reads errors[0].code even on a success.
	require.Contains(g.t, []int{200, 201}, res.StatusCode, "%s %s: body %s", method, path, raw)
	ex := &exchange.Exchange{Method: method, Path: path, RequestHeader: req.Header, RequestBody: []byte(body),
		Status: res.StatusCode, ResponseHeader: res.Header, ResponseBody: raw, Attempts: 1}
	assert.Empty(g.t, mocktest.Validator(g.t).CheckResponse(ex), "%s %s answered %d: %s", method, path, res.StatusCode, raw)
	var out map[string]any
	require.NoError(g.t, json.Unmarshal(raw, &out), "%s %s: %s", method, path, raw)
	return out
}

// gemSession is what the Ruby client's README and specs do, in order.
func gemSession(t *testing.T, g gemClient) {
	company := `{"entity_type":"COMPANY","metadata":{"country_of_incorporation":"GBR","number":"09565115"}}`
	p := g.call(http.MethodPost, "/profiles", `{"role":"COMPANY_CUSTOMER","collected_data":`+company+`}`)
	pid, _ := p["id"].(string)
	require.NotEmpty(t, pid, "profile: %v", p)
	cd := g.call(http.MethodGet, "/profiles/"+pid+"/collected_data", "")
	assert.Equal(t, "COMPANY", cd["entity_type"])
	replaced := `{"entity_type":"COMPANY","metadata":{"name":"Forexo Trading Ltd","country_of_incorporation":"GBR"}}`
	g.call(http.MethodPost, "/profiles/"+pid+"/collected_data", replaced)
	back := g.call(http.MethodGet, "/profiles/"+pid+"/collected_data", "")
	raw, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, replaced, string(raw), "a replaced collected data reads back as replaced, not merged")
	check := g.call(http.MethodPost, "/profiles/"+pid+"/checks", `{"check_type": "IDENTITY_CHECK"}`)
	assert.Equal(t, "IDENTITY_CHECK", check["check_type"])
	assert.Equal(t, "COMPLETE", check["state"], "IDENTITY_CHECK runs sync by default")
	found := g.call(http.MethodGet, "/search/companies?country=GBR&number=09565115", "")
	companies, _ := found["companies"].([]any)
	require.Len(t, companies, 1, "%v", found)
	assert.Equal(t, "09565115", companies[0].(map[string]any)["number"])
}

// TestGEMClientEmbedded runs the 2019 client's calls against the mock in
// the test's process.
func TestGEMClientEmbedded(t *testing.T) {
	srv, err := mock.New(mock.Options{APIKey: "gem", Validator: mocktest.Validator(t), Model: mocktest.Model(t)})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	gemSession(t, gemClient{t: t, base: ts.URL + "/4.0", key: "gem"})
}

// TestGEMClientStandalone runs them against the standalone passfort-mock.
func TestGEMClientStandalone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr mocktest.LockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-api-key", "gem", "-quiet"}, &stdout, &stderr)
	}()
	gemSession(t, gemClient{t: t, base: waitForURL(t, &stdout), key: "gem"})
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code, "stderr: %s", stderr.String())
	case <-time.After(10 * time.Second):
		require.FailNow(t, "no graceful shutdown within 10s")
	}
}
