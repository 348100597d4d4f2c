package drift_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/report"
)

// The "done when": a target that adds one field, one enum value and
// one status code yields exactly those three entries, with pointers (the
// field and the value of the extensible flag as drift, decision D54, and
// the status as a contract finding); a baseline that
// accepts them passes; one more new field fails the gate; an expired entry
// fails it too; strict mode fails on accepted drift.

var (
	at    = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	today = time.Date(2026, 6, 1, 15, 0, 0, 0, time.UTC)
)

// cleanRun is the target as the spec describes it.
func cleanRun(t testing.TB) *report.Run {
	v := mustValidator(t)
	return runOf("clean", step(t, v, "I read the application", jsonExchange(t, appPath, 200, fullApplication(), at)))
}

// driftingRun is the target with the mock's drift switch on: an undocumented
// field, an undocumented flag value and an undocumented status.
func driftingRun(t testing.TB, extraFields ...string) *report.Run {
	v := mustValidator(t)
	app := fullApplication()
	app["extra_field"] = "surprise"
	app["flag"] = "BRAND_NEW_FLAG"
	for _, f := range extraFields {
		app[f] = 42
	}
	teapot := map[string]any{"errors": []any{map[string]any{"code": 201, "message": "I'm a teapot"}}}
	return runOf("drifting",
		step(t, v, "I read the application", jsonExchange(t, appPath, 200, app, at)),
		step(t, v, "I read it again", jsonExchange(t, appPath, 418, teapot, at.Add(time.Second))),
	)
}

func entryIDOf(e drift.Entry) entryID {
	return entryID{e.Class, e.Kind, e.Operation, e.Status, e.Pointer, e.Value}
}

func acceptedIDOf(a drift.Accepted) entryID {
	return entryID{a.Class, a.Kind, a.Operation, a.Status, a.Pointer, a.Value}
}

var threeFindings = []entryID{
	{finding.Drift, finding.UndocumentedField, getApp, 200, "/extra_field", ""},
	{finding.Drift, finding.UnknownEnumValue, getApp, 200, "/flag", "BRAND_NEW_FLAG"},
	{finding.Contract, finding.UndocumentedStatus, getApp, 418, "", ""},
}

// baselineYAML accepts the given entries until expires.
func baselineYAML(expires string, ids ...entryID) string {
	var b strings.Builder
	b.WriteString("accepted:\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "  - class: %s\n    kind: %s\n    operation: %s\n    status: %d\n", id.Class, id.Kind, id.Operation, id.Status)
		if id.Pointer != "" {
			fmt.Fprintf(&b, "    pointer: %s\n", id.Pointer)
		}
		if id.Value != "" {
			fmt.Fprintf(&b, "    value: %s\n", id.Value)
		}
		fmt.Fprintf(&b, "    reason: PF-123 the vendor announced it\n    expires: %s\n", expires)
	}
	return b.String()
}

func mustBaseline(t testing.TB, doc string) *drift.Baseline {
	t.Helper()
	b, err := drift.ParseBaseline([]byte(doc))
	require.NoError(t, err, doc)
	return b
}

func TestCleanTargetHasNoDrift(t *testing.T) {
	t.Parallel()
	run := cleanRun(t)
	require.Empty(t, run.Findings(), "the clean response has findings, the fixture is wrong")
	r := drift.Analyze(run, mustValidator(t))
	assert.Empty(t, r.Entries)
	v := drift.Gate(r, nil, drift.GateOptions{Strict: true}, today)
	assert.True(t, v.Pass, "strict gate on a clean run: %v", v.Lines)
}

func TestDriftingTargetYieldsExactlyThreeFindings(t *testing.T) {
	t.Parallel()
	r := drift.Analyze(driftingRun(t), mustValidator(t))
	require.Equal(t, threeFindings, idsOf(r.Entries, entryIDOf), "entries: %v", r.Entries)
	byKind := map[string]drift.Entry{}
	for _, e := range r.Entries {
		byKind[e.Kind] = e
		assert.Equal(t, 1, e.Count, e.Key)
		assert.Equal(t, drift.EntryKey(e.Class, e.Kind, e.Operation, e.Status, e.Pointer, e.Value), e.Key, "built from the entry's fields")
		assert.NotEmpty(t, e.FirstScenario, e.Key)
		assert.NotEmpty(t, e.Message, e.Key)
	}
	assert.Equal(t, `"surprise"`, byKind[finding.UndocumentedField].Example, "field example")
	assert.Equal(t, `"BRAND_NEW_FLAG"`, byKind[finding.UnknownEnumValue].Example, "enum example")
	status := byKind[finding.UndocumentedStatus]
	assert.Equal(t, "I read it again", status.FirstScenario)
	assert.True(t, strings.HasPrefix(status.Example, "application/json"), "status entry %+v: want an example of its content type", status)
}

