package suite

import (
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkSuite runs the whole suite (every feature of the repository)
// against the embedded mock, one fresh mock per scenario, without reports:
// the harness's own time to verdict (the README's section "Speed" sets it
// against specmatic's). It reports the scenario count
// so that the time per run can be read against it.
func BenchmarkSuite(b *testing.B) {
	if _, err := os.Stat("../../features"); err != nil {
		b.Skipf("features: %v", err)
	}
	cfg := Config{Features: os.DirFS("../.."), Paths: []string{"features"}, Seed: 1, Output: io.Discard}
	var scenarios int
	for b.Loop() {
		res, err := Run(cfg)
		require.NoError(b, err)
		c := res.Run.Count()
		require.False(b, res.Failed, "suite: %d of %d scenarios failed, %d undefined", c.Failed, c.Total, c.Undefined)
		scenarios = res.Run.Count().Total
	}
	b.ReportMetric(float64(scenarios), "scenarios")
}
