package consistency

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOlderAnswerShapes: reads without the keys older accounts leave out
// (an application's flag, flag_history and required_tasks, a task's state:
// decision D116, docs/decisions.md) break no rule, and a task without
// state still shows its check's outcome through is_complete.
func TestOlderAnswerShapes(t *testing.T) {
	t.Parallel()
	older := []string{
		`"flag":"AUTOMATING",`, ``,
		`"required_tasks":[{"id":"` + tid + `","task_type":"INDIVIDUAL_VERIFY_IDENTITY"}],`, ``,
		`,"flag_history":[{"status":"APPLIED","flag":"AUTOMATING","date":"2026-01-01 00:00:00"}]`, ``,
		`"state":"INCOMPLETE",`, ``,
	}
	stateless := func(done string) string {
		return `{"id":"` + tid + `","type":"INDIVIDUAL_VERIFY_IDENTITY","is_complete":` + done + `,"creation_date":"2026-01-01 00:00:00","check_ids":[]}`
	}
	tests := map[string]struct {
		reads []read
		want  []string
	}{
		"an older profile read twice":    {reads: []read{profileRead(older...), profileRead(older...)}},
		"a full read, then an older one": {reads: []read{profileRead(), profileRead(older...)}},
		"a passed check's task without state reads complete": {
			reads: []read{profileRead(older...), checkRead(completed("PASS")), taskRead(stateless("true"))},
		},
		"a passed check's task without state reads incomplete": {
			reads: []read{profileRead(older...), checkRead(completed("PASS")), taskRead(stateless("false"))},
			want:  []string{"check-outcome-moves-task"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, judge(t, tc.reads))
		})
	}
}
