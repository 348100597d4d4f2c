package steps

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An application without the keys an older account leaves out (decision
// D116, docs/decisions.md): a step that needs one says it got nothing,
// rather than passing on an empty list or naming an empty value.
func TestStepsOnAnOlderApplication(t *testing.T) {
	t.Parallel()
	const older = `{"id":"a1","status":"APPLIED","history":[],"approval_blockers":[]}`
	tests := map[string]struct {
		body    string
		step    func(context.Context) error
		wantErr string // "" for a pass
	}{
		"complete every task without required_tasks": {older,
			func(ctx context.Context) error { return completeEveryTask(ctx, "COMPLETED_PASS") },
			"application required_tasks: got nothing, want the tasks to complete"},
		"complete every task of none": {`{"id":"a1","status":"APPLIED","required_tasks":[]}`,
			func(ctx context.Context) error { return completeEveryTask(ctx, "COMPLETED_PASS") }, ""},
		"flag history without flag_history": {older,
			func(ctx context.Context) error { return flagHistoryIncludes(ctx, "WAITING_ON_CHECKS") },
			"flag_history: got nothing, want it to include WAITING_ON_CHECKS"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := tc.step(applicationServed(t, &Env{}, tc.body, nil))
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}
