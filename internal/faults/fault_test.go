package faults

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFault(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want Fault
		str  string // String(), when it differs from in
	}{
		"status with retry":  {"GET /profiles/*: status=503 retry-after=1", Fault{Method: "GET", Path: "/profiles/*", Kind: Status, Status: 503, RetryAfter: time.Second}, "GET /profiles/*: status=503 retry-after=1s"},
		"latency everywhere": {"*: latency=100ms", Fault{Path: "*", Kind: Latency, Latency: 100 * time.Millisecond}, ""},
		"template and base":  {"post /4.0/profiles/{profile_id}/applications: drop every=3", Fault{Method: "POST", Path: "/profiles/{profile_id}/applications", Kind: Drop, Every: 3}, "POST /profiles/{profile_id}/applications: drop every=3"},
		"truncate default":   {"/whoami: truncate", Fault{Path: "/whoami", Kind: Truncate}, ""},
		"truncate bytes":     {"GET /whoami: truncate=10 times=2", Fault{Method: "GET", Path: "/whoami", Kind: Truncate, Bytes: 10, Times: 2}, ""},
		"slow body":          {"GET /profiles/*: slow-body=50ms chunk=8", Fault{Method: "GET", Path: "/profiles/*", Kind: SlowBody, Latency: 50 * time.Millisecond, Bytes: 8}, ""},
		"slow body default":  {"GET /x: slow-body=1s", Fault{Method: "GET", Path: "/x", Kind: SlowBody, Latency: time.Second, Bytes: defaultChunk}, ""},
		"rate limit":         {"POST /profiles: rate-limit=2/h", Fault{Method: "POST", Path: "/profiles", Kind: RateLimit, Rate: 2, Per: time.Hour, Burst: 1}, ""},
		"rate limit burst":   {"POST /profiles: rate-limit=5/10s burst=3", Fault{Method: "POST", Path: "/profiles", Kind: RateLimit, Rate: 5, Per: 10 * time.Second, Burst: 3}, ""},
		"any method star":    {"* /whoami: status=500 probability=0.5", Fault{Path: "/whoami", Kind: Status, Status: 500, Probability: 0.5}, "/whoami: status=500 probability=0.5"},
		"sub-second retry":   {"GET /whoami: status=429 retry-after=0.2", Fault{Method: "GET", Path: "/whoami", Kind: Status, Status: 429, RetryAfter: 200 * time.Millisecond}, "GET /whoami: status=429 retry-after=200ms"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			want := tc.str
			if want == "" {
				want = tc.in
			}
			assert.Equal(t, want, got.String())
			again, err := Parse(got.String())
			if assert.NoError(t, err, "round trip of %q", got.String()) {
				assert.Equal(t, got, again, "round trip of %q", got.String())
			}
			b, err := json.Marshal(got)
			require.NoError(t, err)
			var back Fault
			if assert.NoError(t, json.Unmarshal(b, &back), "JSON round trip of %s", b) {
				assert.Equal(t, got, back, "JSON round trip of %s", b)
			}
		})
	}
}

func TestParseFaultErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"GET /x status=503":                 "no colon",
		"GET /x extra: status=503":          "want [METHOD] PATH",
		"GET /x:":                           "kind: got none",
		"GET /x: status=200":                "want 400 to 599",
		"GET /x: status=abc":                "status=abc",
		"GET /x: status=503 drop":           "two kinds",
		"GET /x: drop=1":                    "drop takes no value",
		"GET /x: latency=soon":              "latency=soon",
		"GET /x: latency=0s":                "want a positive duration",
		"GET /x: slow-body=0s":              "want a positive duration",
		"GET /x: sideways=1":                "unknown key",
		"GET /x: status=503 every=-1":       "want 0 or more",
		"GET /x: status=503 probability=2":  "want 0 to 1",
		"POST /x: rate-limit=2":             "want N/PERIOD",
		"POST /x: rate-limit=2/fortnight":   "period",
		"POST /x: rate-limit=0/h":           "got no rate",
		"POST /x: rate-limit=2/h every=2":   "do not apply",
		"G3T /x: drop":                      "method",
		"GET /x?y=1: drop":                  "path",
		"GET /x: status=503 retry-after=-1": "want 0 to 1e9",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(in)
			require.ErrorContains(t, err, want)
			assert.NotContains(t, err.Error(), "\n", "want one line")
		})
	}
}

