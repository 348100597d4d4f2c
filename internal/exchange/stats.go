package exchange

import "time"

// Stats counts what a run's clients sent, as the console's "requests:" line
// prints it and run.json records it. It is plain data, so the reports can
// carry it without knowing the client that counted it.
type Stats struct {
	// Exchanges counts the exchanges asked for (calls of the client's Do).
	Exchanges int64 `json:"exchanges"`
	// Requests counts attempts, retries included (a refused connection is
	// one); a request refused by the guard or stopped by the run deadline
	// before its first attempt is not.
	Requests int64 `json:"requests"`
	// Retries counts attempts after the first of an exchange.
	Retries int64 `json:"retries"`
	// Errors counts exchanges that ended with a transport error.
	Errors int64 `json:"errors"`
	// Waited is all time spent waiting before attempts: back-off and
	// rate limiting.
	Waited time.Duration `json:"waited_ns"`
	// Throttled is the part of Waited spent in the client-side rate limiter.
	Throttled time.Duration `json:"throttled_ns"`
}

// Add returns the sum of s and o: the counts of two runs (shards) as one.
func (s Stats) Add(o Stats) Stats {
	return Stats{s.Exchanges + o.Exchanges, s.Requests + o.Requests, s.Retries + o.Retries, s.Errors + o.Errors,
		s.Waited + o.Waited, s.Throttled + o.Throttled}
}
