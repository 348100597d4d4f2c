package lifecycle

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/passfort-conformance/harness/spec"
)

func TestDefaultLoads(t *testing.T) {
	t.Parallel()
	m := model(t)
	assert.Equal(t, []string{"APPLIED", "APPROVED", "IN_REVIEW", "REJECTED", "CANCELLED"}, m.Statuses(), "Statuses()")
	assert.Equal(t, "APPLIED", m.Initial(), "Initial()")
	for s, want := range map[string]bool{"APPLIED": false, "APPROVED": false, "IN_REVIEW": false, "REJECTED": true, "CANCELLED": true} {
		assert.Equal(t, want, m.Terminal(s), "Terminal(%s)", s)
	}
	// The documented precedence must survive in order among the placed flags.
	documented := []string{"DECIDED", "REQUIRES_RISK_SCORE", "REQUIRES_DATA", "WAITING_ON_COLLECTION_STEPS", "WAITING_ON_CHECKS", "REQUIRES_MANUAL_TASK_COMPLETION", "READY_FOR_DECISION"}
	var kept []string
	for _, f := range m.Flags() {
		if slices.Contains(documented, f) {
			kept = append(kept, f)
		}
	}
	assert.Equal(t, documented, kept, "documented flags in model order")
	assert.Len(t, m.Flags(), 11, "Flags(): want 11 (sources S19 and SWX, docs/decisions.md)")
	assert.Equal(t, RevertSameID, m.Option("revert_mode"), "Option(revert_mode): want same_id (decision D10, docs/decisions.md)")
	for _, tr := range m.Transitions() {
		if tr.Source == Documented {
			assert.NotEmpty(t, tr.Fact, "transition %s: documented without fact", tr.Name)
		}
	}
}

func TestWithOption(t *testing.T) {
	t.Parallel()
	m := model(t)
	n, err := m.WithOption("revert_mode", RevertNewApplication)
	require.NoError(t, err, "WithOption")
	assert.Equal(t, RevertNewApplication, n.Option("revert_mode"), "WithOption: the copy")
	assert.Equal(t, RevertSameID, m.Option("revert_mode"), "WithOption: the original")
	_, err = m.WithOption("revert_mode", "maybe")
	assert.Error(t, err, "WithOption(revert_mode, maybe)")
	_, err = m.WithOption("nope", "x")
	assert.Error(t, err, "WithOption(nope)")
}

