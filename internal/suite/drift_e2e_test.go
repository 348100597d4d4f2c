package suite

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/finding"
)

// The drift issue's acceptance: a target that adds one field, one value of
// an extensible enum (drift since decision D54) and one status code (the
// mock's test switch) yields exactly those three
// findings in the drift report, with pointers; a baseline accepting them
// passes the gate, one more field fails it, and so does an expired entry.
func TestDriftSwitchEndToEnd(t *testing.T) {
	t.Parallel()
	const feature = `Feature: drift
  Scenario: search tags
    When I send a GET request to "/tags/search/watch"

  @mutating
  Scenario: fetch an application
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I fetch the application
    And I send a GET request to "/profiles/{{profile_id}}/audit-items"
`
	dir := t.TempDir()
	run(t, map[string]string{"d.feature": feature}, func(c *Config) {
		c.Target.Mock.Drift = true
		c.ReportsDir = dir
	})
	rep, err := drift.ReadReport(filepath.Join(dir, "drift.json"))
	require.NoError(t, err)
	var got []string
	var three []drift.Accepted
	var neverReturned []drift.Accepted
	for _, e := range rep.Entries {
		acc := drift.Accepted{Class: e.Class, Kind: e.Kind, Operation: e.Operation, Status: e.Status, Pointer: e.Pointer, Value: e.Value, Reason: "test", Expires: "2099-12-31"}
		if e.Kind == finding.NeverReturned {
			neverReturned = append(neverReturned, acc)
			continue
		}
		got = append(got, string(e.Class)+" "+e.Kind+" "+e.Operation+" "+e.Pointer+" "+e.Value)
		three = append(three, acc)
	}
	sort.Strings(got)
	// The one field is reported at its pointer in every operation that
	// returns an application; the enum value and the status once each.
	want := []string{
		"contract undocumented-status GET /tags/search/{term}  ",
		"drift undocumented-field GET /profiles/{profile_id}/applications/{application_id} /drift_probe ",
		"drift undocumented-field POST /profiles /applications/*/drift_probe ",
		"drift undocumented-field POST /profiles/{profile_id}/applications /drift_probe ",
		"drift unknown-enum-value GET /profiles/{profile_id}/audit-items /*/action brand-new-action",
	}
	require.Equal(t, strings.Join(want, "\n"), strings.Join(got, "\n"))
	today := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	gate := func(entries []drift.Accepted) drift.Verdict {
		return drift.Gate(rep, &drift.Baseline{Entries: entries}, drift.GateOptions{}, today)
	}
	accepted := append(append([]drift.Accepted(nil), neverReturned...), three...)
	v := gate(accepted)
	require.True(t, v.Pass, "a baseline accepting the three: got %v", v.Lines)
	// Leaving one field out of the baseline is the same as the target adding it.
	v = gate(accepted[:len(accepted)-1])
	require.False(t, v.Pass)
	require.Len(t, v.New, 1)
	expired := append([]drift.Accepted(nil), accepted...)
	expired[len(expired)-1].Expires = "2026-11-27"
	v = gate(expired)
	require.False(t, v.Pass)
	require.Len(t, v.Expired, 1)
	require.False(t, drift.Gate(rep, &drift.Baseline{Entries: accepted}, drift.GateOptions{Strict: true}, today).Pass, "strict mode passed with accepted drift")
}
