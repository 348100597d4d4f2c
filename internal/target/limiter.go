package target

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Limiter paces requests to PassFort's rate-limited operations with the
// generic cell rate algorithm (GCRA) PassFort itself uses, so a long run
// never meets a 429. Each limited operation has its own bucket with its own
// lock; requests to other operations take no lock at all. A Limiter is safe
// for concurrent use and is shared by every client of a run. A nil *Limiter
// limits nothing.
type Limiter struct {
	// now is the clock; tests replace it.
	now     func() time.Time
	buckets []*bucket
}

// Limit is one rate-limited operation: Method and a path pattern where "*"
// matches one path segment.
type Limit struct {
	Method, Path string
	// Rate is the sustained rate in requests per Per. A Limit whose Rate or
	// Per is not positive limits nothing.
	Rate int
	Per  time.Duration
	// Burst is how many requests may go back to back before pacing starts;
	// less than 1 means 1.
	Burst int
}

func (l Limit) String() string {
	return fmt.Sprintf("%s %s %d/%s burst %d", l.Method, l.Path, l.Rate, l.Per, l.Burst)
}

type bucket struct {
	limit    Limit
	segs     []string      // the path pattern's segments
	interval time.Duration // emission interval: Per / Rate
	tau      time.Duration // burst tolerance: interval * (burst-1)

	mu  sync.Mutex
	tat time.Time // theoretical arrival time of the next request
}

// PassFortLimits are the documented limits: POST /profiles and POST
// /profiles/{id}/collected_data, 10,000 an hour each, and the newer
// GET /profiles/{id}/audit/pdf_report at 0.75 a second. The burst is ours:
// the help centre says GCRA "with a burst limit" without a number.
func PassFortLimits() []Limit {
	return []Limit{
		{Method: "POST", Path: "/profiles", Rate: 10000, Per: time.Hour, Burst: 20},
		{Method: "POST", Path: "/profiles/*/collected_data", Rate: 10000, Per: time.Hour, Burst: 20},
		{Method: "GET", Path: "/profiles/*/audit/pdf_report", Rate: 3, Per: 4 * time.Second, Burst: 1},
	}
}

// NewLimiter returns a limiter for limits. share divides every rate and
// burst, for shards of one run that share one account's budget (1 for an
// unsharded run).
func NewLimiter(share int, limits ...Limit) *Limiter {
	share = max(share, 1)
	l := &Limiter{now: time.Now}
	for _, lim := range limits {
		if lim.Rate <= 0 || lim.Per <= 0 {
			continue
		}
		burst := max(lim.Burst/share, 1)
		interval := lim.Per * time.Duration(share) / time.Duration(lim.Rate)
		l.buckets = append(l.buckets, &bucket{
			limit:    lim,
			segs:     strings.Split(strings.Trim(lim.Path, "/"), "/"),
			interval: interval,
			tau:      interval * time.Duration(burst-1),
		})
	}
	return l
}

// Wait blocks until a request to method and path may be sent and returns how
// long it waited. When ctx's deadline comes before the slot, it books
// nothing and fails at once with kind timeout.
func (l *Limiter) Wait(ctx context.Context, method, path string) (time.Duration, error) {
	if l == nil {
		return 0, nil
	}
	b := l.match(method, path)
	if b == nil {
		return 0, nil
	}
	budget := time.Duration(1<<63 - 1)
	if dl, ok := ctx.Deadline(); ok {
		budget = time.Until(dl)
	}
	d, ok := b.reserve(l.now(), budget)
	if !ok {
		return 0, fmt.Errorf("%w: the rate limit of %s %s needs a wait of %s", errRunDeadline, b.limit.Method, b.limit.Path, d)
	}
	if d <= 0 {
		return 0, nil
	}
	start := time.Now()
	if err := sleep(ctx, d); err != nil {
		return time.Since(start), err
	}
	return d, nil
}

func (l *Limiter) match(method, path string) *bucket {
	for _, b := range l.buckets {
		if b.limit.Method == method && matchSegments(b.segs, path) {
			return b
		}
	}
	return nil
}

// reserve books the bucket's next slot and returns the delay until it. A
// delay over budget books nothing and returns false.
func (b *bucket) reserve(now time.Time, budget time.Duration) (time.Duration, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	tat := b.tat
	if tat.Before(now) {
		tat = now
	}
	delay := max(tat.Sub(now)-b.tau, 0)
	if delay > budget {
		return delay, false
	}
	b.tat = tat.Add(b.interval)
	return delay, true
}

// matchSegments matches a path against a pattern's segments, where "*"
// matches any single segment. It allocates nothing: it runs on every request.
func matchSegments(segs []string, path string) bool {
	path = strings.Trim(path, "/")
	for i, seg := range segs {
		var cur string
		var more bool
		cur, path, more = strings.Cut(path, "/")
		if seg != "*" && seg != cur {
			return false
		}
		if more != (i < len(segs)-1) {
			return false
		}
	}
	return true
}
