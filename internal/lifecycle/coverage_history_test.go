package lifecycle

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A flag that only flag_history records (no read caught it) is observed.
func TestCoverageCountsFlagHistory(t *testing.T) {
	t.Parallel()
	var c Coverage
	c = newCoverage()
	seen := map[string]bool{}
	a := &appSnap{ID: "a", Status: "APPLIED", Flag: "REQUIRES_MANUAL_TASK_COMPLETION", FlagHistory: []flagEntry{
		{Status: "APPLIED", Flag: "AUTOMATING"}, {Status: "APPLIED", Flag: "WAITING_ON_CHECKS"}, {Status: "APPLIED", Flag: "REQUIRES_MANUAL_TASK_COMPLETION"},
	}}
	c.add(a)
	c.addHistoryFlags(a, seen)
	c.add(a)
	c.addHistoryFlags(a, seen)
	want := map[string]int{"AUTOMATING": 1, "WAITING_ON_CHECKS": 1, "REQUIRES_MANUAL_TASK_COMPLETION": 2}
	for flag, n := range want {
		assert.Equal(t, n, c.Flags[flag], "Flags[%s] (all: %v)", flag, c.Flags)
	}
}
