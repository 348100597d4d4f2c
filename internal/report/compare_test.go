package report

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

// sc is a scenario of a comparison test: its status and, when failed, a
// failing step whose findings decide its class.
func sc(name string, line int, status Status, fs ...finding.Finding) Scenario {
	s := Scenario{ID: name, Name: name, Line: line, Status: status}
	st := Step{Keyword: "When ", Text: "x", Line: line + 1, Status: Passed, Findings: fs}
	if status == Failed {
		st.Status, st.Error = Failed, "step failed"
	}
	s.Steps = []Step{st}
	return s
}

// withStep is s with its step's text set: an outline row carries its
// row's values there.
func withStep(s Scenario, text string) Scenario {
	s.Steps[0].Text = text
	return s
}

func runOf(id string, feats ...Feature) *Run { return &Run{ID: id, Features: feats} }

func feat(uri string, scs ...Scenario) Feature { return Feature{URI: uri, Name: uri, Scenarios: scs} }

func drifted(op, pointer string) finding.Finding {
	return finding.Finding{Class: finding.Drift, Kind: finding.UndocumentedField, Rule: "properties", Operation: op, Pointer: pointer, Message: "undocumented"}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	contract := missingStatus
	expectedDrift := drifted("GET /x", "/planted")
	expectedDrift.Expected = true
	tests := map[string]struct {
		prev, cur *Run
		want      *Comparison
	}{
		"nothing changed": {
			prev: runOf("a", feat("f", sc("one", 3, Passed), sc("two", 6, Failed))),
			cur:  runOf("b", feat("f", sc("one", 3, Passed), sc("two", 6, Failed))),
			want: &Comparison{PreviousID: "a", StillFailing: []ScenarioRef{{Feature: "f", Name: "two", Line: 6, Class: FailAssertion}}},
		},
		"a regression, a fix and a new failing scenario": {
			prev: runOf("a", feat("f", sc("one", 3, Passed), sc("two", 6, Failed))),
			cur:  runOf("b", feat("f", sc("one", 3, Failed, contract), sc("two", 6, Passed), sc("three", 9, Undefined))),
			want: &Comparison{PreviousID: "a",
				NewlyFailing: []ScenarioRef{{Feature: "f", Name: "one", Line: 3, Class: FailContract}, {Feature: "f", Name: "three", Line: 9, Class: FailUndefined}},
				Fixed:        []ScenarioRef{{Feature: "f", Name: "two", Line: 6}},
			},
		},
		"matched by name when lines moved": {
			prev: runOf("a", feat("f", sc("one", 3, Failed))),
			cur:  runOf("b", feat("f", sc("one", 30, Failed))),
			want: &Comparison{PreviousID: "a", StillFailing: []ScenarioRef{{Feature: "f", Name: "one", Line: 30, Class: FailAssertion}}},
		},
		"same name in two features are two scenarios": {
			prev: runOf("a", feat("f", sc("one", 3, Failed)), feat("g", sc("one", 3, Passed))),
			cur:  runOf("b", feat("f", sc("one", 3, Passed)), feat("g", sc("one", 3, Failed))),
			want: &Comparison{PreviousID: "a",
				NewlyFailing: []ScenarioRef{{Feature: "g", Name: "one", Line: 3, Class: FailAssertion}},
				Fixed:        []ScenarioRef{{Feature: "f", Name: "one", Line: 3}},
			},
		},
		"outline rows with one name told apart by their order": {
			prev: runOf("a", feat("f", sc("row", 10, Passed), sc("row", 11, Failed))),
			cur:  runOf("b", feat("f", sc("row", 11, Passed), sc("row", 10, Failed))),
			want: &Comparison{PreviousID: "a",
				NewlyFailing: []ScenarioRef{{Feature: "f", Name: "row", Line: 10, Class: FailAssertion}},
				Fixed:        []ScenarioRef{{Feature: "f", Name: "row", Line: 11}},
			},
		},
		"outline rows match by their values when the previous run selected fewer rows": {
			prev: runOf("a", feat("f", withStep(sc("row", 11, Failed), "status APPLIED"))),
			cur: runOf("b", feat("f",
				withStep(sc("row", 10, Failed), "status NEW"),
				withStep(sc("row", 11, Failed), "status APPLIED"),
				withStep(sc("row", 12, Passed), "status CANCELLED"))),
			want: &Comparison{PreviousID: "a",
				NewlyFailing: []ScenarioRef{{Feature: "f", Name: "row", Line: 10, Class: FailAssertion}},
				StillFailing: []ScenarioRef{{Feature: "f", Name: "row", Line: 11, Class: FailAssertion}},
			},
		},
		"outline rows match by their values when rows were reordered": {
			prev: runOf("a", feat("f", withStep(sc("row", 10, Passed), "status NEW"), withStep(sc("row", 11, Failed), "status APPLIED"))),
			cur:  runOf("b", feat("f", withStep(sc("row", 10, Failed), "status APPLIED"), withStep(sc("row", 11, Passed), "status NEW"))),
			want: &Comparison{PreviousID: "a", StillFailing: []ScenarioRef{{Feature: "f", Name: "row", Line: 10, Class: FailAssertion}}},
		},
		"a scenario whose steps were edited still matches by name": {
			prev: runOf("a", feat("f", withStep(sc("one", 3, Failed), "the old step"))),
			cur:  runOf("b", feat("f", withStep(sc("one", 3, Passed), "the new step"))),
			want: &Comparison{PreviousID: "a", Fixed: []ScenarioRef{{Feature: "f", Name: "one", Line: 3}}},
		},
		"skipped or missing now is neither fixed nor failing": {
			prev: runOf("a", feat("f", sc("one", 3, Failed), sc("two", 6, Failed))),
			cur:  runOf("b", feat("f", sc("one", 3, Skipped))),
			want: &Comparison{PreviousID: "a"},
		},
		"flaky now fixes a failure; skipped before then failing is newly failing": {
			prev: runOf("a", feat("f", sc("one", 3, Failed), sc("two", 6, Skipped))),
			cur:  runOf("b", feat("f", sc("one", 3, Flaky), sc("two", 6, Failed))),
			want: &Comparison{PreviousID: "a",
				NewlyFailing: []ScenarioRef{{Feature: "f", Name: "two", Line: 6, Class: FailAssertion}},
				Fixed:        []ScenarioRef{{Feature: "f", Name: "one", Line: 3}},
			},
		},
		"drift at another index of a list is the same drift": {
			prev: runOf("a", feat("f", sc("one", 3, Passed, drifted("GET /x", "/applications/0/probe"), drifted("GET /x", "/applications/1/probe")))),
			cur:  runOf("b", feat("f", sc("one", 3, Passed, drifted("GET /x", "/applications/2/probe"), drifted("GET /x", "/tasks/0/new")))),
			want: &Comparison{PreviousID: "a",
				NewDrift: []DriftRef{{Rule: "undocumented-field properties", Operation: "GET /x", Pointer: "/tasks/*/new", Count: 1}},
			},
		},
		"drift by rule, operation and pointer with counts; expected findings are not drift": {
			prev: runOf("a", feat("f", sc("one", 3, Passed, drifted("GET /x", "/old"), drifted("GET /x", "/kept")))),
			cur: runOf("b", feat("f",
				sc("one", 3, Passed, drifted("GET /x", "/new"), drifted("GET /x", "/kept"), expectedDrift),
				sc("two", 6, Passed, drifted("GET /x", "/new"), drifted("GET /y", "/new")))),
			want: &Comparison{PreviousID: "a",
				NewDrift: []DriftRef{
					{Rule: "undocumented-field properties", Operation: "GET /x", Pointer: "/new", Count: 2},
					{Rule: "undocumented-field properties", Operation: "GET /y", Pointer: "/new", Count: 1},
				},
				VanishedDrift: []DriftRef{{Rule: "undocumented-field properties", Operation: "GET /x", Pointer: "/old", Count: 1}},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, Compare(tc.prev, tc.cur))
		})
	}
}

