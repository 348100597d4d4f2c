package suite

import (
	"fmt"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
)

// criticalPath is the least wall time a run can take whatever its
// concurrency: its longest scenario run alone, or the time the rate limit
// needs to let its limited requests through, whichever is larger.
type criticalPath struct {
	Longest     time.Duration // the longest scenario's sequential time
	Limited     int           // requests to rate-limited operations
	RateBound   time.Duration // what the limit needs for them, after its burst
	Wall        time.Duration
	RateLimited bool
}

// Path is the larger of the two bounds.
func (c criticalPath) Path() time.Duration { return max(c.Longest, c.RateBound) }

// String is the summary line: both figures and the wall time's ratio to them.
func (c criticalPath) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "critical path: %s (longest scenario %s", c.Path().Round(time.Millisecond), c.Longest.Round(time.Millisecond))
	if c.RateLimited {
		fmt.Fprintf(&b, "; %d rate-limited requests need %s", c.Limited, c.RateBound.Round(time.Millisecond))
	}
	fmt.Fprintf(&b, "); wall %s", c.Wall.Round(time.Millisecond))
	if p := c.Path(); p > 0 {
		fmt.Fprintf(&b, " = %.2f× the critical path", float64(c.Wall)/float64(p))
	}
	return b.String()
}

// measureCriticalPath reads a finished run. limits are the client-side rate
// limits in force (nil: none), divided by share as the limiter does.
func measureCriticalPath(run *report.Run, limits []target.Limit, share int) criticalPath {
	c := criticalPath{Wall: run.Finished.Sub(run.Started), RateLimited: len(limits) > 0}
	counts := make([]int, len(limits))
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			c.Longest = max(c.Longest, s.Duration)
			for _, st := range s.Steps {
				for _, ex := range st.Exchanges {
					for i, l := range limits {
						if ex.Method == l.Method && matchPath(l.Path, strings.SplitN(ex.Path, "?", 2)[0]) {
							counts[i]++
							c.Limited++
						}
					}
				}
			}
		}
	}
	share = max(share, 1)
	for i, l := range limits {
		if l.Rate <= 0 || counts[i] == 0 {
			continue
		}
		interval := l.Per * time.Duration(share) / time.Duration(l.Rate)
		burst := max(l.Burst/share, 1)
		if n := counts[i] - burst; n > 0 {
			c.RateBound = max(c.RateBound, time.Duration(n)*interval)
		}
	}
	return c
}

// matchPath matches a path against a limit's pattern, "*" one segment.
func matchPath(pattern, path string) bool {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && ps[i] != xs[i] {
			return false
		}
	}
	return true
}
