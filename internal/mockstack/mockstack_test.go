package mockstack

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mocktest"
)

// applicationPath creates a profile with one application and returns the
// application's path.
func applicationPath(tb testing.TB, h http.Handler) string {
	tb.Helper()
	rec := mocktest.Serve(h, "POST", "/4.0/profiles", mocktest.ProfileWithApplication)
	var p struct {
		ID           string `json:"id"`
		Applications []struct {
			ID string `json:"id"`
		} `json:"applications"`
	}
	require.Equal(tb, 200, rec.Code, "create: %s", rec.Body)
	require.NoError(tb, json.Unmarshal(rec.Body.Bytes(), &p))
	require.Len(tb, p.Applications, 1)
	return "/4.0/profiles/" + p.ID + "/applications/" + p.Applications[0].ID
}

// With no switch on and no fault in force, a request costs what it costs
// the API alone: no allocation is added on the way.
func TestFastPath(t *testing.T) {
	if raceDetector {
		// make unit runs this test again without -race.
		t.Skip("allocation counts: the race detector's sync.Pool drops buffers at random")
	}
	st, err := New(Options{Options: mock.Options{AutomationDelay: -1}})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	assert.Nil(t, st.Gate, "the gate is off unless asked for")
	path := applicationPath(t, st)
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("apikey", mock.DefaultAPIKey)
	// AllocsPerRun counts the process's allocations, so a background
	// goroutine's can land in one measurement: the fewest of several rounds
	// is the handler's own cost.
	fewest := func(h http.Handler) float64 {
		n := math.Inf(1)
		for range 5 {
			n = min(n, testing.AllocsPerRun(200, func() { h.ServeHTTP(httptest.NewRecorder(), req) }))
		}
		return n
	}
	api, stack := fewest(st.API), fewest(st)
	assert.LessOrEqual(t, stack, api, "allocations of GET application through the stack vs the API alone")
}

// BenchmarkGetApplication reads one settled application through the stack
// with every switch off (as the embedded mock serves it) and through the
// API alone: the two must not differ.
func BenchmarkGetApplication(b *testing.B) {
	st, err := New(Options{Options: mock.Options{AutomationDelay: -1}})
	require.NoError(b, err)
	b.Cleanup(st.Close)
	path := applicationPath(b, st)
	for name, h := range map[string]http.Handler{"stack": st, "api": st.API} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if rec := mocktest.Serve(h, "GET", path, ""); rec.Code != 200 {
					// In the timed loop: the message's arguments are built only on failure.
					require.Failf(b, "GET", "%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
