package faults

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// PassFort's documented rate limits (help centre, "About rate limiting"):
// POST /profiles and POST /profiles/{profile_id}/collected_data, 10,000
// requests an hour each, in independent buckets, for API-key requests, with
// the generic cell rate algorithm "with a burst limit" whose size is not
// published.
const (
	DefaultRateLimitPerHour = 10000
	// DefaultRateLimitBurst is the burst the harness's client assumes too
	// (target.PassFortLimits), so a run paced by it meets no 429.
	DefaultRateLimitBurst = 20
)

// PassFortRateLimits returns rate-limit faults for PassFort's two limited
// operations, perHour requests an hour each with the given burst (the
// defaults above when 0).
func PassFortRateLimits(perHour, burst int) []Fault {
	if perHour <= 0 {
		perHour = DefaultRateLimitPerHour
	}
	if burst <= 0 {
		burst = DefaultRateLimitBurst
	}
	return []Fault{
		{Method: http.MethodPost, Path: "/profiles", Kind: RateLimit, Rate: perHour, Per: time.Hour, Burst: burst},
		{Method: http.MethodPost, Path: "/profiles/{profile_id}/collected_data", Kind: RateLimit, Rate: perHour, Per: time.Hour, Burst: burst},
	}
}

// gcra is one rate-limit bucket: the generic cell rate algorithm keeps one
// time per bucket, the theoretical arrival time of the next request.
type gcra struct {
	interval time.Duration // emission interval: Per / Rate
	tau      time.Duration // burst tolerance: interval × (burst-1)

	mu  sync.Mutex
	tat time.Time
}

func newGCRA(rate int, per time.Duration, burst int) *gcra {
	interval := per / time.Duration(rate)
	return &gcra{interval: interval, tau: interval * time.Duration(max(burst, 1)-1)}
}

// verdict is the bucket's answer for one request.
type verdict struct {
	ok        bool
	remaining int           // requests that may follow at once
	reset     time.Duration // until the bucket is full again
	retry     time.Duration // until a refused request may be sent again
}

// take counts a request at now, unless it is over the limit.
func (g *gcra) take(now time.Time) verdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	tat := g.tat
	if tat.Before(now) {
		tat = now
	}
	if allowAt := tat.Add(-g.tau); now.Before(allowAt) {
		return verdict{reset: tat.Sub(now), retry: allowAt.Sub(now)}
	}
	g.tat = tat.Add(g.interval)
	reset := g.tat.Sub(now)
	return verdict{ok: true, reset: reset, remaining: int((g.tau + g.interval - reset) / g.interval)}
}

// setHeaders writes PassFort's rate-limit headers: X-RateLimit-Remaining,
// X-RateLimit-Reset-Secs (to full replenishment, the one to prefer) and
// X-RateLimit-Reset (the same as an RFC 2822 date), plus
// X-RateLimit-Retry-Secs on a refusal.
func (v verdict) setHeaders(h http.Header, now time.Time) {
	h.Set("X-RateLimit-Remaining", strconv.Itoa(v.remaining))
	h.Set("X-RateLimit-Reset-Secs", seconds(v.reset))
	h.Set("X-RateLimit-Reset", now.Add(v.reset).UTC().Format(time.RFC1123Z))
	if !v.ok {
		h.Set("X-RateLimit-Retry-Secs", seconds(v.retry))
	}
}

// seconds renders d in seconds, to the millisecond, rounded up: "0.36", "1800".
func seconds(d time.Duration) string {
	ms := math.Ceil(float64(d) / float64(time.Millisecond))
	return strconv.FormatFloat(ms/1000, 'f', -1, 64)
}
