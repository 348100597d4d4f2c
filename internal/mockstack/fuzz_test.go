package mockstack

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/faults"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mocktest"
)

// FuzzServeHTTP sends the mock, with the gate on, arbitrary requests (method, path, body,
// Content-Type and how the API key is given) and holds every answer to the
// contract's basic promises: never a 5xx, an error envelope on every 4xx,
// JSON on every 2xx. ServeHTTP is called directly and the mock has no
// recover anywhere, so a panic fails the fuzz run instead of being hidden.
//
// The admin endpoints (/__mock/faults, /__mock/gate) are fuzzed too: bad
// input there is a 4xx with the envelope, like anywhere else.
//
// Paths and bodies may use {pid}, {aid}, {tid} and {eid}: they are replaced
// by the ids of a profile (with an application, tasks and an event) that the
// mock holds, so the fuzzer reaches the operations behind the 404s.
func FuzzServeHTTP(f *testing.F) {
	f.Add("GET", "/4.0/profiles/{pid}", []byte(nil), "", uint8(0))
	f.Add("POST", "/4.0/profiles/{pid}/applications", []byte(`{"product":{"alias":"forexo_basic"}}`), "application/json", uint8(0))
	clk := mocktest.NewClock()
	// The gate is on so that every request also passes the capabilities'
	// path; faults an input sets on /__mock/faults are cleared after it, so
	// the next input meets the API as it is.
	s, err := New(Options{Options: mock.Options{Seed: 1}, Clock: clk, Gate: true})
	require.NoError(f, err)
	f.Cleanup(s.Close)
	ids := fuzzFixture(f, s)
	replacer := strings.NewReplacer("{pid}", ids[0], "{aid}", ids[1], "{tid}", ids[2], "{eid}", ids[3])

	f.Fuzz(func(t *testing.T, method, path string, body []byte, contentType string, key uint8) {
		u, err := url.ParseRequestURI(replacer.Replace(path))
		if err != nil || !validMethod(method) {
			return // net/http never hands a handler such a request
		}
		body = []byte(replacer.Replace(string(body)))
		h := http.Header{}
		switch key % 4 {
		case 0:
			h.Set("apikey", mock.DefaultAPIKey)
		case 1: // no key
		case 2:
			h.Set("apikey", "wrong")
		case 3:
			q := u.Query()
			q.Set("apikey", mock.DefaultAPIKey)
			u.RawQuery = q.Encode()
		}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		req := &http.Request{
			Method: method, URL: u, RequestURI: u.RequestURI(), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: h, Host: "mock.test", Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
		}
		rec := httptest.NewRecorder()
		clk.Advance(10 * time.Millisecond)
		s.ServeHTTP(rec, req)
		clear := httptest.NewRequest(http.MethodDelete, faults.AdminPath, nil)
		clear.Header.Set("apikey", mock.DefaultAPIKey)
		s.ServeHTTP(httptest.NewRecorder(), clear)

		out := rec.Body.Bytes()
		switch {
		case rec.Code >= 500:
			require.Failf(t, "5xx", "%s %s answered %d: %s", method, u, rec.Code, out)
		case rec.Code >= 400:
			require.True(t, mocktest.ValidEnvelope(out), "%s %s answered %d without a valid error envelope: %s", method, u, rec.Code, out)
		case rec.Code >= 200 && rec.Code < 300:
			require.True(t, json.Valid(out), "%s %s answered %d with a body that is not JSON: %q", method, u, rec.Code, out)
		default:
			require.Failf(t, "status", "%s %s answered %d; want 2xx or 4xx", method, u, rec.Code)
		}
		require.Equal(t, "application/json", rec.Header().Get("Content-Type"), "%s %s: Content-Type", method, u)
	})
}

// fuzzFixture creates a profile with an application, its task and an event,
// and returns their ids.
func fuzzFixture(f *testing.F, s *Stack) [4]string {
	do := func(path, body string) map[string]any {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("apikey", mock.DefaultAPIKey)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		var out map[string]any
		require.Equal(f, 200, rec.Code, "fixture %s: %s", path, rec.Body)
		require.NoError(f, json.Unmarshal(rec.Body.Bytes(), &out), "fixture %s", path)
		return out
	}
	p := do("/4.0/profiles", `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"},"applications":[{"product":{"alias":"forexo_basic"}}]}`)
	pid := p["id"].(string)
	app := p["applications"].([]any)[0].(map[string]any)
	task := p["tasks"].([]any)[0].(map[string]any)
	ev := do("/4.0/profiles/"+pid+"/events", `{"data":{"event_type":"PEP_FLAG"}}`)
	return [4]string{pid, app["id"].(string), task["id"].(string), ev["id"].(string)}
}

// validMethod reports whether m is an HTTP method token, as net/http requires.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}
