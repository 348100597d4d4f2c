package suite

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/report"
)

// Shards run at the same time, each numbering its workers from 1: the
// merged run gives every shard workers of its own, so the timeline does not
// draw two shards' scenarios over each other on one lane.
func TestMergeKeepsShardsWorkersApart(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	mk := func(id string, firstLine int, workers ...int) *report.Run {
		f := report.Feature{URI: "features/a.feature"}
		for i, w := range workers {
			line := firstLine + i
			f.Scenarios = append(f.Scenarios, report.Scenario{ID: fmt.Sprintf("features/a.feature:%d", line), Name: fmt.Sprint("s", line),
				Line: line, Status: report.Passed, Started: start, Duration: time.Second, Worker: w})
		}
		return &report.Run{ID: id, SpecHash: "h", Target: "m", Started: start, Finished: start.Add(time.Second), Features: []report.Feature{f}}
	}
	merged, err := mergeRuns([]*report.Run{mk("r1", 10, 1, 2), mk("r2", 20, 2, 1, 0), mk("r3", 30, 1)}, "h")
	require.NoError(t, err)
	got := map[int]int{}
	for _, sc := range merged.Features[0].Scenarios {
		got[sc.Line] = sc.Worker
	}
	assert.Equal(t, map[int]int{10: 1, 11: 2, 20: 4, 21: 3, 22: 0, 30: 5}, got, "line → worker; 0 (unknown) stays 0")
}
