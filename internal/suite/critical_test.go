package suite

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
)

func TestCriticalPath(t *testing.T) {
	t.Parallel()
	create := exchange.Exchange{Method: "POST", Path: "/profiles"}
	read := exchange.Exchange{Method: "GET", Path: "/profiles"}
	scenario := func(d time.Duration, n int) report.Scenario {
		var exs []exchange.Exchange
		for i := 0; i < n; i++ {
			exs = append(exs, create, read)
		}
		return report.Scenario{Duration: d, Steps: []report.Step{{Exchanges: exs}}}
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	run := &report.Run{Started: start, Finished: start.Add(10 * time.Second), Features: []report.Feature{{Scenarios: []report.Scenario{
		scenario(2*time.Second, 10), scenario(3*time.Second, 15),
	}}}}
	limits := []target.Limit{{Method: "POST", Path: "/profiles", Rate: 3600, Per: time.Hour, Burst: 5}}
	tests := map[string]struct {
		limits  []target.Limit
		share   int
		path    time.Duration
		limited int
		line    string
	}{
		"no limit: the longest scenario":    {nil, 1, 3 * time.Second, 0, "critical path: 3s (longest scenario 3s); wall 10s = 3.33× the critical path"},
		"limit: 25 creations, burst 5, 1/s": {limits, 1, 20 * time.Second, 25, "critical path: 20s (longest scenario 3s; 25 rate-limited requests need 20s); wall 10s = 0.50× the critical path"},
		"a shard of two: half the rate":     {limits, 2, 46 * time.Second, 25, "critical path: 46s"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := measureCriticalPath(run, tc.limits, tc.share)
			require.Equal(t, tc.path, c.Path())
			require.Equal(t, tc.limited, c.Limited)
			require.True(t, strings.HasPrefix(c.String(), tc.line), "%q lacks the prefix %q", c.String(), tc.line)
		})
	}
}
