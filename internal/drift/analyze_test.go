package drift_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/report"
)

func neverReturned(ptr string) entryID {
	return entryID{finding.Drift, finding.NeverReturned, getApp, 200, ptr, ""}
}

func TestNeverReturned(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	tests := map[string]struct {
		edits []func(map[string]any) // one response per edit
		want  []entryID
	}{
		"a nested optional field missing": {
			edits: []func(map[string]any){func(a map[string]any) { delete(a["risk"].(map[string]any), "expiry") }},
			want:  []entryID{neverReturned("/risk/expiry")},
		},
		"missing in one response, present in another": {
			edits: []func(map[string]any){
				func(a map[string]any) { delete(a["risk"].(map[string]any), "expiry") },
				func(map[string]any) {},
			},
		},
		"a whole object missing: only the object": {
			edits: []func(map[string]any){func(a map[string]any) { delete(a, "risk") }},
			want:  []entryID{neverReturned("/risk")},
		},
		"a null object: its fields are not reported": {
			edits: []func(map[string]any){func(a map[string]any) { a["risk"] = nil }},
		},
		"an empty array: its items' fields are not reported": {
			edits: []func(map[string]any){func(a map[string]any) { a["approval_blockers"] = []any{} }},
		},
		"a oneOf branch not seen: its field counts as never returned": {
			edits: []func(map[string]any){func(a map[string]any) {
				a["approval_blockers"] = a["approval_blockers"].([]any)[:1] // no UNRESOLVED_EVENT blocker
			}},
			want: []entryID{neverReturned("/approval_blockers/*/event_id")},
		},
		"fields of array items": {
			edits: []func(map[string]any){func(a map[string]any) {
				h := a["history"].([]any)[0].(map[string]any)
				delete(h, "comment")
				h["decisioner"] = nil
			}},
			want: []entryID{neverReturned("/history/*/comment")},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var exs []exchange.Exchange
			for _, edit := range tc.edits {
				app := fullApplication()
				edit(app)
				exs = append(exs, jsonExchange(t, appPath, 200, app, at))
			}
			run := runOf(name, step(t, v, "I read the application", exs...))
			require.Empty(t, run.Findings(), "the edited responses must stay valid")
			r := drift.Analyze(run, v)
			assert.Equal(t, orEmpty(tc.want), idsOf(r.Entries, entryIDOf), "%v", r.Entries)
			for _, e := range r.Entries {
				assert.Equal(t, len(tc.edits), e.Count, "%s: objects seen without it", e.Key)
				assert.Equal(t, "I read the application", e.FirstScenario)
			}
		})
	}
}

