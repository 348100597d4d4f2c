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
// field as drift, the other two as contract findings); a baseline that
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
	{finding.Contract, finding.OutsideEnum, getApp, 200, "/flag", "BRAND_NEW_FLAG"},
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
	if err != nil {
		t.Fatalf("ParseBaseline: %v\n%s", err, doc)
	}
	return b
}

func TestCleanTargetHasNoDrift(t *testing.T) {
	t.Parallel()
	run := cleanRun(t)
	if fs := run.Findings(); len(fs) != 0 {
		t.Fatalf("the clean response has findings, the fixture is wrong: %v", fs)
	}
	r := drift.Analyze(run, mustValidator(t))
	if len(r.Entries) != 0 {
		t.Errorf("entries = %v; want none", r.Entries)
	}
	if v := drift.Gate(r, nil, drift.GateOptions{Strict: true}, today); !v.Pass {
		t.Errorf("strict gate on a clean run: %v; want pass", v.Lines)
	}
}

func TestDriftingTargetYieldsExactlyThreeFindings(t *testing.T) {
	t.Parallel()
	r := drift.Analyze(driftingRun(t), mustValidator(t))
	require.Equal(t, threeFindings, idsOf(r.Entries, entryIDOf), "entries: %v", r.Entries)
	byKind := map[string]drift.Entry{}
	for _, e := range r.Entries {
		byKind[e.Kind] = e
		if e.Count != 1 {
			t.Errorf("%s: count = %d; want 1", e.Key, e.Count)
		}
		if e.Key != drift.EntryKey(e.Class, e.Kind, e.Operation, e.Status, e.Pointer, e.Value) {
			t.Errorf("key = %q; want it built from the entry's fields", e.Key)
		}
		if e.FirstScenario == "" || e.Message == "" {
			t.Errorf("%s: first scenario %q, message %q; want both", e.Key, e.FirstScenario, e.Message)
		}
	}
	if got := byKind[finding.UndocumentedField].Example; got != `"surprise"` {
		t.Errorf("field example = %s; want \"surprise\"", got)
	}
	if got := byKind[finding.OutsideEnum].Example; got != `"BRAND_NEW_FLAG"` {
		t.Errorf("enum example = %s; want \"BRAND_NEW_FLAG\"", got)
	}
	if got := byKind[finding.UndocumentedStatus]; got.FirstScenario != "I read it again" || !strings.HasPrefix(got.Example, "application/json") {
		t.Errorf("status entry = %+v; want first scenario \"I read it again\", example of its content type", got)
	}
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
			if got.Pass != tc.pass {
				t.Errorf("pass = %v; want %v\n%s", got.Pass, tc.pass, strings.Join(got.Lines, "\n"))
			}
			assert.Equal(t, orEmpty(tc.newIDs), idsOf(got.New, entryIDOf), "new")
			assert.Equal(t, orEmpty(tc.expired), idsOf(got.Expired, acceptedIDOf), "expired")
			if len(got.Accepted) != tc.accepted {
				t.Errorf("accepted = %d; want %d", len(got.Accepted), tc.accepted)
			}
			// One line per new entry, expired acceptance and (strict)
			// accepted entry, then the summary.
			want := len(tc.newIDs) + len(tc.expired) + 1
			if tc.strict {
				want += tc.accepted
			}
			if len(got.Lines) != want || !strings.HasPrefix(got.Lines[len(got.Lines)-1], "drift gate") {
				t.Errorf("lines = %q; want %d ending with the summary", got.Lines, want)
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
	if i < 0 || !strings.Contains(v.Lines[i], getApp+" 200 /one_more") {
		t.Errorf("lines = %q; want a new line naming %s 200 /one_more", v.Lines, getApp)
	}
}
