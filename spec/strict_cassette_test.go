package spec_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/spec"
)

// TestStrictValidatorOnRecordedResponses records a default run of the suite
// against the embedded mock (PASSFORT_RECORD's cassette) and has the strict
// validator check every recorded response body against the schema its
// operation documents for its status (decision D118, docs/decisions.md):
// none may fail. The statuses the contract does not document (the faults a
// scenario provokes on purpose) are counted and listed apart, exactly the
// ones the contract leaves out. A copy of the cassette with broken answers
// must fail, naming each, in the same node process.
func TestStrictValidatorOnRecordedResponses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	recorded := recordedRun(t)

	raw, err := os.ReadFile(recorded)
	require.NoError(t, err)
	var cassette struct {
		Exchanges []map[string]any `json:"exchanges"`
	}
	require.NoError(t, json.Unmarshal(raw, &cassette))
	undocumented, answered := statusesOutsideContract(t, cassette.Exchanges)
	require.NotEmpty(t, undocumented, "the default run provokes an undocumented status on purpose (features/faults)")

	broken := filepath.Join(dir, "broken.cassette.json")
	writeBroken(t, broken, cassette.Exchanges)

	specFile, err := filepath.Abs("passfort-4.0.yaml")
	require.NoError(t, err)
	code, out := spec.StrictNode(t, "--cassette", recorded, "--cassette", broken, specFile)
	assert.Equal(t, 1, code, "exit code: the broken cassette fails; output:\n%s", tail(out))

	good := linesOf(out, recorded)
	var gotUndocumented []string
	for _, l := range good {
		switch {
		case strings.HasPrefix(l, "undocumented: "):
			gotUndocumented = append(gotUndocumented, l)
		case strings.HasPrefix(l, "unanswered: "):
		default:
			assert.Fail(t, "a recorded response breaks its schema", "%s", l)
		}
	}
	assert.Len(t, gotUndocumented, len(undocumented), "undocumented statuses listed apart: %v, want %v", gotUndocumented, undocumented)
	for _, u := range undocumented {
		assert.Contains(t, strings.Join(gotUndocumented, "\n"), u)
	}
	summary := "strictspec: " + recorded + ": ok (" + strconv.Itoa(answered) + " responses valid; " +
		strconv.Itoa(len(undocumented)) + " undocumented status(es)"
	assert.Contains(t, out, summary, "the recorded run's summary")

	bad := strings.Join(linesOf(out, broken), "\n")
	for _, want := range []string{
		"exchanges/0 POST /profiles/{profile_id}/applications 200: /approval_blockers/0 must match exactly one schema in oneOf",
		"exchanges/1 GET /profiles/{profile_id}/tasks/{task_id} 200: /check_ids must be array",
		"exchanges/2 GET /profiles/{profile_id} 200: /applications/0 must have required property 'status'",
		"undocumented: exchanges/3 GET /profiles/{profile_id} 502: status 502 not documented",
	} {
		assert.Contains(t, bad, want, "the broken cassette's report")
	}
	assert.Contains(t, out, "strictspec: "+broken+": 3 of 4 exchanges break their schema")
}

// statusesOutsideContract lists, as the validator words them, the recorded
// responses whose status their operation does not document, and counts the
// others: the contract read by kin-openapi, apart from the validator.
func statusesOutsideContract(t *testing.T, entries []map[string]any) ([]string, int) {
	t.Helper()
	doc := loadDoc(t)
	var undocumented []string
	answered := 0
	for i, e := range entries {
		resp, _ := e["response"].(map[string]any)
		status, _ := resp["status"].(float64)
		if status == 0 {
			continue
		}
		op, _ := e["operation"].(string)
		method, template, ok := strings.Cut(op, " ")
		require.True(t, ok, "exchange %d: operation %q", i, op)
		item := doc.Paths.Find(template)
		require.NotNil(t, item, "exchange %d: operation %q not in the contract", i, op)
		o := item.GetOperation(method)
		require.NotNil(t, o, "exchange %d: operation %q not in the contract", i, op)
		code := strconv.Itoa(int(status))
		if o.Responses.Value(code) == nil {
			undocumented = append(undocumented, "exchanges/"+strconv.Itoa(i)+" "+op+" "+code+": status "+code+" not documented")
			continue
		}
		answered++
	}
	return undocumented, answered
}

// writeBroken writes a cassette of four recorded answers, each changed:
// a blocker of no documented shape, a null list, an application without
// its status, and a status the contract does not document.
func writeBroken(t *testing.T, path string, entries []map[string]any) {
	t.Helper()
	pick := func(op string) map[string]any {
		for _, e := range entries {
			resp, _ := e["response"].(map[string]any)
			if e["operation"] == op && resp["status"] == float64(200) {
				var c map[string]any
				b, err := json.Marshal(e)
				require.NoError(t, err)
				require.NoError(t, json.Unmarshal(b, &c))
				return c
			}
		}
		require.FailNow(t, "no 200 answer recorded", "operation %s", op)
		return nil
	}
	body := func(e map[string]any) map[string]any { return e["response"].(map[string]any)["body"].(map[string]any) }

	app := pick("POST /profiles/{profile_id}/applications")
	body(app)["approval_blockers"] = []any{map[string]any{"blocker_type": "INCOMPLETE_TASK"}}
	task := pick("GET /profiles/{profile_id}/tasks/{task_id}")
	body(task)["check_ids"] = nil
	profile := pick("GET /profiles/{profile_id}")
	apps := body(profile)["applications"].([]any)
	require.NotEmpty(t, apps, "the recorded profile has an application")
	delete(apps[0].(map[string]any), "status")
	fault := pick("GET /profiles/{profile_id}")
	fault["response"].(map[string]any)["status"] = 502

	b, err := json.Marshal(map[string]any{"version": 1, "exchanges": []any{app, task, profile, fault}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o600))
}

// linesOf returns the validator's lines about file, without the prefix.
func linesOf(out, file string) []string {
	var mine []string
	for _, l := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(l, file+": "); ok {
			mine = append(mine, rest)
		}
	}
	return mine
}

func tail(s string) string {
	const n = 4000
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