func TestAnalyzeFindings(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	tests := map[string]struct {
		exchanges func(t *testing.T) []exchange.Exchange
		want      []entryID
		check     func(t *testing.T, es []drift.Entry)
	}{
		"undocumented field in array items: one templated entry": {
			exchanges: func(t *testing.T) []exchange.Exchange {
				app := fullApplication()
				for _, b := range app["approval_blockers"].([]any) {
					b.(map[string]any)["extra"] = map[string]any{"deep": 1}
				}
				return []exchange.Exchange{jsonExchange(t, appPath, 200, app, at)}
			},
			want: []entryID{{finding.Drift, finding.UndocumentedField, getApp, 200, "/approval_blockers/*/extra", ""}},
			check: func(t *testing.T, es []drift.Entry) {
				assert.Equal(t, 2, es[0].Count, "two items carried it")
				assert.Equal(t, "object", es[0].Example, "objects are shown by type")
			},
		},
		"a field whose name says secret: example redacted": {
			exchanges: func(t *testing.T) []exchange.Exchange {
				app := fullApplication()
				app["webhook_token"] = "s3cr3t-value"
				return []exchange.Exchange{jsonExchange(t, appPath, 200, app, at)}
			},
			want: []entryID{{finding.Drift, finding.UndocumentedField, getApp, 200, "/webhook_token", ""}},
			check: func(t *testing.T, es []drift.Entry) {
				assert.Equal(t, "[REDACTED]", es[0].Example)
			},
		},
		"a value outside a closed enum stays a contract entry": {
			exchanges: func(t *testing.T) []exchange.Exchange {
				app := fullApplication()
				app["status"] = "BRAND_NEW_STATUS" // application status is closed (decision D35)
				return []exchange.Exchange{jsonExchange(t, appPath, 200, app, at)}
			},
			want: []entryID{{finding.Contract, finding.OutsideEnum, getApp, 200, "/status", "BRAND_NEW_STATUS"}},
		},
		"two enum values at one pointer: two entries": {
			exchanges: func(t *testing.T) []exchange.Exchange {
				a, b := fullApplication(), fullApplication()
				a["flag"], b["flag"] = "NEW_ONE", "NEW_TWO"
				long := fullApplication()
				long["flag"] = strings.Repeat("X", 200)
				return []exchange.Exchange{jsonExchange(t, appPath, 200, a, at), jsonExchange(t, appPath, 200, b, at), jsonExchange(t, appPath, 200, a, at)}
			},
			want: []entryID{
				{finding.Drift, finding.UnknownEnumValue, getApp, 200, "/flag", "NEW_ONE"},
				{finding.Drift, finding.UnknownEnumValue, getApp, 200, "/flag", "NEW_TWO"},
			},
			check: func(t *testing.T, es []drift.Entry) {
				assert.Equal(t, 2, es[0].Count)
				assert.Equal(t, 1, es[1].Count)
			},
		},
		"a long enum value is cut": {
			exchanges: func(t *testing.T) []exchange.Exchange {
				app := fullApplication()
				app["flag"] = strings.Repeat("X", 200)
				return []exchange.Exchange{jsonExchange(t, appPath, 200, app, at)}
			},
			want: []entryID{{finding.Drift, finding.UnknownEnumValue, getApp, 200, "/flag", strings.Repeat("X", 77) + "..."}},
			check: func(t *testing.T, es []drift.Entry) {
				e := es[0]
				assert.LessOrEqual(t, len(e.Example), 80)
				assert.Equal(t, drift.EntryKey(e.Class, e.Kind, e.Operation, e.Status, e.Pointer, e.Value), e.Key,
					"the key holds the value as shown, so a baseline entry copied from the report matches")
			},
		},
		"an undocumented content type": {
			exchanges: func(t *testing.T) []exchange.Exchange {
				ex := jsonExchange(t, appPath, 200, fullApplication(), at)
				ex.ResponseHeader = http.Header{"Content-Type": {"text/plain; charset=utf-8"}}
				return []exchange.Exchange{ex}
			},
			want: []entryID{{finding.Contract, finding.WrongContentType, getApp, 200, "", "text/plain"}},
			check: func(t *testing.T, es []drift.Entry) {
				assert.Equal(t, "text/plain; charset=utf-8", es[0].Example)
			},
		},
		"other contract findings are not listed, a missing required field not as never returned either": {
			exchanges: func(t *testing.T) []exchange.Exchange {
				app := fullApplication()
				delete(app, "status") // missing-required: a contract break, not drift
				return []exchange.Exchange{jsonExchange(t, appPath, 200, app, at)}
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := runOf(name, step(t, v, "I read the application", tc.exchanges(t)...))
			r := drift.Analyze(run, v)
			require.Equal(t, orEmpty(tc.want), idsOf(r.Entries, entryIDOf), "%v", r.Entries)
			if tc.check != nil {
				tc.check(t, r.Entries)
			}
		})
	}
}

// A finding whose response is not recorded (a saved run trimmed of bodies)
// still gets an entry, its pointer templated by guess and its enum value
// taken from the message.
func TestAnalyzeWithoutRecordedResponse(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	st := report.Step{Keyword: "Then ", Text: "it drifted", Findings: []finding.Finding{
		{Class: finding.Drift, Kind: finding.UndocumentedField, Operation: getApp, Status: 200, Pointer: "/approval_blockers/3/extra", Rule: "properties", Message: "field \"extra\" is not documented", Example: "1"},
		{Class: finding.Contract, Kind: finding.OutsideEnum, Operation: getApp, Status: 200, Pointer: "/flag", Rule: "enum", Message: `got "NEW", want one of A, B`},
		{Class: finding.Lifecycle, Kind: finding.InvariantBroken, Message: "not listed"},
	}}
	r := drift.Analyze(runOf("trimmed", st), v)
	assert.Equal(t, []entryID{
		{finding.Drift, finding.UndocumentedField, getApp, 200, "/approval_blockers/*/extra", ""},
		{finding.Contract, finding.OutsideEnum, getApp, 200, "/flag", "NEW"},
	}, idsOf(r.Entries, entryIDOf))
}

// A finding a scenario provoked on purpose (an injected fault) is not drift.
func TestAnalyzeSkipsExpectedFindings(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	st := report.Step{Keyword: "When ", Text: "the mock answers 500", Findings: []finding.Finding{
		{Class: finding.Contract, Kind: finding.UndocumentedStatus, Operation: getApp, Status: 500, Rule: "status", Message: "status 500 is not documented", Expected: true},
		{Class: finding.Contract, Kind: finding.OutsideEnum, Operation: getApp, Status: 200, Pointer: "/flag", Rule: "enum", Message: `got "NEW", want one of A, B`},
	}}
	r := drift.Analyze(runOf("faults", st), v)
	assert.Equal(t, []entryID{{finding.Contract, finding.OutsideEnum, getApp, 200, "/flag", "NEW"}}, idsOf(r.Entries, entryIDOf))
}

func TestAnalyzeNilInputs(t *testing.T) {
	t.Parallel()
	r := drift.Analyze(nil, mustValidator(t))
	assert.Empty(t, r.Entries)
	assert.NotNil(t, r.Observations)

	// Without a validator nothing is documented: findings are still listed,
	// nothing is "never returned", nothing panics.
	r = drift.Analyze(driftingRun(t), nil)
	assert.Len(t, r.Entries, 3)
}
