package fidelity

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/report"
)

// Fidelity follows the whole contract: for every operation of the parsed
// document, a run that answers with its documented 2xx example and one
// that answers 404 (or the example less a field) differ, and the
// difference names the operation's method and path. No operation is
// compared by a list of its own.
func TestCompareCoversEveryOperation(t *testing.T) {
	t.Parallel()
	doc, err := apispec.Embedded()
	require.NoError(t, err)
	var a, b, c []report.Scenario
	fielded := 0
	for i, o := range doc.Operations() {
		path := apispec.FillTemplate(o.Template, "a2c4393a-e219-67a4-5ab4-2186952e9038")
		status, body := 200, []byte("{}")
		for code, ref := range o.Op.Responses.Map() {
			n, err := strconv.Atoi(code)
			if err != nil || n/100 != 2 || ref.Value == nil {
				continue
			}
			status = n
			if ex := apispec.MediaTypeExamples(ref.Value.Content.Get("application/json")); len(ex) > 0 {
				body, err = json.Marshal(ex[0].Value)
				require.NoError(t, err)
			}
		}
		step := func(st int, resp []byte) report.Scenario {
			return report.Scenario{Name: o.Key(), Line: i + 1, Status: report.Passed, Steps: []report.Step{{
				Text:      "I call " + o.Key(),
				Exchanges: []exchange.Exchange{{Method: o.Method, Path: path, Status: st, ResponseBody: resp}},
			}}}
		}
		a = append(a, step(status, body))
		b = append(b, step(404, []byte(`{"errors":[{"code":201,"message":"not found"}]}`)))
		// A body with one key fewer: a field difference, when there is one.
		var obj map[string]any
		less := body
		if json.Unmarshal(body, &obj) == nil && len(obj) > 0 {
			for k := range obj {
				delete(obj, k)
				break
			}
			less, _ = json.Marshal(obj)
			fielded++
		}
		c = append(c, step(status, less))
	}
	wrap := func(target string, s []report.Scenario) *report.Run {
		return &report.Run{Target: target, Features: []report.Feature{{URI: "features/all.feature", Scenarios: s}}}
	}
	byStatus := Compare(wrap("mock", a), wrap("other", b))
	byField := Compare(wrap("mock", a), wrap("other", c))
	require.Equal(t, len(doc.Operations()), byStatus.Compared)
	statusOf := map[string]string{}
	for _, d := range byStatus.Differences {
		if d.What == "status" {
			statusOf[d.Step] = d.Detail
		}
	}
	fieldOf := map[string]bool{}
	for _, d := range byField.Differences {
		if d.What == "field" {
			fieldOf[d.Step] = true
		}
	}
	for i, o := range doc.Operations() {
		detail, ok := statusOf["I call "+o.Key()]
		if assert.True(t, ok, "%s: no status difference", o.Key()) {
			assert.Contains(t, detail, o.Method+" ", o.Key())
			assert.Contains(t, detail, fmt.Sprintf("mock %d, other 404", a[i].Steps[0].Exchanges[0].Status), o.Key())
		}
		if string(a[i].Steps[0].Exchanges[0].ResponseBody) != string(c[i].Steps[0].Exchanges[0].ResponseBody) {
			assert.True(t, fieldOf["I call "+o.Key()], "%s: no field difference", o.Key())
		}
	}
	assert.Positive(t, fielded)
}