func TestGateAgainstBaseline(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	accepting := baselineYAML("2026-12-31", threeFindings...)
	tests := map[string]struct {
		run      *report.Run
		baseline string
		strict   bool
		today    time.Time
		pass     bool
		newIDs   []entryID
		expired  []entryID
		accepted int
	}{
		"no baseline: all three are new": {
			run: driftingRun(t), baseline: "accepted: []\n", today: today,
			newIDs: threeFindings,
		},
		"the three accepted: pass": {
			run: driftingRun(t), baseline: accepting, today: today,
			pass: true, accepted: 3,
		},
		"one more field: fail on it alone": {
			run: driftingRun(t, "one_more"), baseline: accepting, today: today,
			newIDs:   []entryID{{finding.Drift, finding.UndocumentedField, getApp, 200, "/one_more", ""}},
			accepted: 3,
		},
		"an expired entry fails although its drift is still seen": {
			run:      driftingRun(t),
			baseline: baselineYAML("2026-12-31", threeFindings[1:]...) + strings.TrimPrefix(baselineYAML("2026-05-31", threeFindings[0]), "accepted:\n"),
			today:    today,
			expired:  threeFindings[:1],
			accepted: 2,
		},
		"an expired entry fails even when its drift is gone": {
			run:      cleanRun(t),
			baseline: baselineYAML("2026-01-01", threeFindings[0]),
			today:    today,
			expired:  threeFindings[:1],
		},
		"an entry holds through its expiry day": {
			run: driftingRun(t), baseline: baselineYAML("2026-06-01", threeFindings...), today: today,
			pass: true, accepted: 3,
		},
		"strict mode fails on accepted drift": {
			run: driftingRun(t), baseline: accepting, strict: true, today: today,
			accepted: 3,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := drift.Analyze(tc.run, v)
			got := drift.Gate(r, mustBaseline(t, tc.baseline), drift.GateOptions{Strict: tc.strict}, tc.today)
			assert.Equal(t, tc.pass, got.Pass, strings.Join(got.Lines, "\n"))
			assert.Equal(t, orEmpty(tc.newIDs), idsOf(got.New, entryIDOf), "new")
			assert.Equal(t, orEmpty(tc.expired), idsOf(got.Expired, acceptedIDOf), "expired")
			assert.Len(t, got.Accepted, tc.accepted, "accepted")
			// One line per new entry, expired acceptance and (strict)
			// accepted entry, then the summary.
			want := len(tc.newIDs) + len(tc.expired) + 1
			if tc.strict {
				want += tc.accepted
			}
			if assert.Len(t, got.Lines, want) {
				assert.True(t, strings.HasPrefix(got.Lines[len(got.Lines)-1], "drift gate"), "lines %q: want them to end with the summary", got.Lines)
			}
		})
	}
}

// orEmpty makes a nil want equal the empty slice idsOf returns.
func orEmpty(ids []entryID) []entryID {
	if ids == nil {
		return []entryID{}
	}
	return ids
}

func TestNewEntryLinePointsAtTheField(t *testing.T) {
	t.Parallel()
	r := drift.Analyze(driftingRun(t, "one_more"), mustValidator(t))
	v := drift.Gate(r, mustBaseline(t, baselineYAML("2026-12-31", threeFindings...)), drift.GateOptions{}, today)
	i := slices.IndexFunc(v.Lines, func(l string) bool { return strings.HasPrefix(l, "new: ") })
	require.GreaterOrEqual(t, i, 0, "lines %q: want a new line", v.Lines)
	assert.Contains(t, v.Lines[i], getApp+" 200 /one_more")
}