func TestCompareNil(t *testing.T) {
	t.Parallel()
	assert.Nil(t, Compare(nil, sampleRun()))
	assert.Nil(t, Compare(sampleRun(), nil))
}

// The comparison does not depend on the order scenarios are listed in (a
// random run order, a merge of shards).
func TestCompareIsStableAcrossOrders(t *testing.T) {
	t.Parallel()
	mk := func(statuses ...Status) *Run {
		var scs []Scenario
		for i, s := range statuses {
			scs = append(scs, sc("row", 10+i, s, drifted("GET /x", "/p"+string(rune('a'+i)))))
			scs = append(scs, sc("plain "+string(rune('a'+i)), 40+i, s))
		}
		return runOf("r", feat("f", scs...), feat("g", sc("row", 3, statuses[0])))
	}
	prev := mk(Passed, Failed, Passed, Failed, Passed)
	cur := mk(Failed, Passed, Passed, Failed, Failed)
	want := Compare(prev, cur)
	require.NotEmpty(t, want.NewlyFailing)
	require.NotEmpty(t, want.Fixed)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		for _, r := range []*Run{prev, cur} {
			rng.Shuffle(len(r.Features), func(i, j int) { r.Features[i], r.Features[j] = r.Features[j], r.Features[i] })
			for fi := range r.Features {
				s := r.Features[fi].Scenarios
				rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
			}
		}
		assert.Equal(t, want, Compare(prev, cur))
	}
}