func TestFaultMatching(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		fault        string
		method, path string
		want         bool
	}{
		"any path":                {"*: drop", "POST", "/profiles/x/applications", true},
		"template segment":        {"GET /profiles/{profile_id}: drop", "GET", "/profiles/abc", true},
		"star segment":            {"GET /profiles/*/applications: drop", "GET", "/profiles/abc/applications", true},
		"other method":            {"GET /profiles/*: drop", "POST", "/profiles/abc", false},
		"longer path":             {"GET /profiles/*: drop", "GET", "/profiles/abc/tasks", false},
		"shorter path":            {"GET /profiles/*/tasks: drop", "GET", "/profiles/abc", false},
		"literal differs":         {"GET /profiles/*/tasks: drop", "GET", "/profiles/abc/events", false},
		"any method":              {"/whoami: drop", "DELETE", "/whoami", true},
		"exact literal":           {"POST /profiles: drop", "POST", "/profiles", true},
		"literal is not a prefix": {"POST /profiles: drop", "POST", "/profiles/abc", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := Parse(tc.fault)
			require.NoError(t, err)
			set, err := newFaultSet([]Fault{f})
			require.NoError(t, err)
			assert.Equal(t, tc.want, set.all[0].matches(tc.method, tc.path), "%q matches %s %s", tc.fault, tc.method, tc.path)
		})
	}
}

func TestFaultFiring(t *testing.T) {
	t.Parallel()
	fire := func(spec string, n int) string {
		f, err := Parse(spec)
		require.NoError(t, err)
		set, err := newFaultSet([]Fault{f})
		require.NoError(t, err)
		var b strings.Builder
		for range n {
			if set.planFor("GET", "/whoami").answer != nil {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	tests := map[string]string{
		"GET /whoami: status=503":                 "xxxxxx",
		"GET /whoami: status=503 every=3":         "..x..x",
		"GET /whoami: status=503 times=2":         "xx....",
		"GET /whoami: status=503 every=2 times=2": ".x.x..",
		"GET /whoami: status=503 probability=1":   "xxxxxx",
		"POST /whoami: status=503":                "......",
	}
	for spec, want := range tests {
		assert.Equal(t, want, fire(spec, 6), "%s: fired", spec)
	}
	// A probability fires about that often.
	f, err := Parse("GET /whoami: status=503 probability=0.5")
	require.NoError(t, err)
	set, err := newFaultSet([]Fault{f})
	require.NoError(t, err)
	n := 0
	for range 2000 {
		if set.planFor("GET", "/whoami").answer != nil {
			n++
		}
	}
	assert.InDelta(t, 1000, n, 200, "probability 0.5 fired %d of 2000 times; want about 1000", n)
}

func TestGCRA(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 5, 14, 9, 30, 0, 0, time.UTC)
	g := newGCRA(2, time.Hour, 2) // one every 30 minutes, two back to back
	type step struct {
		at        time.Duration
		ok        bool
		remaining int
		reset     time.Duration
		retry     time.Duration
	}
	steps := []step{
		{0, true, 1, 30 * time.Minute, 0},
		{0, true, 0, time.Hour, 0},
		{0, false, 0, time.Hour, 30 * time.Minute},
		{10 * time.Minute, false, 0, 50 * time.Minute, 20 * time.Minute},
		{30 * time.Minute, true, 0, time.Hour, 0},
		{2 * time.Hour, true, 1, 30 * time.Minute, 0},
	}
	for i, s := range steps {
		v := g.take(now.Add(s.at))
		assert.Equal(t, verdict{ok: s.ok, remaining: s.remaining, reset: s.reset, retry: s.retry}, v, "request %d at +%s", i+1, s.at)
	}
	h := http.Header{}
	v := g.take(now.Add(2 * time.Hour))
	v.setHeaders(h, now)
	want := map[string]string{
		"X-Ratelimit-Remaining":  "0",
		"X-Ratelimit-Reset-Secs": "3600",
		"X-Ratelimit-Reset":      "Tue, 14 May 2024 10:30:00 +0000",
	}
	for k, w := range want {
		assert.Equal(t, w, h.Get(k), "header %s", k)
	}
	v = g.take(now.Add(2 * time.Hour))
	v.setHeaders(h, now.Add(2*time.Hour))
	assert.Equal(t, "1800", h.Get("X-RateLimit-Retry-Secs"))
}

func TestSeconds(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		0: "0", 360 * time.Millisecond: "0.36", 1800 * time.Second: "1800", 1500*time.Microsecond + 1: "0.002",
	} {
		assert.Equal(t, want, seconds(d), "seconds(%s)", d)
	}
}
