package target

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

func replayClient(t *testing.T, c *Cassette) *Client {
	t.Helper()
	cl, err := New(Config{BaseURL: "http://replay.invalid/4.0", Transport: NewReplay(c), MaxRetries: -1})
	require.NoError(t, err)
	return cl
}

func entry(method, path, reqBody string, status int, respBody string) CassetteEntry {
	e := CassetteEntry{Exchange: exchange.Exchange{
		Method: method, Path: path, URL: "https://api.passfort.com/4.0" + path, Status: status, Attempts: 1,
		ResponseHeader: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"999"}},
	}}
	if reqBody != "" {
		e.RequestBody = []byte(reqBody)
	}
	if respBody != "" {
		e.ResponseBody = []byte(respBody)
	}
	return e
}

// TestReplayRecordedRun records a run against a stateful server, writes
// and reads the cassette, and replays the same requests without a server.
func TestReplayRecordedRun(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == "POST" && r.URL.Path == "/4.0/profiles":
			w.WriteHeader(201)
			fmt.Fprintf(w, `{"id":"p%d"}`, n.Add(1))
		case r.Method == "GET":
			fmt.Fprintf(w, `{"path":%q,"seen":%d}`, r.URL.RequestURI(), n.Load())
		default:
			w.WriteHeader(404)
			io.WriteString(w, `{"errors":[{"code":201,"message":"nope"}]}`)
		}
	}))
	defer srv.Close()
	var rec *Recorder
	live := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Observe = func(ex *exchange.Exchange) { rec.Add("s", "f.feature", 1, ex) }
	})
	rec = NewRecorder(live.BaseURL(), "run-1", nil)
	reqs := []Request{
		{Method: "POST", Path: "/profiles", Body: []byte(`{"role":"INDIVIDUAL_CUSTOMER"}`)},
		{Method: "GET", Path: "/profiles/p1?x=1"},
		{Method: "POST", Path: "/profiles", Body: []byte(`{"role":"INDIVIDUAL_CUSTOMER"}`)},
		{Method: "GET", Path: "/profiles/p1?x=1"},
		{Method: "POST", Path: "/nowhere", Body: []byte("not json")},
	}
	var want []string
	for _, r := range reqs {
		ex, err := live.Do(context.Background(), r)
		require.NoError(t, err)
		want = append(want, fmt.Sprintf("%d %s", ex.Status, ex.ResponseBody))
	}
	path := filepath.Join(t.TempDir(), "c.json")
	require.NoError(t, rec.Write(path))
	cas, err := ReadCassette(path)
	require.NoError(t, err)
	replay := replayClient(t, cas)
	for i, r := range reqs {
		if r.Body != nil && r.Body[0] == '{' {
			r.Body = []byte("{ \"role\" : \"INDIVIDUAL_CUSTOMER\" }\n") // JSON compares compacted
		}
		ex, err := replay.Do(context.Background(), r)
		require.NoError(t, err)
		assert.Equal(t, want[i], fmt.Sprintf("%d %s", ex.Status, ex.ResponseBody))
	}
	_, err = replay.Do(context.Background(), reqs[0])
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cassette: no recorded exchange for POST /profiles (2 already replayed, 3 recorded for other requests)")
}

func TestReplayMisses(t *testing.T) {
	c := &Cassette{Version: 1, Exchanges: []CassetteEntry{
		entry("POST", "/profiles", `{"a":1}`, 200, `{}`),
		entry("GET", "/profiles/p1", "", 200, `{}`),
		entry("GET", "/whoami", "", 200, `{}`),
		entry("POST", "/x", "", 200, `{}`),
	}}
	tests := map[string]struct {
		method, path, body string
		want               string
	}{
		"unknown route":    {"POST", "/4.0/nothing", "", "cassette: no recorded exchange for POST /nothing (4 recorded for other requests)"},
		"other body":       {"POST", "/4.0/profiles", `{"a":2}`, "cassette: no recorded exchange for POST /profiles (1 recorded with another request body, 3 recorded for other requests)"},
		"other method":     {"DELETE", "/4.0/profiles/p1", "", "cassette: no recorded exchange for DELETE /profiles/p1 (4 recorded for other requests)"},
		"other query":      {"GET", "/4.0/whoami?x=1", "", "cassette: no recorded exchange for GET /whoami?x=1 (4 recorded for other requests)"},
		"outside the base": {"GET", "/whoami", "", "cassette: no recorded exchange for GET /whoami (4 recorded for other requests)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "http://replay.invalid"+tc.path, strings.NewReader(tc.body))
			_, err := NewReplay(c).RoundTrip(req)
			assert.ErrorIs(t, err, ErrNoRecording)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestReplayAnswers(t *testing.T) {
	exhausted := entry("POST", "/profiles", "", 429, `{"errors":[]}`)
	exhausted.Err = "retries-exhausted: retry budget exhausted: 429 after 4 attempts"
	exhausted.Attempts = 4
	failed := func(kind string) CassetteEntry {
		e := entry("GET", "/"+kind, "", 0, "")
		e.Err = kind + ": something went wrong"
		return e
	}
	guarded := entry("POST", "/guarded", "", 0, "")
	guarded.Attempts, guarded.Err = 0, "guarded: refused by the production guard"
	c := &Cassette{Version: 1, Exchanges: []CassetteEntry{
		entry("GET", "/seq", "", 200, `{"n":1}`),
		entry("GET", "/seq", "", 404, `{"n":2}`),
		exhausted,
		failed(finding.Timeout), failed(finding.TruncatedBody), failed(finding.Refused),
		guarded,
	}}
	cl := replayClient(t, c)
	ctx := context.Background()

	for i, want := range []string{`200 {"n":1}`, `404 {"n":2}`} {
		ex, err := cl.Do(ctx, Request{Path: "/seq"})
		assert.NoError(t, err, "GET /seq %d", i+1)
		assert.Equal(t, want, fmt.Sprintf("%d %s", ex.Status, ex.ResponseBody), "GET /seq %d", i+1)
		assert.Equal(t, "7", ex.ResponseHeader.Get("Content-Length"))
	}
	ex, err := cl.Do(ctx, Request{Method: "POST", Path: "/profiles"})
	assert.Equal(t, finding.RetriesExhausted, kindOf(t, err))
	assert.EqualValues(t, 429, ex.Status)
	assert.EqualValues(t, 1, ex.Attempts)
	for _, kind := range []string{finding.Timeout, finding.TruncatedBody, finding.Refused} {
		_, err := cl.Do(ctx, Request{Path: "/" + kind})
		assert.Equal(t, kind, kindOf(t, err))
		assert.Contains(t, err.Error(), "something went wrong")
	}
	_, err = cl.Do(ctx, Request{Method: "POST", Path: "/guarded"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no recorded exchange")
}

func TestReplayConcurrent(t *testing.T) {
	var c Cassette
	c.Version = 1
	for i := range 50 {
		c.Exchanges = append(c.Exchanges, entry("GET", fmt.Sprintf("/p/%d", i), "", 200, fmt.Sprintf(`{"i":%d}`, i)))
	}
	cl := replayClient(t, &c)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			ex, err := cl.Do(context.Background(), Request{Path: fmt.Sprintf("/p/%d", i)})
			assert.NoError(t, err)
			assert.Equal(t, fmt.Sprintf(`{"i":%d}`, i), string(ex.ResponseBody))
		})
	}
	wg.Wait()
}
