package steps

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/timescale"
)

// A scaled bound waits the scaled time, not the written one.
func TestPollWaitsTheScaledBound(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		b        bound
		atLeast  time.Duration
		describe string
	}{
		"unscaled":   {bound{written: 10 * time.Millisecond}, 10 * time.Millisecond, "10ms"},
		"scaled ×8":  {bound{written: 10 * time.Millisecond, scale: 8}, 80 * time.Millisecond, "10ms (scaled ×8: 80ms)"},
		"scaled ×15": {bound{written: 10 * time.Millisecond, scale: 15}, 150 * time.Millisecond, "10ms (scaled ×15: 150ms)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			done, err := poll(context.Background(), tc.b, func() (bool, error) { return false, nil })
			took := time.Since(start)
			require.NoError(t, err)
			assert.False(t, done)
			assert.GreaterOrEqual(t, took, tc.atLeast, "poll returned before the scaled bound")
			assert.Equal(t, tc.describe, tc.b.String())
		})
	}
}

func TestPollInterval(t *testing.T) {
	t.Parallel()
	for scale, want := range map[timescale.Scale]time.Duration{
		0: pollInterval, 1: pollInterval, 0.1: pollInterval, 20: 400 * time.Millisecond, 1000: maxPollInterval,
	} {
		assert.Equal(t, want, bound{written: time.Second, scale: scale}.interval(), "scale %v", scale)
	}
}

// A bounded step waits the run's scaled bound and names both bounds when
// it fails: a written 1 second at ×0.1 gives up after 100ms, long before
// the written second.
func TestBoundedStepNamesBothBounds(t *testing.T) {
	t.Parallel()
	var reads atomic.Int32
	ctx := applicationServed(t, &Env{TimeScale: 0.1}, `{"id":"a1","status":"APPLIED","flag":"AUTOMATING"}`, &reads)

	start := time.Now()
	err := applicationFieldBecomes(ctx, 1, "status", "APPROVED")
	took := time.Since(start)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "application status: got APPLIED after 1s (scaled ×0.1: 100ms), want APPROVED")
	assert.GreaterOrEqual(t, took, 100*time.Millisecond)
	assert.Less(t, took, time.Second, "the wait is the scaled bound, not the written one")
	assert.Greater(t, reads.Load(), int32(1), "the step re-read the application")

	err = applicationSettles(ctx, 1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "application flag: got AUTOMATING after 1s (scaled ×0.1: 100ms)")
}

// An application without a flag (an older account's: decision D116) never
// settles, and the step says it has no flag rather than an empty value.
func TestSettlesWithoutAFlag(t *testing.T) {
	t.Parallel()
	ctx := applicationServed(t, &Env{TimeScale: 0.1}, `{"id":"a1","status":"APPLIED"}`, nil)
	err := applicationSettles(ctx, 1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "application flag: got no flag after 1s (scaled ×0.1: 100ms), want a flag other than AUTOMATING and WAITING_ON_CHECKS (seen: no flag)")
}

// The history after a revert is written as revert_mode same_id shows it;
// under new_application the new application's history lacks the reverted
// decision and the status it restored.
func TestRevertHistoryFollowsTheModel(t *testing.T) {
	t.Parallel()
	model, err := lifecycle.Default()
	require.NoError(t, err)
	newApp, err := model.WithOption("revert_mode", lifecycle.RevertNewApplication)
	require.NoError(t, err)
	const written = "APPLIED, REJECTED, APPLIED"
	tests := map[string]struct {
		model   *lifecycle.Model
		history string
		wantErr string
	}{
		"same_id, the same application":      {model, `["APPLIED","REJECTED","APPLIED"]`, ""},
		"same_id, a new application":         {model, `["APPLIED"]`, "history: got APPLIED, want APPLIED, REJECTED, APPLIED"},
		"no model reads as same_id":          {nil, `["APPLIED","REJECTED","APPLIED"]`, ""},
		"new_application, a new application": {newApp, `["APPLIED"]`, ""},
		"new_application, the same one":      {newApp, `["APPLIED","REJECTED","APPLIED"]`, `history: got APPLIED, REJECTED, APPLIED, want APPLIED (revert_mode new_application: "APPLIED, REJECTED, APPLIED" without the reverted decision)`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := applicationServed(t, &Env{Model: tc.model}, `{"id":"a1","status":"APPLIED","history":`+historyJSON(t, tc.history)+`}`, nil)
			err := revertHistoryIs(ctx, written)
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tc.wantErr)
		})
	}
}

// applicationServed returns a scenario's context whose application a1 of
// profile p1 always reads as body; reads, when not nil, counts the reads.
func applicationServed(t *testing.T, env *Env, body string, reads *atomic.Int32) context.Context {
	t.Helper()
	h := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if reads != nil {
			reads.Add(1)
		}
		rw.Header().Set("Content-Type", "application/json")
		_, _ = rw.Write([]byte(body))
	})
	w := NewWorld(env)
	c, err := target.New(target.Config{BaseURL: "http://mock.invalid/4.0", Transport: target.InProcess(h), Observe: w.Observe})
	require.NoError(t, err)
	w.Attach(c)
	w.vars["profile_id"], w.vars["application_id"] = "p1", "a1"
	return WithWorld(context.Background(), w)
}

// historyJSON turns ["A","B"] into history entries.
func historyJSON(t *testing.T, statuses string) string {
	t.Helper()
	var list []string
	require.NoError(t, json.Unmarshal([]byte(statuses), &list))
	out := "["
	for i, s := range list {
		if i > 0 {
			out += ","
		}
		out += `{"status":"` + s + `"}`
	}
	return out + "]"
}

// A written bound too long for a time.Duration waits the longest one, not a
// wrapped-around, negative one that ends the wait before the first re-read.
func TestWithinSaturates(t *testing.T) {
	t.Parallel()
	for _, scale := range []timescale.Scale{1, 20} {
		w := &World{env: &Env{TimeScale: scale}}
		b := w.within(10_000_000_000)
		assert.Equal(t, time.Duration(math.MaxInt64), b.wait(), "wait at scale %s", scale)
	}
}
