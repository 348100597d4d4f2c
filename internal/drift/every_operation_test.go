package drift_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/report"
)

// Drift follows the whole contract: for every operation of the parsed
// document whose documented 2xx example is an object, a response that is
// that example plus one key gives an undocumented-field entry under the
// operation's name, and the observations record the operation.
func TestDriftCoversEveryOperation(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	var steps []report.Step
	want := map[string]bool{}
	for _, o := range v.Document().Operations() {
		for code, ref := range o.Op.Responses.Map() {
			status, err := strconv.Atoi(code)
			if err != nil || status/100 != 2 || ref.Value == nil {
				continue
			}
			ex := apispec.MediaTypeExamples(ref.Value.Content.Get("application/json"))
			if len(ex) == 0 {
				continue
			}
			raw, err := json.Marshal(ex[0].Value)
			require.NoError(t, err)
			var body map[string]any
			if json.Unmarshal(raw, &body) != nil || len(body) == 0 {
				continue // an array, or the empty object of a delete
			}
			body["x_drift_probe"] = true
			e := jsonExchange(t, apispec.FillTemplate(o.Template, "a2c4393a-e219-67a4-5ab4-2186952e9038"), status, body, at)
			e.Method = o.Method
			steps = append(steps, step(t, v, "I call "+o.Key()+" "+code, e))
			want[o.Key()] = true
		}
	}
	require.GreaterOrEqual(t, len(want), 30, "operations with an object example")
	r := drift.Analyze(runOf("every", steps...), v)
	got := map[string]bool{}
	for _, e := range r.Entries {
		if e.Class == finding.Drift && e.Kind == finding.UndocumentedField && e.Pointer == "/x_drift_probe" {
			got[e.Operation] = true
		}
	}
	assert.Equal(t, want, got)
	require.NotNil(t, r.Observations)
	for op := range want {
		assert.Contains(t, r.Observations.Operations, op, "observations")
	}
}
