package coverage_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/coverage"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/report"
)

// concrete fills a path template's parameters with an id.
func concrete(template string) string {
	return apispec.FillTemplate(template, "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9")
}

// runOf is a run of one scenario holding one exchange per (operation,
// status) given.
func runOf(exs ...exchange.Exchange) *report.Run {
	return &report.Run{Features: []report.Feature{{Scenarios: []report.Scenario{{Steps: []report.Step{{Exchanges: exs}}}}}}}
}

// Coverage follows the whole contract: every operation the document has is
// in coverage.json's items and by_operation, and by_operation says which
// classes of documented status the run observed.
func TestMeasureCoversEveryOperation(t *testing.T) {
	t.Parallel()
	v, err := contract.Default()
	require.NoError(t, err)
	model, err := lifecycle.Default()
	require.NoError(t, err)
	ops := v.Operations()
	require.Len(t, ops, len(v.Document().Operations()), "the validator lists every operation of the document")
	require.GreaterOrEqual(t, len(ops), 49, "the contract's 49 operations")

	// Every operation answered with its first documented 2xx; the
	// operations at even indexes with their first documented 4xx too.
	var exs []exchange.Exchange
	want4xx := map[string]bool{}
	for i, o := range ops {
		statuses := v.DocumentedStatuses(o)
		for _, class := range []int{2, 4} {
			if class == 4 && i%2 == 1 {
				continue
			}
			for _, s := range statuses {
				if s/100 == class {
					exs = append(exs, exchange.Exchange{Method: o.Method, Path: "/4.0" + concrete(o.Path), Status: s})
					want4xx[o.String()] = want4xx[o.String()] || class == 4
					break
				}
			}
		}
	}
	cf := coverage.Measure(runOf(exs...), v, model)

	inItems := map[string]bool{}
	for _, it := range cf.Operations.Items {
		inItems[it.Operation] = true
	}
	byOp := map[string]coverage.OperationClasses{}
	for _, c := range cf.Operations.ByOperation {
		byOp[c.Operation] = c
	}
	require.Len(t, cf.Operations.ByOperation, len(ops))
	both := 0
	for _, o := range ops {
		name := o.String()
		assert.True(t, inItems[name], "%s: not in operations.items", name)
		c, ok := byOp[name]
		if !assert.True(t, ok, "%s: not in operations.by_operation", name) {
			continue
		}
		assert.NotEmpty(t, c.Documented2xx, "%s documents no 2xx", name)
		assert.True(t, c.Observed2xx, "%s: its 2xx was observed", name)
		assert.Equal(t, want4xx[name], c.Observed4xx, "%s: observed_documented_4xx", name)
		if c.Observed2xx && c.Observed4xx {
			both++
		}
	}
	assert.Equal(t, both, cf.Operations.Both2xx4xx)
	assert.Positive(t, both)
	assert.Less(t, both, len(ops), "the odd operations had no 4xx")
}

// An undocumented status counts for no class: a 418 is not a 4xx the
// contract documents.
func TestByOperationIgnoresUndocumentedStatuses(t *testing.T) {
	t.Parallel()
	v, err := contract.Default()
	require.NoError(t, err)
	model, err := lifecycle.Default()
	require.NoError(t, err)
	cf := coverage.Measure(runOf(exchange.Exchange{Method: "GET", Path: "/4.0/whoami", Status: 418}), v, model)
	for _, c := range cf.Operations.ByOperation {
		if c.Operation == "GET /whoami" {
			assert.False(t, c.Observed4xx)
			assert.False(t, c.Observed2xx)
			assert.NotContains(t, c.Documented4xx, 418)
			return
		}
	}
	t.Fatal("GET /whoami is not in by_operation")
}

// coverage.json says which enums are extensible, as the contract marks
// them (decision D35): a task type is, an application status is not.
func TestEnumItemsSayExtensible(t *testing.T) {
	t.Parallel()
	v, err := contract.Default()
	require.NoError(t, err)
	model, err := lifecycle.Default()
	require.NoError(t, err)
	cf := coverage.Measure(runOf(), v, model)
	byName := map[string]coverage.EnumItem{}
	for _, it := range cf.Enums.Items {
		byName[it.Name] = it
	}
	require.Contains(t, byName, "TaskType")
	require.Contains(t, byName, "ProductApplicationStatus")
	assert.True(t, byName["TaskType"].Extensible)
	assert.False(t, byName["ProductApplicationStatus"].Extensible)
}

// The HTML report's matrix has one row per operation, its documented
// statuses with their counts and the undocumented ones it received.
func TestHTMLExtrasRollup(t *testing.T) {
	t.Parallel()
	model, err := lifecycle.Default()
	require.NoError(t, err)
	cf := &coverage.File{Operations: coverage.Operations{
		Items: []coverage.OpStatus{
			{Operation: "GET /profiles", Status: 200, Count: 3},
			{Operation: "GET /profiles", Status: 401, Count: 0},
			{Operation: "POST /profiles", Status: 200, Count: 1},
		},
		Undocumented: []coverage.OpStatus{{Operation: "GET /profiles", Status: 500, Count: 2}},
	}}
	x := coverage.HTMLExtras(cf, model)
	require.NotNil(t, x.Rollup)
	assert.Equal(t, []report.OperationStatuses{
		{Operation: "GET /profiles", Documented: map[int]int{200: 3, 401: 0}, Undocumented: map[int]int{500: 2}},
		{Operation: "POST /profiles", Documented: map[int]int{200: 1}, Undocumented: map[int]int{}},
	}, x.Rollup.Operations)
}
