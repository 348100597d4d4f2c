package contract

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/finding"
)

// The enum policy (decisions D35 and D54, docs/decisions.md): a response
// value outside an extensible enum is drift, or a contract failure under
// StrictEnums; outside a closed enum it is always a contract failure.
func TestEnumPolicy(t *testing.T) {
	t.Parallel()
	lenient, err := defaultValidator()
	require.NoError(t, err)
	strict := strictValidator(t)

	const appPath = "/profiles/" + profileID + "/applications/a2c4393a-e219-67a4-5ab4-2186952e9038"
	const op = "GET /profiles/{profile_id}/applications/{application_id}"
	tests := map[string]struct {
		change      func(app map[string]any)
		strict      bool
		want        summary
		wantMessage string
	}{
		"unknown task type is drift": {
			change: func(app map[string]any) {
				app["required_tasks"].([]any)[0].(map[string]any)["task_type"] = "INDIVIDUAL_BRAND_NEW_TASK"
			},
			want:        summary{finding.Drift, finding.UnknownEnumValue, "/required_tasks/0/task_type", "enum"},
			wantMessage: `got "INDIVIDUAL_BRAND_NEW_TASK", want one of`,
		},
		"unknown task type under strict enums is a contract failure": {
			change: func(app map[string]any) {
				app["required_tasks"].([]any)[0].(map[string]any)["task_type"] = "INDIVIDUAL_BRAND_NEW_TASK"
			},
			strict:      true,
			want:        summary{finding.Contract, finding.OutsideEnum, "/required_tasks/0/task_type", "enum"},
			wantMessage: `got "INDIVIDUAL_BRAND_NEW_TASK", want one of`,
		},
		"unknown flag is drift": {
			change:      func(app map[string]any) { app["flag"] = "BRAND_NEW_FLAG" },
			want:        summary{finding.Drift, finding.UnknownEnumValue, "/flag", "enum"},
			wantMessage: `got "BRAND_NEW_FLAG"`,
		},
		"unknown blocker type (the discriminator) is drift": {
			change: func(app map[string]any) {
				app["approval_blockers"].([]any)[1] = map[string]any{"blocker_type": "BRAND_NEW_BLOCKER"}
			},
			want:        summary{finding.Drift, finding.UnknownEnumValue, "/approval_blockers/1/blocker_type", "discriminator"},
			wantMessage: `got "BRAND_NEW_BLOCKER"`,
		},
		"unknown application status stays a contract failure": {
			change:      func(app map[string]any) { app["status"] = "BRAND_NEW_STATUS" },
			want:        summary{finding.Contract, finding.OutsideEnum, "/status", "enum"},
			wantMessage: `got "BRAND_NEW_STATUS", want one of`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			app := application(t)
			app["flag_history"] = []any{} // required by the embedded spec, not by mini.yaml
			tc.change(app)
			v := lenient
			if tc.strict {
				v = strict
			}
			got := v.CheckResponse(jsonExchange(http.MethodGet, appPath, http.StatusOK, mustJSON(t, app)))
			require.Len(t, got, 1, "findings: %v", got)
			assert.Equal(t, tc.want, summarize(got)[0])
			assert.Equal(t, op, got[0].Operation)
			assert.Contains(t, got[0].Message, tc.wantMessage)
			assertOneLine(t, got[0].String())
			assert.Equal(t, tc.want.Class == finding.Contract, got[0].Fails(), "fails the scenario")
		})
	}
}

// A client that sends an unknown value of an extensible enum is refused as
// before, strict enums or not: the policy is about what the target sends.
func TestEnumPolicyLeavesRequestsStrict(t *testing.T) {
	t.Parallel()
	v, err := defaultValidator()
	require.NoError(t, err)
	body := []byte(`{"type":"INDIVIDUAL_BRAND_NEW_TASK"}`)
	header := http.Header{"Content-Type": {"application/json"}}
	for _, v := range []*Validator{v, strictValidator(t)} {
		got := v.CheckRequest(http.MethodPost, "/profiles/"+profileID+"/tasks", header, body)
		require.Len(t, got, 1, "%v", got)
		assert.Equal(t, summary{finding.Contract, finding.InvalidRequest, "/type", "enum"}, summarize(got)[0])
		assert.Contains(t, got[0].Message, `got "INDIVIDUAL_BRAND_NEW_TASK", want one of`)
		assert.NotContains(t, got[0].Message, "extensible")
	}
}

// The index of extensible enums is the document's, so a validator on a
// private copy (lenient mode) finds its own schemas in it.
func TestExtensibleIndexFollowsTheDocument(t *testing.T) {
	t.Parallel()
	v, err := defaultValidator()
	require.NoError(t, err)
	assert.NotEmpty(t, v.extensible)
	for s := range v.extensible {
		assert.True(t, apispec.IsExtensibleEnum(s))
	}
	assert.Equal(t, v.Document().ExtensibleEnums(), v.extensible, "shared document, shared index")
}

// strictValidator is the embedded spec's Validator with StrictEnums, built
// from the document defaultValidator parsed.
func strictValidator(tb testing.TB) *Validator {
	tb.Helper()
	lenient, err := defaultValidator()
	require.NoError(tb, err)
	v, err := FromDocument(lenient.Document(), Options{StrictEnums: true})
	require.NoError(tb, err)
	return v
}
