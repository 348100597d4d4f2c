package drift_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/exchange"
)

func TestObserve(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	t1, t2, t3 := at, at.Add(time.Minute), at.Add(2*time.Minute)
	first, second := fullApplication(), fullApplication()
	second["flag"] = "READY_FOR_DECISION"
	notFound := map[string]any{"errors": []any{map[string]any{"code": 201, "message": "no such application"}}}
	unknown := jsonExchange(t, "/nowhere/a2c4393a-e219-67a4-5ab4-2186952e9038?x=1", 404, notFound, t2)
	refused := exchange.Exchange{Method: "GET", Path: appPath, Err: "connection refused", Started: t1}
	run := runOf("obs",
		step(t, v, "first", jsonExchange(t, appPath, 200, second, t3), jsonExchange(t, appPath, 200, first, t1), refused),
		step(t, v, "second", jsonExchange(t, appPath, 404, notFound, t2), unknown),
	)
	o := drift.Observe(run, v)

	assert.Equal(t, "obs", o.Run)
	assert.ElementsMatch(t, []string{getApp, "GET /nowhere/{id}"}, keys(o.Operations))
	op := o.Operations[getApp]
	assert.Equal(t, drift.Seen{FirstSeen: t1, LastSeen: t3, Count: 3}, op.Seen, "the refused request is not counted")
	assert.ElementsMatch(t, []int{200, 404}, keys(op.Statuses))

	ok := op.Statuses[200]
	assert.Equal(t, drift.Seen{FirstSeen: t1, LastSeen: t3, Count: 2}, ok.Seen)
	assert.Equal(t, map[string]*drift.Seen{"application/json": {FirstSeen: t1, LastSeen: t3, Count: 2}}, ok.ContentTypes)
	for _, f := range []string{"/flag", "/approval_blockers/*/blocker_type", "/product/risk_models/COMPANY", "/history/*/decisioner/email"} {
		assert.Contains(t, ok.Fields, f)
	}
	assert.Equal(t, 4, ok.Fields["/approval_blockers/*/blocker_type"].Count, "two items in each of two responses")
	assert.Equal(t, map[string]*drift.Seen{
		"REQUIRES_MANUAL_TASK_COMPLETION": {FirstSeen: t1, LastSeen: t1, Count: 1},
		"READY_FOR_DECISION":              {FirstSeen: t3, LastSeen: t3, Count: 1},
	}, ok.Enums["/flag"])
	assert.Contains(t, ok.Enums["/flag_history/*/flag"], "AUTOMATING")
	assert.Contains(t, ok.Enums["/approval_blockers/*/blocker_type"], "UNRESOLVED_EVENT")
	assert.Contains(t, ok.Enums["/risk/overall/level"], "LOW")
	assert.NotContains(t, ok.Enums, "/id", "only pointers whose schema has an enum")

	assert.Contains(t, op.Statuses[404].Fields, "/errors/*/code")
	assert.Contains(t, o.Operations["GET /nowhere/{id}"].Statuses[404].Fields, "/errors/*/message")
}

func keys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestObserveWithEnums(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	run := runOf("obs", step(t, v, "read", jsonExchange(t, appPath, 200, fullApplication(), at)))

	none, err := apispec.Parse([]byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"))
	require.NoError(t, err)
	o := drift.Observe(run, v, drift.WithEnums(none.Enums()))
	assert.Empty(t, o.Operations[getApp].Statuses[200].Enums, "an index without enums records none")
	assert.NotEmpty(t, drift.Observe(run, v).Operations[getApp].Statuses[200].Enums, "the embedded spec's enums by default")
}

func TestObservationsRoundTrip(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	dir := t.TempDir()
	r := drift.Analyze(driftingRun(t), v)

	path := filepath.Join(dir, "sub", "observations.json")
	require.NoError(t, drift.WriteObservations(path, r.Observations))
	got, err := drift.ReadObservations(path)
	require.NoError(t, err)
	assert.Equal(t, jsonOf(t, r.Observations), jsonOf(t, got))

	// Write puts the observations in their own file, not in drift.json.
	require.NoError(t, drift.Write(dir, r))
	fromFile, err := drift.ReadObservations(filepath.Join(dir, drift.ObservationsFile))
	require.NoError(t, err)
	assert.Equal(t, jsonOf(t, r.Observations), jsonOf(t, fromFile))
	for _, f := range []string{drift.JSONFile, drift.MarkdownFile, drift.ObservationsFile} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
	_, err = drift.ReadObservations(filepath.Join(dir, drift.JSONFile))
	assert.ErrorContains(t, err, `got no "operations", want an observations file`)
	back, err := drift.ReadReport(filepath.Join(dir, drift.JSONFile))
	require.NoError(t, err)
	assert.Equal(t, r.Entries, back.Entries)
}

func TestReadObservationsErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		return p
	}
	tests := map[string]struct {
		path string
		want string
	}{
		"missing":        {filepath.Join(dir, "nope.json"), "read observations: stat " + filepath.Join(dir, "nope.json") + ": no such file or directory"},
		"not json":       {write("bad.json", "{"), "read observations " + filepath.Join(dir, "bad.json") + ": unexpected end of JSON input"},
		"no operations":  {write("other.json", `{"hello":1}`), `read observations ` + filepath.Join(dir, "other.json") + `: got no "operations", want an observations file`},
		"wrong type":     {write("type.json", `{"operations":[1]}`), "read observations " + filepath.Join(dir, "type.json") + ": json: cannot unmarshal array"},
		"null operation": {write("null.json", `{"operations":{"GET /x":null}}`), ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o, err := drift.ReadObservations(tc.path)
			if tc.want == "" {
				require.NoError(t, err)
				assert.NotNil(t, o.Operations["GET /x"].Statuses, "normalized")
				return
			}
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
