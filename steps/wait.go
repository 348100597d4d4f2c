package steps

import (
	"context"
	"math"
	"time"

	"github.com/passfort-conformance/harness/internal/timescale"
)

// Bounded waits: every "within N seconds" of the features is written for
// the mock and stretched by the run's time scale on a slower target, and a
// failure names both the written and the waited bound (decision D99,
// docs/decisions.md).

// pollInterval is how often a bounded wait re-reads at scale 1; a stretched
// bound re-reads less often (see bound.interval), up to maxPollInterval.
const (
	pollInterval    = 20 * time.Millisecond
	maxPollInterval = time.Second
)

// bound is a time bound as a step wrote it and the scale the run stretches
// it by.
type bound struct {
	written time.Duration
	scale   timescale.Scale
}

// within returns the bound a step wrote as a number of seconds, at the
// run's time scale; a number of seconds past what a time.Duration holds is
// the longest Duration.
func (w *World) within(seconds int) bound {
	written := time.Duration(math.MaxInt64)
	if seconds < int(math.MaxInt64/time.Second) {
		written = time.Duration(seconds) * time.Second
	}
	return bound{written: written, scale: w.env.TimeScale}
}

// wait is how long the run waits for the bound.
func (b bound) wait() time.Duration { return b.scale.Of(b.written) }

// interval is how often a wait for the bound re-reads the target: as
// stretched as the bound, so a slow target is not asked fifty times a
// second, within pollInterval and maxPollInterval.
func (b bound) interval() time.Duration {
	return min(max(b.scale.Of(pollInterval), pollInterval), maxPollInterval)
}

// String names the bound for a failure: "5s", or "5s (scaled ×20: 1m40s)".
func (b bound) String() string { return b.scale.Describe(b.written) }

// poll calls try every b.interval() until it is done or fails, or b's wait
// has passed; it reports whether try was done.
func poll(ctx context.Context, b bound, try func() (done bool, err error)) (bool, error) {
	deadline := time.Now().Add(b.wait())
	for {
		done, err := try()
		if done || err != nil {
			return done, err
		}
		if time.Now().After(deadline) {
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(b.interval()):
		}
	}
}
