package target

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newFakeLimiter(share int, limits ...Limit) (*Limiter, *fakeClock) {
	clock := &fakeClock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(share, limits...)
	l.now = clock.now
	return l, clock
}

// reserveAt books a slot for method and path on l's clock, with no budget limit.
func reserveAt(t *testing.T, l *Limiter, method, path string) time.Duration {
	t.Helper()
	b := l.match(method, path)
	if b == nil {
		return 0
	}
	d, ok := b.reserve(l.now(), time.Duration(1<<63-1))
	require.True(t, ok, "reserve refused without a budget")
	return d
}

func TestLimiterGCRA(t *testing.T) {
	tenPerSecond := Limit{Method: "POST", Path: "/profiles", Rate: 10, Per: time.Second, Burst: 3}
	type step struct {
		advance time.Duration
		want    time.Duration
	}
	ms := time.Millisecond
	tests := map[string]struct {
		share int
		limit Limit
		steps []step
	}{
		"burst then pacing": {1, tenPerSecond, []step{
			{0, 0}, {0, 0}, {0, 0}, {0, 100 * ms}, {0, 200 * ms}, {0, 300 * ms},
		}},
		"waiting out the pace": {1, tenPerSecond, []step{
			{0, 0}, {0, 0}, {0, 0}, {0, 100 * ms},
			{100 * ms, 100 * ms}, // the slot booked above is now; the next is 100ms on
			{200 * ms, 0},        // sent on time: the burst tolerance covers one more
		}},
		"the burst comes back after a quiet spell": {1, tenPerSecond, []step{
			{0, 0}, {0, 0}, {0, 0}, {0, 100 * ms},
			{time.Second, 0}, {0, 0}, {0, 0}, {0, 100 * ms},
		}},
		"share 2 halves rate and burst": {2, Limit{Method: "POST", Path: "/profiles", Rate: 10, Per: time.Second, Burst: 4}, []step{
			{0, 0}, {0, 0}, {0, 200 * ms}, {0, 400 * ms},
		}},
		"share larger than the burst keeps a burst of 1": {5, tenPerSecond, []step{
			{0, 0}, {0, 500 * ms}, {0, time.Second},
		}},
		"burst below 1 means 1": {1, Limit{Method: "POST", Path: "/profiles", Rate: 10, Per: time.Second}, []step{
			{0, 0}, {0, 100 * ms}, {0, 200 * ms},
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			l, clock := newFakeLimiter(tc.share, tc.limit)
			for i, s := range tc.steps {
				clock.advance(s.advance)
				got := reserveAt(t, l, "POST", "/profiles")
				assert.Equal(t, s.want, got, "request %d: delay %s", i+1, got)
			}
		})
	}
}

func TestPassFortLimits(t *testing.T) {
	l, _ := newFakeLimiter(1, PassFortLimits()...)
	for _, path := range []string{"/profiles", "/profiles/9f3b/collected_data"} {
		for i := range 20 {
			d := reserveAt(t, l, "POST", path)
			require.EqualValues(t, 0, d, "POST %s request %d: delay %s", path, i+1, d)
		}
		// 10,000 an hour is one every 360ms.
		d := reserveAt(t, l, "POST", path)
		assert.Equal(t, 360*time.Millisecond, d, "POST %s request 21: delay %s", path, d)
	}
	unlimited := []struct{ method, path string }{
		{"GET", "/profiles"},
		{"POST", "/profiles/9f3b/applications"},
		{"GET", "/profiles/9f3b/collected_data"},
		{"POST", "/profiles/9f3b/collected_data/documents"},
		{"POST", "/profile"},
	}
	for _, u := range unlimited {
		b := l.match(u.method, u.path)
		assert.Nil(t, b, "%s %s: want no limit", u.method, u.path)
	}
}

func TestMatchSegments(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/profiles", "/profiles", true},
		{"/profiles", "/profiles/", true},
		{"/profiles", "profiles", true},
		{"/profiles", "/profiles/x", false},
		{"/profiles", "/profile", false},
		{"/profiles", "/", false},
		{"/profiles/*/collected_data", "/profiles/abc/collected_data", true},
		{"/profiles/*/collected_data", "/profiles/abc/collected_data/documents", false},
		{"/profiles/*/collected_data", "/profiles/collected_data", false},
		{"/profiles/*/collected_data", "/profiles/abc/tasks", false},
		{"/profiles/*/collected_data", "/profiles", false},
	}
	for _, tc := range tests {
		b := NewLimiter(1, Limit{Method: "POST", Path: tc.pattern, Rate: 1, Per: time.Second}).buckets[0]
		assert.Equal(t, tc.want, matchSegments(b.segs, tc.path), "match(%q, %q)", tc.pattern, tc.path)
	}
}

func TestLimiterConcurrentReservations(t *testing.T) {
	const n = 64
	l, _ := newFakeLimiter(1, Limit{Method: "POST", Path: "/profiles", Rate: 10, Per: time.Second, Burst: 4})
	delays := make([]time.Duration, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { delays[i] = reserveAt(t, l, "POST", "/profiles") })
	}
	wg.Wait()
	slices.Sort(delays)
	// The clock stands still: 4 free slots, then one every 100ms, each
	// booked exactly once.
	for i, d := range delays {
		want := time.Duration(max(i-3, 0)) * 100 * time.Millisecond
		require.Equal(t, want, d, "sorted delay %d (all: %v)", i, delays)
	}
}

func TestLimiterWait(t *testing.T) {
	t.Run("nil limits nothing", func(t *testing.T) {
		var l *Limiter
		d, err := l.Wait(context.Background(), "POST", "/profiles")
		assert.EqualValues(t, 0, d)
		assert.NoError(t, err)
	})
	t.Run("sleeps the delay", func(t *testing.T) {
		l := NewLimiter(1, Limit{Method: "POST", Path: "/profiles", Rate: 1, Per: 30 * time.Millisecond, Burst: 1})
		ctx := context.Background()
		d, err := l.Wait(ctx, "POST", "/profiles")
		require.EqualValues(t, 0, d)
		require.NoError(t, err)
		start := time.Now()
		d, err = l.Wait(ctx, "POST", "/profiles")
		require.NoError(t, err)
		require.Positive(t, d)
		require.LessOrEqual(t, d, 30*time.Millisecond)
		assert.GreaterOrEqual(t, time.Since(start), d)
	})
	t.Run("a slot past the deadline is not booked", func(t *testing.T) {
		l, _ := newFakeLimiter(1, Limit{Method: "POST", Path: "/profiles", Rate: 1, Per: time.Hour, Burst: 1})
		reserveAt(t, l, "POST", "/profiles")
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		start := time.Now()
		_, err := l.Wait(ctx, "POST", "/profiles")
		assert.ErrorIs(t, err, errRunDeadline)
		assert.Equal(t, "timeout", classify(err))
		assert.LessOrEqual(t, time.Since(start), time.Second, "Wait slept")
		// Nothing was booked: the next slot is still one hour out, not two.
		assert.Equal(t, time.Hour, reserveAt(t, l, "POST", "/profiles"))
	})
	t.Run("invalid limits limit nothing", func(t *testing.T) {
		l := NewLimiter(1, Limit{Method: "POST", Path: "/profiles", Rate: 0, Per: time.Second}, Limit{Method: "POST", Path: "/x", Rate: 1})
		assert.Len(t, l.buckets, 0)
	})
}
