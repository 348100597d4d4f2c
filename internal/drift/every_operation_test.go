package drift_test

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/report"
)

// probeKey is the key added to each operation's example.
const probeKey = "x_drift_probe"

// documentsFields says whether schema (an object, or an array of objects)
// says which keys it holds: properties, composed members, a map's value
// schema, or none at all (x-empty-object: the empty answer of a delete or
// an approve, decision D122). One that says nothing is free-form (`type:
// object`), where the contract treats no key as drift; a scalar holds no
// keys either.
func documentsFields(s *openapi3.SchemaRef) bool {
	if s == nil || s.Value == nil {
		return false
	}
	v := s.Value
	if v.Items != nil {
		return documentsFields(v.Items)
	}
	return len(v.Properties) > 0 || len(v.AllOf) > 0 || len(v.OneOf) > 0 || len(v.AnyOf) > 0 ||
		v.AdditionalProperties.Schema != nil || apispec.IsEmptyObject(v)
}

// withProbe returns the example body plus the probe key and the templated
// pointer drift should report it at: on the object itself, or on item 0 of
// a list (drift writes "*" for every array index). ok is false for an
// example that cannot carry the key (an empty list, a list of scalars, a
// scalar).
func withProbe(example any) (body any, pointer string, ok bool) {
	switch x := example.(type) {
	case map[string]any:
		x[probeKey] = true
		return x, "/" + probeKey, true
	case []any:
		if len(x) == 0 {
			return nil, "", false
		}
		item, isObject := x[0].(map[string]any)
		if !isObject {
			return nil, "", false
		}
		item[probeKey] = true
		return x, "/*/" + probeKey, true
	}
	return nil, "", false
}

// Drift follows the whole contract: for every operation of the parsed
// document with a documented 2xx JSON example whose schema names fields, a
// response that is that example plus one key (on the object, or on item 0
// of a list) gives an undocumented-field entry under the operation's name at
// the templated pointer, and the observations record the operation; so
// does an answer the contract says is always empty. The operations whose
// 2xx schema says nothing of its keys (a JSON string) are derived from the
// spec and listed; on them the probe gives no entry, as the contract says.
func TestDriftCoversEveryOperation(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	var steps []report.Step
	want := map[string]string{}      // operation → pointer of the probe
	withExample := map[string]bool{} // operations with a 2xx JSON example
	var nameNoField, cannotCarry []string
	for _, o := range v.Document().Operations() {
		for code, ref := range o.Op.Responses.Map() {
			status, err := strconv.Atoi(code)
			if err != nil || status/100 != 2 || ref.Value == nil {
				continue
			}
			mt := ref.Value.Content.Get("application/json")
			ex := apispec.MediaTypeExamples(mt)
			if len(ex) == 0 {
				continue
			}
			withExample[o.Key()] = true
			raw, err := json.Marshal(ex[0].Value)
			require.NoError(t, err)
			var example any
			require.NoError(t, json.Unmarshal(raw, &example))
			body, pointer, ok := withProbe(example)
			fields := documentsFields(mt.Schema)
			switch {
			case !fields:
				nameNoField = append(nameNoField, o.Key()+" "+code)
			case !ok:
				cannotCarry = append(cannotCarry, o.Key()+" "+code)
				continue
			default:
				want[o.Key()] = pointer
			}
			if !ok {
				continue
			}
			e := jsonExchange(t, apispec.FillTemplate(o.Template, "a2c4393a-e219-67a4-5ab4-2186952e9038"), status, body, at)
			e.Method = o.Method
			steps = append(steps, step(t, v, "I call "+o.Key()+" "+code, e))
		}
	}
	sort.Strings(nameNoField)
	t.Logf("2xx schemas that name no field (no drift to probe): %d\n\t%s", len(nameNoField), strings.Join(nameNoField, "\n\t"))
	assert.Empty(t, cannotCarry, "2xx examples of schemas that name fields but cannot carry a probe key (an empty list or a list of scalars)")
	require.NotEmpty(t, withExample, "operations with a 2xx JSON example")
	// Every operation with a 2xx example lands in want, nameNoField or
	// cannotCarry by construction; what can shrink unnoticed is how many are
	// probed (47 of 49 when this was written).
	require.GreaterOrEqual(t, len(want), 45, "operations probed for drift")
	r := drift.Analyze(runOf("every", steps...), v)
	got := map[string]string{}
	for _, e := range r.Entries {
		if e.Class == finding.Drift && e.Kind == finding.UndocumentedField && strings.HasSuffix(e.Pointer, "/"+probeKey) {
			got[e.Operation] = e.Pointer
		}
	}
	assert.Equal(t, want, got)
	require.NotNil(t, r.Observations)
	for op := range want {
		assert.Contains(t, r.Observations.Operations, op, "observations")
	}
}