// TestLoadErrors breaks the default model one rule at a time: each gives a
// one-line error naming the rule.
func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		edit func(f *fileModel)
		want string
	}{
		"unknown status in a transition": {
			func(f *fileModel) { f.Transitions[1].To = "APPROVE" },
			`transition "manual-approve": to: unknown status "APPROVE"`,
		},
		"unknown from status": {
			func(f *fileModel) { f.Transitions[0].From = "NEW" },
			`transition "policy-approves": from: unknown status "NEW"`,
		},
		"unknown status in a refusal": {
			func(f *fileModel) { f.Refusals.Rules[0].From = []string{"DENIED"} },
			`refusal "change-rejected": unknown status "DENIED"`,
		},
		"unknown flag condition": {
			func(f *fileModel) { f.Flags[2].When = "decided" },
			`flag "DECIDED": when: unknown condition "decided"`,
		},
		"duplicate flag": {
			func(f *fileModel) { f.Flags[1].Name = "AUTOMATING" },
			`flag "AUTOMATING": duplicate name`,
		},
		"otherwise not last": {
			func(f *fileModel) { f.Flags[0].When = "otherwise" },
			`flag "AUTOMATING": only the last flag uses when: otherwise`,
		},
		"duplicate transition name": {
			func(f *fileModel) { f.Transitions[2].Name = "manual-approve" },
			`transition "manual-approve": duplicate name`,
		},
		"invariant named like a transition": {
			func(f *fileModel) { f.Invariants[0].Name = "manual-approve" },
			`invariant "manual-approve": duplicate name (already a transition)`,
		},
		"invariant without description": {
			func(f *fileModel) { f.Invariants[3].Description = " " },
			`invariant "history-oldest-first": no description`,
		},
		"rule without source": {
			func(f *fileModel) { f.Transitions[3].Source = "" },
			`transition "manual-reject": no source`,
		},
		"documented without fact": {
			func(f *fileModel) { f.Invariants[0].Fact = "" },
			`invariant "status-is-modelled": source documented without a fact`,
		},
		"bad source": {
			func(f *fileModel) { f.Flags[0].Source = "guessed" },
			`flag "AUTOMATING": source: got "guessed", want documented or decided`,
		},
		"invariant no code checks": {
			func(f *fileModel) { f.Invariants[0].Name = "everything-fine" },
			`invariant "everything-fine": no check implements it`,
		},
		"implemented invariant missing": {
			func(f *fileModel) { f.Invariants = f.Invariants[1:] },
			`invariant "status-is-modelled": checked by the code but not declared`,
		},
		"invariant wrong scope": {
			func(f *fileModel) { f.Invariants[0].Scope = "pair" },
			`invariant "status-is-modelled": scope: got "pair", want "snapshot"`,
		},
		"code name mismatch": {
			func(f *fileModel) { f.Refusals.Rules[2].CodeName = "TRANSITION_ERROR" },
			`refusal "approve-approved": code 102 TRANSITION_ERROR: not a PassFort error code and name`,
		},
		"refusal 2xx": {
			func(f *fileModel) { f.Refusals.Rules[0].HTTPStatus = 200 },
			`refusal "change-rejected": http_status: got 200, want 4xx`,
		},
		"missing otherwise": {
			func(f *fileModel) { f.Refusals.Otherwise = nil },
			`refusals.otherwise: missing`,
		},
		"terminal left by hand": {
			func(f *fileModel) { f.Transitions[9].Cause = CauseManual },
			`transition "revert-rejection": leaves terminal status "REJECTED" other than by revert`,
		},
		"automatic without trigger": {
			func(f *fileModel) { f.Transitions[0].Triggers = nil },
			`transition "policy-approves": automatic without triggers`,
		},
		"unknown trigger": {
			func(f *fileModel) { f.Transitions[0].Triggers = []string{"magic"} },
			`transition "policy-approves": unknown trigger "magic"`,
		},
		"unused trigger": {
			func(f *fileModel) { f.Transitions[4].Triggers = []string{"task_incomplete"} },
			`trigger "unresolved_event": no transition uses it`,
		},
		"ambiguous transition": {
			func(f *fileModel) {
				f.Transitions[6].Cause = CauseManual
				f.Transitions[6].Triggers = nil
				f.Transitions[6].Guard = ""
			},
			`transition "policy-reapproves": same from, to and cause as "review-approve"`,
		},
		"unknown condition name": {
			func(f *fileModel) { f.Conditions[0].Name = "busy" },
			`condition "busy": not implemented`,
		},
		"condition not described": {
			func(f *fileModel) { f.Conditions = f.Conditions[1:] },
			`condition "automating": implemented but not described`,
		},
		"bad option default": {
			func(f *fileModel) { f.Options[0].Default = "both" },
			`option "revert_mode": default "both" is not one of`,
		},
		"initial unknown": {
			func(f *fileModel) { f.Initial = "NEW" },
			`initial: unknown status "NEW"`,
		},
		"duplicate status": {
			func(f *fileModel) { f.Statuses[1].Name = "APPLIED" },
			`status "APPLIED": duplicate name`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var f fileModel
			require.NoError(t, yaml.Unmarshal(spec.Lifecycle, &f), "unmarshal default")
			tc.edit(&f)
			data, err := yaml.Marshal(&f)
			require.NoError(t, err, "marshal")
			_, err = Load(data)
			require.Error(t, err, "Load: want %q", tc.want)
			msg := err.Error()
			assert.Contains(t, msg, tc.want, "Load error")
			assert.True(t, strings.HasPrefix(msg, "lifecycle model: "), "Load error = %q; want it to start with \"lifecycle model: \"", msg)
			assert.NotContains(t, msg, "\n", "Load error: want one line")
		})
	}
}

func TestLoadRawErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		data string
		want string
	}{
		"empty":       {"", "lifecycle model: empty document"},
		"not yaml":    {"version: [", "lifecycle model: yaml:"},
		"unknown key": {string(bytes.Replace(spec.Lifecycle, []byte("    decided: true\n    terminal: true"), []byte("    decided: true\n    final: true"), 1)), "field final not found"},
		"version":     {"version: 2\n", "lifecycle model: version: got 2, want 1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Load([]byte(tc.data))
			if assert.Error(t, err, "Load: want %q", tc.want) {
				assert.Contains(t, err.Error(), tc.want, "Load error")
				assert.NotContains(t, err.Error(), "\n", "Load error: want one line")
			}
		})
	}
}
