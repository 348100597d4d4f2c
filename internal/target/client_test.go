package target

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

const testKey = "test-key-0123456789"

// countingServer is an httptest server that counts the requests that
// reached it: the only honest measure of what the client retried.
type countingServer struct {
	*httptest.Server
	hits atomic.Int64
}

func newCountingServer(t *testing.T, h func(n int64, w http.ResponseWriter, r *http.Request)) *countingServer {
	t.Helper()
	s := &countingServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(s.hits.Add(1), w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func newTestClient(t *testing.T, base string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: base + "/4.0", APIKey: testKey, Backoff: time.Millisecond, Timeout: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err, "New")
	return c
}

// kindOf returns the *Error's kind, "" for nil, and fails on other errors.
func kindOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var te *Error
	require.ErrorAs(t, err, &te)
	return te.Kind
}

func TestDoSendsRequest(t *testing.T) {
	type seen struct {
		method, uri, apikey, contentType, accept, body, scope string
		hasKey                                                bool
	}
	tests := map[string]struct {
		req    Request
		header http.Header // Config.Header
		want   seen
	}{
		"get with the configured key": {
			req:  Request{Method: "GET", Path: "/profiles/p1?limit=2"},
			want: seen{method: "GET", uri: "/4.0/profiles/p1?limit=2", apikey: testKey, hasKey: true, accept: "application/json"},
		},
		"empty method is get": {
			req:  Request{Path: "/whoami"},
			want: seen{method: "GET", uri: "/4.0/whoami", apikey: testKey, hasKey: true, accept: "application/json"},
		},
		"post body is json by default": {
			req:  Request{Method: "POST", Path: "/profiles", Body: []byte(`{"role":"INDIVIDUAL_CUSTOMER"}`)},
			want: seen{method: "POST", uri: "/4.0/profiles", apikey: testKey, hasKey: true, contentType: "application/json", accept: "application/json", body: `{"role":"INDIVIDUAL_CUSTOMER"}`},
		},
		"header overrides content type and accept": {
			req: Request{Method: "POST", Path: "/profiles/p1/files", Body: []byte("raw"),
				Header: http.Header{"content-type": {"application/pdf"}, "Accept": {"*/*"}}},
			want: seen{method: "POST", uri: "/4.0/profiles/p1/files", apikey: testKey, hasKey: true, contentType: "application/pdf", accept: "*/*", body: "raw"},
		},
		"omit key": {
			req:  Request{Method: "GET", Path: "/whoami", OmitKey: true},
			want: seen{method: "GET", uri: "/4.0/whoami", accept: "application/json"},
		},
		"omit key drops an apikey header too": {
			req:  Request{Method: "GET", Path: "/whoami", OmitKey: true, Header: http.Header{"apikey": {"smuggled"}}},
			want: seen{method: "GET", uri: "/4.0/whoami", accept: "application/json"},
		},
		"key override": {
			req:  Request{Method: "GET", Path: "/whoami", Key: "other-key-42"},
			want: seen{method: "GET", uri: "/4.0/whoami", apikey: "other-key-42", hasKey: true, accept: "application/json"},
		},
		"path without a leading slash": {
			req:  Request{Method: "GET", Path: "whoami"},
			want: seen{method: "GET", uri: "/4.0/whoami", apikey: testKey, hasKey: true, accept: "application/json"},
		},
		"config header on every request": {
			req:    Request{Method: "GET", Path: "/whoami"},
			header: http.Header{"x-mock-scope": {"run/1"}},
			want:   seen{method: "GET", uri: "/4.0/whoami", apikey: testKey, hasKey: true, accept: "application/json", scope: "run/1"},
		},
		"request header wins over config header": {
			req:    Request{Method: "GET", Path: "/whoami", Header: http.Header{"X-Mock-Scope": {"mine"}}},
			header: http.Header{"X-Mock-Scope": {"run/1"}},
			want:   seen{method: "GET", uri: "/4.0/whoami", apikey: testKey, hasKey: true, accept: "application/json", scope: "mine"},
		},
		"percent-encoding kept": {
			req:  Request{Method: "GET", Path: "/tags/search/a%2Fb?q=x%20y"},
			want: seen{method: "GET", uri: "/4.0/tags/search/a%2Fb?q=x%20y", apikey: testKey, hasKey: true, accept: "application/json"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got seen
			srv := newCountingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				_, has := r.Header["Apikey"]
				got = seen{method: r.Method, uri: r.RequestURI, apikey: r.Header.Get("apikey"), hasKey: has,
					contentType: r.Header.Get("Content-Type"), accept: r.Header.Get("Accept"), body: string(b), scope: r.Header.Get("X-Mock-Scope")}
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{}`)
			})
			c := newTestClient(t, srv.URL, func(c *Config) { c.Header = tc.header })
			ex, err := c.Do(context.Background(), tc.req)
			require.NoError(t, err, "Do")
			assert.Equal(t, tc.want, got)
			assert.EqualValues(t, 200, ex.Status)
			assert.EqualValues(t, 1, ex.Attempts)
			assert.Equal(t, `{}`, string(ex.ResponseBody))
			assert.Equal(t, "application/json", ex.ContentType())
			assert.Equal(t, tc.req.Path, ex.Path)
			assert.Equal(t, tc.want.method, ex.Method)
			assert.True(t, strings.HasSuffix(ex.URL, tc.want.uri), "%q lacks the suffix %q", ex.URL, tc.want.uri)
			assert.False(t, tc.want.hasKey && ex.RequestHeader.Get("Apikey") != Redacted, "recorded apikey")
		})
	}
}

// reply is one canned answer of a scripted server.
type reply struct {
	status int
	header map[string]string
}

func TestDoRetries(t *testing.T) {
	ok := reply{status: 200}
	tests := map[string]struct {
		method     string
		script     []reply // the n-th request gets script[n], the last repeats
		noRetry    bool
		maxRetries int
		wantHits   int64
		wantStatus int
		wantKind   string
	}{
		"429 then 200, get":                          {method: "GET", script: []reply{{status: 429}, ok}, wantHits: 2, wantStatus: 200},
		"429 then 200, post":                         {method: "POST", script: []reply{{status: 429}, ok}, wantHits: 2, wantStatus: 200},
		"503 with Retry-After, post":                 {method: "POST", script: []reply{{503, map[string]string{"Retry-After": "0"}}, ok}, wantHits: 2, wantStatus: 200},
		"503 with X-RateLimit-Retry-Secs, post":      {method: "POST", script: []reply{{503, map[string]string{"X-RateLimit-Retry-Secs": "0"}}, ok}, wantHits: 2, wantStatus: 200},
		"503 without retry header, post":             {method: "POST", script: []reply{{status: 503}, ok}, wantHits: 1, wantStatus: 503},
		"503 without retry header, get":              {method: "GET", script: []reply{{status: 503}, ok}, wantHits: 1, wantStatus: 503},
		"503 with an unparsable retry header":        {method: "GET", script: []reply{{503, map[string]string{"Retry-After": "soon"}}, ok}, wantHits: 1, wantStatus: 503},
		"500 is an answer, not retried":              {method: "GET", script: []reply{{status: 500}, ok}, wantHits: 1, wantStatus: 500},
		"502 is an answer, not retried":              {method: "POST", script: []reply{{status: 502}, ok}, wantHits: 1, wantStatus: 502},
		"budget exhausted":                           {method: "POST", script: []reply{{status: 429}}, maxRetries: 2, wantHits: 3, wantStatus: 429, wantKind: finding.RetriesExhausted},
		"budget exhausted on 503 with header":        {method: "GET", script: []reply{{503, map[string]string{"Retry-After": "0"}}}, maxRetries: 1, wantHits: 2, wantStatus: 503, wantKind: finding.RetriesExhausted},
		"no budget: first 429 exhausts it":           {method: "GET", script: []reply{{status: 429}, ok}, maxRetries: -1, wantHits: 1, wantStatus: 429, wantKind: finding.RetriesExhausted},
		"no retry: 429 is the answer":                {method: "POST", script: []reply{{status: 429}, ok}, noRetry: true, wantHits: 1, wantStatus: 429},
		"no retry: 503 with header is the answer":    {method: "GET", script: []reply{{503, map[string]string{"Retry-After": "0"}}, ok}, noRetry: true, wantHits: 1, wantStatus: 503},
		"wait over the cap is not retried early":     {method: "GET", script: []reply{{429, map[string]string{"X-RateLimit-Retry-Secs": "3600"}}, ok}, wantHits: 1, wantStatus: 429, wantKind: finding.RetriesExhausted},
		"200 is not retried":                         {method: "POST", script: []reply{ok, {status: 429}}, wantHits: 1, wantStatus: 200},
		"two 429 then 200 within the default budget": {method: "POST", script: []reply{{status: 429}, {status: 429}, ok}, wantHits: 3, wantStatus: 200},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newCountingServer(t, func(n int64, w http.ResponseWriter, r *http.Request) {
				rep := tc.script[min(int(n), len(tc.script))-1]
				for k, v := range rep.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(rep.status)
			})
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = tc.maxRetries })
			ex, err := c.Do(context.Background(), Request{Method: tc.method, Path: "/profiles", NoRetry: tc.noRetry})
			got := kindOf(t, err)
			assert.Equal(t, tc.wantKind, got, "kind of the error %v", err)
			assert.Equal(t, tc.wantHits, srv.hits.Load(), "server hits")
			assert.Equal(t, tc.wantHits, int64(ex.Attempts), "exchange attempts")
			assert.Equal(t, tc.wantStatus, ex.Status, "status")
			st := c.Stats()
			assert.Equal(t, tc.wantHits, st.Requests)
			assert.Equal(t, tc.wantHits-1, st.Retries)
			assert.EqualValues(t, 1, st.Exchanges)
			var te *Error
			assert.False(t, errors.As(err, &te) && te.Status != tc.wantStatus, "error status")
			assert.Equal(t, (ex.Err != ""), (err != nil))
		})
	}
}

func TestDoHonoursRetryHeaders(t *testing.T) {
	tests := map[string]struct {
		header   map[string]string
		wantWait time.Duration
	}{
		"X-RateLimit-Retry-Secs":          {map[string]string{"X-RateLimit-Retry-Secs": "0.08"}, 80 * time.Millisecond},
		"Retry-After seconds":             {map[string]string{"Retry-After": "0.06"}, 60 * time.Millisecond},
		"PassFort's header first":         {map[string]string{"X-RateLimit-Retry-Secs": "0.07", "Retry-After": "0"}, 70 * time.Millisecond},
		"no header: the client's backoff": {nil, 20 * time.Millisecond},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newCountingServer(t, func(n int64, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					for k, v := range tc.header {
						w.Header().Set(k, v)
					}
					w.WriteHeader(429)
				}
			})
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Backoff = 20 * time.Millisecond })
			start := time.Now()
			ex, err := c.Do(context.Background(), Request{Method: "POST", Path: "/profiles"})
			require.NoError(t, err, "Do")
			require.EqualValues(t, 2, ex.Attempts)
			require.EqualValues(t, 2, srv.hits.Load())
			require.EqualValues(t, 200, ex.Status)
			assert.Equal(t, tc.wantWait, ex.Waited)
			assert.EqualValues(t, 0, ex.Throttled)
			assert.GreaterOrEqual(t, time.Since(start), tc.wantWait)
			st := c.Stats()
			assert.Equal(t, tc.wantWait, st.Waited)
			assert.EqualValues(t, 0, st.Throttled)
		})
	}
}

func TestRetryHeader(t *testing.T) {
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	tests := map[string]struct {
		header map[string]string
		min    time.Duration
		max    time.Duration
		ok     bool
	}{
		"none":                   {nil, 0, 0, false},
		"whole seconds":          {map[string]string{"Retry-After": "2"}, 2 * time.Second, 2 * time.Second, true},
		"fraction":               {map[string]string{"X-RateLimit-Retry-Secs": "0.5"}, 500 * time.Millisecond, 500 * time.Millisecond, true},
		"spaces":                 {map[string]string{"Retry-After": " 3 "}, 3 * time.Second, 3 * time.Second, true},
		"negative is absent":     {map[string]string{"Retry-After": "-1"}, 0, 0, false},
		"NaN is absent":          {map[string]string{"Retry-After": "NaN"}, 0, 0, false},
		"Inf is absent":          {map[string]string{"Retry-After": "+Inf"}, 0, 0, false},
		"trailing junk":          {map[string]string{"Retry-After": "1abc"}, 0, 0, false},
		"bad passfort, good std": {map[string]string{"X-RateLimit-Retry-Secs": "x", "Retry-After": "1"}, time.Second, time.Second, true},
		"http date ahead":        {map[string]string{"Retry-After": future}, 59 * time.Minute, time.Hour, true},
		"http date gone":         {map[string]string{"Retry-After": past}, 0, 0, true},
		"huge does not overflow": {map[string]string{"Retry-After": "1e300"}, time.Duration(1<<63 - 1), time.Duration(1<<63 - 1), true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.header {
				h.Set(k, v)
			}
			d, ok := retryHeader(h)
			assert.Equal(t, tc.ok, ok)
			assert.GreaterOrEqual(t, d, tc.min)
			assert.LessOrEqual(t, d, tc.max)
		})
	}
}

func TestDoTimeout(t *testing.T) {
	tests := map[string]struct {
		method string
		// midBody sends the headers and part of the body before stalling.
		midBody bool
	}{
		"get stalls before headers":  {method: "GET"},
		"post stalls before headers": {method: "POST"},
		"post stalls mid-body":       {method: "POST", midBody: true},
		"get stalls mid-body":        {method: "GET", midBody: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			srv := newCountingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
				if tc.midBody {
					w.Header().Set("Content-Length", "100")
					io.WriteString(w, `{"id":`)
					w.(http.Flusher).Flush()
				}
				select {
				case <-r.Context().Done():
				case <-release:
				}
			})
			defer close(release)
			const timeout = 100 * time.Millisecond
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Timeout = timeout })
			start := time.Now()
			ex, err := c.Do(context.Background(), Request{Method: tc.method, Path: "/profiles", Body: []byte(`{}`)})
			elapsed := time.Since(start)
			got := kindOf(t, err)
			assert.Equal(t, finding.Timeout, got, "kind of the error %v", err)
			assert.LessOrEqual(t, elapsed, 20*timeout)
			assert.EqualValues(t, 1, srv.hits.Load())
			assert.EqualValues(t, 1, ex.Attempts)
		})
	}
}

func TestDoRequestTimeoutOverride(t *testing.T) {
	srv := newCountingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(200 * time.Millisecond):
		}
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Timeout = 20 * time.Millisecond })
	_, err := c.Do(context.Background(), Request{Path: "/slow", Timeout: 5 * time.Second})
	assert.NoError(t, err)
	_, err = c.Do(context.Background(), Request{Path: "/slow"})
	assert.Equal(t, finding.Timeout, kindOf(t, err))
}

// closedPort returns the address of a port on 127.0.0.1 nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestDoRefused(t *testing.T) {
	tests := map[string]struct {
		method       string
		noRetry      bool
		maxRetries   int
		wantAttempts int
	}{
		"get is retried":      {method: "GET", maxRetries: 2, wantAttempts: 3},
		"post is retried":     {method: "POST", maxRetries: 2, wantAttempts: 3},
		"no retry":            {method: "POST", noRetry: true, maxRetries: 2, wantAttempts: 1},
		"no budget":           {method: "GET", maxRetries: -1, wantAttempts: 1},
		"default budget of 3": {method: "POST", wantAttempts: 4},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, closedPort(t), func(cfg *Config) { cfg.MaxRetries = tc.maxRetries })
			ex, err := c.Do(context.Background(), Request{Method: tc.method, Path: "/profiles", Body: []byte(`{}`), NoRetry: tc.noRetry})
			got := kindOf(t, err)
			assert.Equal(t, finding.Refused, got, "kind of the error %v", err)
			assert.Equal(t, tc.wantAttempts, ex.Attempts)
			assert.EqualValues(t, 0, ex.Status)
			st := c.Stats()
			assert.Equal(t, int64(tc.wantAttempts), st.Requests)
			assert.Equal(t, int64(tc.wantAttempts-1), st.Retries)
			assert.EqualValues(t, 1, st.Errors)
		})
	}
}

func TestDoTruncatedBody(t *testing.T) {
	hijacked := func(raw string) func(int64, http.ResponseWriter, *http.Request) {
		return func(_ int64, w http.ResponseWriter, r *http.Request) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if !assert.NoError(t, err, "hijack") {
				return
			}
			buf.WriteString(raw)
			buf.Flush()
			conn.Close()
		}
	}
	tests := map[string]struct {
		method  string
		handler func(int64, http.ResponseWriter, *http.Request)
		maxBody int64
	}{
		"content-length longer than the body, post": {method: "POST",
			handler: hijacked("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":")},
		"content-length longer than the body, get": {method: "GET",
			handler: hijacked("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":")},
		"chunked body cut mid-chunk": {method: "GET",
			handler: hijacked("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n{\"id\":")},
		"429 cut short is not retried either": {method: "POST",
			handler: hijacked("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 50\r\n\r\n{")},
		"body over the client's cap": {method: "GET", maxBody: 10,
			handler: func(_ int64, w http.ResponseWriter, r *http.Request) { io.WriteString(w, strings.Repeat("x", 11)) }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newCountingServer(t, tc.handler)
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxBodyBytes = tc.maxBody })
			ex, err := c.Do(context.Background(), Request{Method: tc.method, Path: "/profiles"})
			got := kindOf(t, err)
			assert.Equal(t, finding.TruncatedBody, got, "kind of the error %v", err)
			assert.EqualValues(t, 1, srv.hits.Load())
			assert.EqualValues(t, 1, ex.Attempts)
		})
	}
}

func TestDoInProcessTruncatedBody(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, `{"id":`)
	})
	c, err := New(Config{BaseURL: "http://mock/4.0", Transport: InProcess(h)})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), Request{Path: "/profiles"})
	got := kindOf(t, err)
	assert.Equal(t, finding.TruncatedBody, got, "kind of the error %v", err)
	// HEAD announces a length it does not send.
	_, err = c.Do(context.Background(), Request{Method: "HEAD", Path: "/profiles"})
	assert.NoError(t, err)
}

func TestDoGuarded(t *testing.T) {
	srv := newCountingServer(t, func(int64, http.ResponseWriter, *http.Request) {})
	var observed []*exchange.Exchange
	var gotMethod, gotPath string
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Allow = func(method, path string) error {
			gotMethod, gotPath = method, path
			return errors.New("live target: @mutating scenarios are refused")
		}
		cfg.Observe = func(ex *exchange.Exchange) { observed = append(observed, ex) }
	})
	ex, err := c.Do(context.Background(), Request{Method: "POST", Path: "/profiles/p1/applications?x=1"})
	got := kindOf(t, err)
	assert.Equal(t, finding.Guarded, got, "kind of the error %v", err)
	assert.Contains(t, err.Error(), "@mutating scenarios are refused")
	assert.Equal(t, "POST", gotMethod)
	assert.Equal(t, "/profiles/p1/applications", gotPath)
	assert.EqualValues(t, 0, srv.hits.Load())
	assert.EqualValues(t, 0, ex.Attempts)
	assert.EqualValues(t, 0, ex.Status)
	assert.Len(t, observed, 1)
	assert.NotEmpty(t, observed[0].Err)
	st := c.Stats()
	assert.EqualValues(t, 0, st.Requests)
	assert.EqualValues(t, 1, st.Exchanges)
	assert.EqualValues(t, 1, st.Errors)
}

func TestDoRunDeadline(t *testing.T) {
	t.Run("passed: nothing is sent", func(t *testing.T) {
		t.Parallel()
		srv := newCountingServer(t, func(int64, http.ResponseWriter, *http.Request) {})
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Deadline = time.Now().Add(-time.Second) })
		ex, err := c.Do(context.Background(), Request{Path: "/whoami"})
		got := kindOf(t, err)
		assert.Equal(t, finding.Timeout, got, "kind of the error %v", err)
		assert.EqualValues(t, 0, srv.hits.Load())
		assert.EqualValues(t, 0, ex.Attempts)
	})
	t.Run("cuts a slow answer short", func(t *testing.T) {
		t.Parallel()
		srv := newCountingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		})
		c := newTestClient(t, srv.URL, func(cfg *Config) {
			cfg.Timeout = time.Minute
			cfg.Deadline = time.Now().Add(100 * time.Millisecond)
		})
		start := time.Now()
		_, err := c.Do(context.Background(), Request{Path: "/whoami"})
		got := kindOf(t, err)
		assert.Equal(t, finding.Timeout, got, "kind of the error %v", err)
		assert.LessOrEqual(t, time.Since(start), 3*time.Second)
	})
	t.Run("a retry wait past it fails at once", func(t *testing.T) {
		t.Parallel()
		srv := newCountingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Retry-Secs", "20")
			w.WriteHeader(429)
		})
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Deadline = time.Now().Add(10 * time.Second) })
		start := time.Now()
		ex, err := c.Do(context.Background(), Request{Method: "POST", Path: "/profiles"})
		got := kindOf(t, err)
		assert.Equal(t, finding.Timeout, got, "kind of the error %v", err)
		assert.LessOrEqual(t, time.Since(start), 3*time.Second)
		assert.EqualValues(t, 1, srv.hits.Load())
		assert.EqualValues(t, 429, ex.Status)
		assert.EqualValues(t, 0, ex.Waited)
	})
	t.Run("cancelled context", func(t *testing.T) {
		t.Parallel()
		srv := newCountingServer(t, func(int64, http.ResponseWriter, *http.Request) {})
		c := newTestClient(t, srv.URL, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Do(ctx, Request{Path: "/whoami"})
		got := kindOf(t, err)
		assert.Equal(t, finding.Timeout, got, "kind of the error %v", err)
		assert.EqualValues(t, 0, srv.hits.Load())
	})
}

func TestDoRateLimited(t *testing.T) {
	srv := newCountingServer(t, func(int64, http.ResponseWriter, *http.Request) {})
	// 1 request per 40ms after a burst of 2: the third waits.
	lim := NewLimiter(1, Limit{Method: "POST", Path: "/profiles", Rate: 1, Per: 40 * time.Millisecond, Burst: 2})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Limiter = lim })
	var waited time.Duration
	for range 3 {
		ex, err := c.Do(context.Background(), Request{Method: "POST", Path: "/profiles"})
		require.NoError(t, err)
		assert.Equal(t, ex.Waited, ex.Throttled)
		waited += ex.Waited
	}
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/profiles"})
	require.NoError(t, err)
	st := c.Stats()
	assert.Positive(t, st.Throttled)
	assert.Equal(t, st.Waited, st.Throttled)
	assert.Equal(t, waited, st.Throttled)
	assert.EqualValues(t, 4, st.Requests)
	assert.EqualValues(t, 4, srv.hits.Load())
}

func TestSharedMeter(t *testing.T) {
	srv := newCountingServer(t, func(int64, http.ResponseWriter, *http.Request) {})
	m := new(Meter)
	var wg sync.WaitGroup
	for range 4 {
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Meter = m })
		wg.Go(func() {
			for range 5 {
				_, err := c.Do(context.Background(), Request{Path: "/whoami"})
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	st := m.Stats()
	assert.EqualValues(t, 20, st.Exchanges)
	assert.EqualValues(t, 20, st.Requests)
	assert.EqualValues(t, 0, st.Retries)
	assert.EqualValues(t, 0, st.Errors)
}

func TestNewRejects(t *testing.T) {
	tests := map[string]Config{
		"empty base":       {},
		"relative base":    {BaseURL: "/4.0"},
		"ftp base":         {BaseURL: "ftp://example.com/4.0"},
		"base with query":  {BaseURL: "http://example.com/4.0?apikey=x"},
		"short key":        {BaseURL: "http://example.com/4.0", APIKey: "abc"},
		"short secret":     {BaseURL: "http://example.com/4.0", Secrets: []string{"ok-secret", "ab"}},
		"short password":   {BaseURL: "http://u:pw@example.com/4.0"},
		"negative timeout": {BaseURL: "http://example.com/4.0", Timeout: -time.Second},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := New(cfg)
			assert.Error(t, err, "New(%+v)", cfg)
		})
	}
}

func TestDoRejectsAbsolutePath(t *testing.T) {
	srv := newCountingServer(t, func(int64, http.ResponseWriter, *http.Request) {})
	c := newTestClient(t, srv.URL, nil)
	// Without the check, "//evil.example/x" would parse as a host.
	for _, p := range []string{"//evil.example/x", "//user@evil.example"} {
		_, err := c.Do(context.Background(), Request{Path: p})
		assert.Error(t, err, "Do(%q)", p)
	}
	assert.EqualValues(t, 0, srv.hits.Load())
}

func TestBaseURLRedactsPassword(t *testing.T) {
	c, err := New(Config{BaseURL: "https://user:s3cret-pass@example.com/4.0/"})
	require.NoError(t, err)
	got := c.BaseURL()
	assert.NotContains(t, got, "s3cret-pass")
	assert.True(t, strings.HasSuffix(got, "example.com/4.0"), "%q lacks the suffix %q", got, "example.com/4.0")
}

func TestErrorFinding(t *testing.T) {
	e := &Error{Kind: finding.Timeout, Err: errors.New("context deadline exceeded")}
	f := e.Finding("GET /whoami")
	want := "infrastructure: GET /whoami context deadline exceeded [timeout]"
	assert.Equal(t, want, f.String())
	assert.Equal(t, finding.Infrastructure, f.Class)
}

// TestDoLastAttemptOnly: a 429 followed by a server that hangs up must not
// leave the 429 in the exchange as if it were the answer.
func TestDoLastAttemptOnly(t *testing.T) {
	srv := newCountingServer(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.WriteHeader(429)
			io.WriteString(w, `{"errors":[]}`)
			return
		}
		conn, buf, _ := w.(http.Hijacker).Hijack()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{")
		buf.Flush()
		conn.Close()
	})
	c := newTestClient(t, srv.URL, nil)
	ex, err := c.Do(context.Background(), Request{Method: "POST", Path: "/profiles"})
	var te *Error
	require.ErrorAs(t, err, &te)
	require.Equal(t, finding.TruncatedBody, te.Kind)
	require.EqualValues(t, 0, te.Status)
	assert.EqualValues(t, 0, ex.Status)
	assert.Nil(t, ex.ResponseBody)
	assert.EqualValues(t, 2, ex.Attempts)
}
