package tolerance_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/mockstack/stacktest"
	"github.com/passfort-conformance/harness/internal/mocktest"
	"github.com/passfort-conformance/harness/internal/tolerance"
)

// TestTolerance holds tolerance mode to its promise: what it serves breaks
// the contract only by the undocumented fields and unknown enum values it
// adds on purpose; optional fields go, nullable ones are null; each change
// is logged.
func TestTolerance(t *testing.T) {
	t.Parallel()
	e := stacktest.New(t, mockstack.Options{Options: mock.Options{AutomationDelay: -1}, Tolerance: true})
	v := stacktest.Validator(t)
	plain := stacktest.New(t, mockstack.Options{Options: mock.Options{AutomationDelay: -1}})
	created := e.Exchange("POST", "/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace", "dob", "1990-12-10", "nationality", "GBR"), "forexo_basic"))
	pid := mocktest.Resp{Body: created.ResponseBody}.Str("id")
	require.NotEmpty(t, pid, "create = %d %s", created.Status, created.ResponseBody)
	aid := mocktest.Resp{Body: created.ResponseBody}.Str("applications.0.id")
	exs := []*exchange.Exchange{
		created,
		e.Exchange("GET", "/profiles/"+pid, nil),
		e.Exchange("GET", "/profiles/"+pid+"/applications", nil),
		e.Exchange("GET", "/profiles/"+pid+"/applications/"+aid, nil),
		e.Exchange("GET", "/profiles/"+pid+"/tasks", nil),
		e.Exchange("GET", "/profiles?q=ada", nil),
		e.Exchange("GET", "/whoami", nil),
		e.Exchange("POST", "/profiles/"+pid+"/events", map[string]any{"data": map[string]any{"event_type": "PEP_FLAG"}}),
		e.Exchange("POST", "/profiles/"+pid+"/events", map[string]any{"data": map[string]any{"event_type": "PEP_FLAG"}, "resolution": "MISMATCH", "resolution_reason": "not the same person"}),
	}
	kinds := map[string]int{}
	for _, ex := range exs {
		require.Equal(t, 200, ex.Status, "%s %s: %s", ex.Method, ex.Path, ex.ResponseBody)
		for _, f := range v.CheckResponse(ex) {
			kinds[f.Kind]++
			onPurpose := (f.Class == finding.Drift && f.Kind == finding.UndocumentedField && strings.HasSuffix(f.Pointer, "/"+tolerance.Field)) ||
				(f.Class == finding.Contract && f.Kind == finding.OutsideEnum && strings.Contains(f.Message, tolerance.EnumValue)) ||
				(f.Class == finding.Drift && f.Kind == finding.UnknownEnumValue && strings.Contains(f.Message, tolerance.EnumValue))
			assert.True(t, onPurpose, "%s %s: %s\nbody: %.500s", ex.Method, ex.Path, f, ex.ResponseBody)
		}
	}
	assert.Positive(t, kinds[finding.UndocumentedField], "undocumented fields: findings by kind %v", kinds)
	// Closed enums give outside-enum, extensible ones unknown-enum-value
	// (decision D54, docs/decisions.md).
	assert.Positive(t, kinds[finding.OutsideEnum]+kinds[finding.UnknownEnumValue], "unknown enum values: findings by kind %v", kinds)
	// Against the same answer without tolerance: fields went, nulls came.
	plainProfile := plain.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace", "dob", "1990-12-10", "nationality", "GBR"), "forexo_basic")).Want(200)
	tol := mocktest.Resp{Body: exs[1].ResponseBody}
	for _, f := range []string{"collected_data", "applications", "tasks"} {
		if plainProfile.Get(f).Exists() && !tol.Get(f).Exists() {
			assert.Contains(t, e.Log.String(), "/"+f, "%s left out but not logged", f)
		}
	}
	resolved := mocktest.Resp{Body: exs[8].ResponseBody}
	assert.Equal(t, gjson.Null, resolved.Get("resolution_date").Type, "resolved event %s: want resolution_date null", exs[8].ResponseBody)
	assert.True(t, resolved.Get("resolution_date").Exists(), "resolved event %s: want resolution_date present", exs[8].ResponseBody)
	assert.Equal(t, "MISMATCH", resolved.Get("resolution").String(), "resolved event keeps its required resolution")
	logs := e.Log.String()
	// Each kind of change happened at least once: its list is not empty.
	for _, w := range []string{"tolerance: served what the contract allows", `absent="[/`, `null="[/`, `extra="[/`, `unknown_enum="[/`, "level=INFO"} {
		assert.Contains(t, logs, w)
	}
}

func TestToleranceNeedsADocument(t *testing.T) {
	t.Parallel()
	_, err := tolerance.New(nil, nil)
	assert.EqualError(t, err, "tolerance: no OpenAPI document")
}
