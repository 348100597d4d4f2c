package target

import (
	"sync/atomic"
	"time"

	"github.com/passfort-conformance/harness/internal/exchange"
)

// Meter counts what clients did. It is safe for concurrent use; share one
// between the clients of a run (one per scenario) to report the run's
// totals. The zero value is ready to use.
type Meter struct {
	exchanges, requests, retries, errors atomic.Int64
	waited, throttled                    atomic.Int64 // nanoseconds
}

// Stats returns the counts so far; Errors counts exchanges that ended with
// an *Error.
func (m *Meter) Stats() exchange.Stats {
	return exchange.Stats{
		Exchanges: m.exchanges.Load(),
		Requests:  m.requests.Load(),
		Retries:   m.retries.Load(),
		Errors:    m.errors.Load(),
		Waited:    time.Duration(m.waited.Load()),
		Throttled: time.Duration(m.throttled.Load()),
	}
}
