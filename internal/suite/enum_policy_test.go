package suite

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

// The enum policy end to end (decision D54, docs/decisions.md): the mock's
// answer to adding an application is altered; a new task type (an
// extensible enum) is a drift finding that names the value, the pointer and
// the operation, and the scenario passes, unless StrictEnums; a new
// application status (a closed enum) fails either way.
func TestEnumPolicyEndToEnd(t *testing.T) {
	t.Parallel()
	newTaskType := func(b map[string]any) {
		tasks, _ := b["required_tasks"].([]any)
		require.NotEmpty(t, tasks, "forexo_basic requires no task: the test needs one")
		task := tasks[0].(map[string]any)
		old := task["task_type"]
		task["task_type"] = "INDIVIDUAL_BRAND_NEW_TASK"
		// Its blocker names the same type: the lifecycle model checks it.
		blockers, _ := b["approval_blockers"].([]any)
		for _, x := range blockers {
			if bl := x.(map[string]any); bl["task_type"] == old {
				bl["task_type"] = task["task_type"]
			}
		}
	}
	newStatus := func(b map[string]any) { b["status"] = "BRAND_NEW_STATUS" }
	tests := map[string]struct {
		edit        func(map[string]any)
		strict      bool
		class       finding.Class
		kind        string
		pointer     string
		value       string
		wantFailure bool
	}{
		"new task type: drift, passes":                 {newTaskType, false, finding.Drift, finding.UnknownEnumValue, "/required_tasks/0/task_type", "INDIVIDUAL_BRAND_NEW_TASK", false},
		"new task type, strict enums: contract, fails": {newTaskType, true, finding.Contract, finding.OutsideEnum, "/required_tasks/0/task_type", "INDIVIDUAL_BRAND_NEW_TASK", true},
		"new application status: contract, fails":      {newStatus, false, finding.Contract, finding.OutsideEnum, "/status", "BRAND_NEW_STATUS", true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, out := run(t, map[string]string{"a.feature": addApplication}, func(c *Config) {
				c.Target.WrapMock = rewrite("POST", "/applications", tc.edit)
				c.StrictEnums = tc.strict
			})
			var hit *finding.Finding
			for _, f := range res.Run.Findings() {
				if f.Pointer == tc.pointer {
					hit = &f
					break
				}
			}
			require.NotNil(t, hit, "no finding at %s; findings: %v", tc.pointer, res.Run.Findings())
			assert.Equal(t, tc.class, hit.Class, "%v", hit)
			assert.Equal(t, tc.kind, hit.Kind, "%v", hit)
			assert.Equal(t, "POST /profiles/{profile_id}/applications", hit.Operation)
			assert.Contains(t, hit.Message, `"`+tc.value+`"`)
			assert.Equal(t, tc.wantFailure, res.Failed, "run failed:\n%s", out)
			if tc.wantFailure {
				assert.Equal(t, VerdictContract, res.Verdict, "%s", out)
				assert.Contains(t, out, hit.String())
				return
			}
			assert.EqualValues(t, 1, res.Run.Count().Passed, "%s", out)
			var entry bool
			for _, e := range res.Drift.Entries {
				entry = entry || e.Kind == finding.UnknownEnumValue && e.Value == tc.value && e.Pointer == "/required_tasks/*/task_type"
			}
			assert.True(t, entry, "drift report entries: %v", res.Drift.Entries)
		})
	}
}
