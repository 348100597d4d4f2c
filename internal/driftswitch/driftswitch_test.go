package driftswitch_test

import (
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/mockstack/stacktest"
	"github.com/passfort-conformance/harness/internal/mocktest"
)

// TestDriftSwitch is the switch's promise: exactly one undocumented field,
// one enum value and one status code, found where the drift report expects
// them.
func TestDriftSwitch(t *testing.T) {
	t.Parallel()
	e := stacktest.New(t, mockstack.Options{Options: mock.Options{AutomationDelay: -1}, Drift: true})
	created := e.Exchange("POST", "/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace")))
	pid := mocktest.Resp{Body: created.ResponseBody}.Str("id")
	app := e.Exchange("POST", "/profiles/"+pid+"/applications", map[string]any{"product": map[string]any{"alias": "forexo_basic"}})
	aid := mocktest.Resp{Body: app.ResponseBody}.Str("id")
	exs := []*exchange.Exchange{
		app,
		e.Exchange("GET", "/profiles/"+pid+"/applications/"+aid, nil),
		e.Exchange("GET", "/profiles/"+pid, nil),
		e.Exchange("GET", "/profiles/"+pid+"/audit-items", nil),
		e.Exchange("GET", "/tags/search/watch", nil),
	}
	whoami := e.Exchange("GET", "/whoami", nil)
	assert.Equal(t, 200, whoami.Status, "the key check a run starts with is left alone")
	var got []string
	for _, ex := range exs {
		for _, f := range stacktest.Validator(t).CheckResponse(ex) {
			got = append(got, string(f.Class)+" "+f.Kind+" "+f.Operation+" "+strconv.Itoa(f.Status)+" "+f.Pointer)
		}
	}
	sort.Strings(got)
	assert.Equal(t, []string{
		"contract undocumented-status GET /tags/search/{term} 202 ",
		"drift undocumented-field GET /profiles/{profile_id} 200 /applications/0/drift_probe",
		"drift undocumented-field GET /profiles/{profile_id}/applications/{application_id} 200 /drift_probe",
		"drift undocumented-field POST /profiles/{profile_id}/applications 200 /drift_probe",
		"drift unknown-enum-value GET /profiles/{profile_id}/audit-items 200 /2/action",
	}, got)
	assert.Contains(t, e.Log.String(), "drift: answered an undocumented audit action", "each drift change is logged")
}
