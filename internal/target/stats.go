package target

import (
	"sync/atomic"
	"time"
)

// Meter counts what clients did. It is safe for concurrent use; share one
// between the clients of a run (one per scenario) to report the run's
// totals. The zero value is ready to use.
type Meter struct {
	exchanges, requests, retries, errors atomic.Int64
	waited, throttled                    atomic.Int64 // nanoseconds
}

// Stats is what a Meter counted.
type Stats struct {
	// Exchanges counts Do calls.
	Exchanges int64 `json:"exchanges"`
	// Requests counts attempts, retries included (a refused connection is
	// one); a request refused by the guard or stopped by the run deadline
	// before its first attempt is not.
	Requests int64 `json:"requests"`
	// Retries counts attempts after the first of an exchange.
	Retries int64 `json:"retries"`
	// Errors counts exchanges that ended with an *Error.
	Errors int64 `json:"errors"`
	// Waited is all time spent waiting before attempts: back-off and
	// rate limiting.
	Waited time.Duration `json:"waited_ns"`
	// Throttled is the part of Waited spent in the client-side rate limiter.
	Throttled time.Duration `json:"throttled_ns"`
}

// Stats returns the counts so far.
func (m *Meter) Stats() Stats {
	return Stats{
		Exchanges: m.exchanges.Load(),
		Requests:  m.requests.Load(),
		Retries:   m.retries.Load(),
		Errors:    m.errors.Load(),
		Waited:    time.Duration(m.waited.Load()),
		Throttled: time.Duration(m.throttled.Load()),
	}
}

// Add returns the sum of s and o: the counts of two runs (shards) as one.
func (s Stats) Add(o Stats) Stats {
	return Stats{s.Exchanges + o.Exchanges, s.Requests + o.Requests, s.Retries + o.Retries, s.Errors + o.Errors,
		s.Waited + o.Waited, s.Throttled + o.Throttled}
}
