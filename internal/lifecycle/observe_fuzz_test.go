package lifecycle

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/passfort-conformance/harness/internal/finding"
)

// FuzzObserve hands the checker any exchange (method, path, request body,
// status, response body, operation label) between two well-formed
// observations of one application: Observe must never panic, and every
// finding must be a one-line lifecycle finding naming its rule. Paths and
// bodies may use {pid} and {aid}, replaced by the ids of the application
// the checker knows, so the fuzzer reaches the history and transition
// checks. Seeds: testdata/fuzz/FuzzObserve.
func FuzzObserve(f *testing.F) {
	m := model(f)
	base := newApp(appID)
	f.Add("POST", "/profiles/{pid}/applications/{aid}", []byte(`{"status":"APPROVED"}`), uint16(200), base.clone().noBlockers().move("APPROVED", "NONE").json(), opPostApp)
	f.Add("POST", "/profiles/{pid}/applications/{aid}/revert_decision", []byte(`{}`), uint16(200), base.json(), opRevert)
	f.Add("GET", "/profiles/{pid}/tasks", []byte(nil), uint16(200), []byte(`[{"id":"`+taskID+`","type":"`+taskType+`","state":"COMPLETED_PASS","is_complete":true}]`), opGetTasks)
	f.Add("GET", "/profiles/{pid}/applications", []byte(nil), uint16(200), []byte(`[`+string(base.json())+`,{"id":7}]`), opListApps)
	replacer := strings.NewReplacer("{pid}", profileID, "{aid}", appID)
	f.Fuzz(func(t *testing.T, method, path string, reqBody []byte, status uint16, respBody []byte, operation string) {
		path = replacer.Replace(path)
		reqBody = []byte(replacer.Replace(string(reqBody)))
		respBody = []byte(replacer.Replace(string(respBody)))
		c := m.NewChecker()
		var got []finding.Finding
		got = append(got, c.Observe(getApp(base), opGetApp)...)
		got = append(got, c.Observe(xch(method, path, string(reqBody), int(status), respBody), operation)...)
		// The fuzzed body again, as the next snapshot of the known application.
		got = append(got, c.Observe(xch("GET", appPath(appID), "", 200, respBody), opGetApp)...)
		got = append(got, c.ObserveTasks(profileID, respBody)...)
		lifecycleKinds := []string{finding.InvariantBroken, finding.IllegalTransition, finding.DecidedRuleBroken}
		for _, f := range got {
			assert.Equal(t, finding.Lifecycle, f.Class, "finding %q: class", f)
			assert.Contains(t, lifecycleKinds, f.Kind, "finding %q: want a lifecycle kind", f)
			assert.True(t, f.Rule != "" && m.ruleSource(f.Rule) != "", "finding %q: rule %q is not a rule of the model", f, f.Rule)
			assert.False(t, strings.ContainsAny(f.Message, "\r\n"), "finding %q: want one line", f)
			assert.Contains(t, f.Message, " "+f.Rule+": ", "finding %q: want the message to name rule %s", f, f.Rule)
		}
	})
}
