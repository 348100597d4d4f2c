package mockstack

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/faults"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockscope"
	"github.com/passfort-conformance/harness/internal/mocktest"
	"github.com/passfort-conformance/harness/internal/webhooks"
)

// FuzzAdminBodies sends arbitrary bodies to the admin endpoints that take
// one (POST /__mock/faults and /__mock/webhooks): each answers 200 with
// JSON or a 4xx with the envelope, never a 5xx; a webhook it accepts is on
// loopback (decision D80); the API still answers afterwards.
func FuzzAdminBodies(f *testing.F) {
	for _, seed := range []struct {
		webhooks bool
		body     string
	}{
		{false, `[{"method":"GET","path":"/profiles/*","kind":"status","status":503}]`},
		{false, `[{"path":"*","kind":"latency","latency":"10ms"}]`},
		{false, `[{"path":"*","kind":"slow-body","latency":"1h","chunk":-1}]`},
		{true, `{"url":"http://127.0.0.1:9/hooks","secret":"s"}`},
		{true, `{"url":"http://169.254.169.254/latest/meta-data/"}`},
		{true, `{"url":"http://[::ffff:169.254.169.254]/"}`},
		{true, `{"url":"http://127.0.0.1.nip.io/"}`},
		{true, "{\"url\":\"http://\xff/\"}"},
	} {
		f.Add(seed.webhooks, []byte(seed.body), "")
	}
	clk := mocktest.NewClock()
	s, err := New(Options{Options: mock.Options{Seed: 1}, Clock: clk})
	require.NoError(f, err)
	f.Cleanup(s.Close)

	f.Fuzz(func(t *testing.T, hooks bool, body []byte, scope string) {
		path := faults.AdminPath
		if hooks {
			path = webhooks.AdminPath
		}
		do := func(method, path string, body []byte) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, path, bytes.NewReader(body))
			req.Header.Set("apikey", mock.DefaultAPIKey)
			req.Header.Set("Content-Type", "application/json")
			if scope != "" && len(scope) <= mockscope.MaxLen && validHeaderValue(scope) {
				req.Header.Set(mockscope.Header, scope)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			return rec
		}
		rec := do(http.MethodPost, path, body)
		defer do(http.MethodDelete, path, nil)
		out := rec.Body.Bytes()
		switch {
		case rec.Code == http.StatusOK:
			require.True(t, json.Valid(out), "POST %s answered 200 with a body that is not JSON: %q", path, out)
			if hooks {
				var c webhooks.Config
				require.NoError(t, json.Unmarshal(out, &c))
				if c.URL != "" {
					require.NoError(t, webhooks.CheckURL(webhooks.Egress{}, c.URL), "POST %s accepted a receiver outside loopback", path)
				}
			}
		case rec.Code >= 400 && rec.Code < 500:
			require.True(t, mocktest.ValidEnvelope(out), "POST %s answered %d without a valid error envelope: %s", path, rec.Code, out)
		default:
			require.Failf(t, "status", "POST %s answered %d; want 200 or a 4xx: %s", path, rec.Code, out)
		}
		do(http.MethodDelete, faults.AdminPath, nil)
		clk.Advance(10 * time.Millisecond)
		who := do(http.MethodGet, "/4.0/whoami", nil)
		require.Equal(t, http.StatusOK, who.Code, "GET /whoami after POST %s %q: %s", path, body, who.Body)
	})
}

// validHeaderValue reports whether v can travel in a header as is.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' || c == 0x7f {
			return false
		}
	}
	return true
}
