package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

// An answer the contract says is always empty (x-empty-object) reports a key
// in it as drift, as a target that answers an approve with the new check
// would show, and the empty answer itself gives nothing (decision D122,
// docs/decisions.md). The drift tests hold free-form objects to giving none.
func TestEmptyObjectKeysAreDrift(t *testing.T) {
	t.Parallel()
	v, err := defaultValidator()
	require.NoError(t, err)
	const check = "/profiles/" + profileID + "/checks/2c3d4e5f-6071-4829-93a4-b5c6d7e8f901"
	tests := map[string]struct {
		method, path, body string
		want               []summary
	}{
		"an empty approve": {method: "POST", path: check + "/approve", body: `{}`},
		"an approve answering the check": {method: "POST", path: check + "/approve", body: `{"id":"x","state":"COMPLETE"}`,
			want: []summary{
				{finding.Drift, finding.UndocumentedField, "/id", "properties"},
				{finding.Drift, finding.UndocumentedField, "/state", "properties"},
			}},
		"a delete answering a message": {method: "POST", path: "/profiles/" + profileID + "/delete", body: `{"message":"deleted"}`,
			want: []summary{{finding.Drift, finding.UndocumentedField, "/message", "properties"}}},
		"a note delete answering its note": {method: "DELETE", path: "/profiles/" + profileID + "/tasks/3d4e5f60-7182-4930-a4b5-c6d7e8f90a12/notes/4e5f6071-8293-4a41-b5c6-d7e8f90a1b23",
			body: `{"id":"n"}`,
			want: []summary{{finding.Drift, finding.UndocumentedField, "/id", "properties"}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := v.CheckResponse(jsonExchange(tc.method, tc.path, 200, []byte(tc.body)))
			want := tc.want
			if want == nil {
				want = []summary{}
			}
			assert.ElementsMatch(t, want, summarize(got))
		})
	}
}
