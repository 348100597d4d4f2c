package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNDJSON(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, WriteNDJSON(&buf, sampleRun()))
	assert.True(t, strings.HasSuffix(buf.String(), "}\n"), "stream does not end with a complete line")
	var events []Event
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		// Each line alone is one JSON object, with unknown fields refused.
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var e Event
		require.NoError(t, dec.Decode(&e), "line %d does not parse alone\n%s", n, sc.Bytes())
		require.False(t, dec.More(), "line %d holds more than one value", n)
		events = append(events, e)
	}
	require.NoError(t, sc.Err())

	// The sequence: run, then per scenario start, its steps, finish.
	var seq []string
	for _, e := range events {
		s := e.Type
		if e.ScenarioID != "" {
			s += " " + e.ScenarioID
		}
		seq = append(seq, s)
	}
	want := []string{"run-started"}
	for _, f := range sampleRun().Features {
		for _, s := range f.Scenarios {
			want = append(want, "scenario-started "+s.ID)
			for range s.Steps {
				want = append(want, "step-finished "+s.ID)
			}
			want = append(want, "scenario-finished "+s.ID)
		}
	}
	want = append(want, "run-finished")
	assert.Equal(t, want, seq, "events =\n%s\nwant\n%s", strings.Join(seq, "\n"), strings.Join(want, "\n"))

	first, last := events[0], events[len(events)-1]
	require.NotNil(t, first.Seed)
	assert.EqualValues(t, 42, *first.Seed)
	assert.Equal(t, "embedded mock", first.Target)
	assert.Equal(t, "run-1", first.RunID)
	assert.NotNil(t, first.Time)
	require.NotNil(t, last.Counts, "run-finished")
	assert.Equal(t, CountsJSON{Total: 8, Passed: 1, Failed: 4, Flaky: 1, Skipped: 1, Undefined: 1}, *last.Counts)
	require.NotNil(t, last.Duration, "run-finished")
	assert.EqualValues(t, 1_420_000_000, *last.Duration)
	// The failing step: exchange summarised, findings in full.
	var step *Event
	for i := range events {
		if events[i].Type == EventStepFinished && events[i].ScenarioID == "p-2" {
			step = &events[i]
			break
		}
	}
	require.NotNil(t, step, "no step-finished for p-2")
	assert.Len(t, step.Exchanges, 1)
	assert.Equal(t, "{GET /profiles/8e1c2a3b-0000-4000-8000-000000000001 200 12000000 1 }", fmt.Sprint(step.Exchanges[0]))
	assert.Len(t, step.Findings, 2)
	assert.Equal(t, missingStatus.String(), step.Findings[0].String())
	assert.Equal(t, Failed, step.Status)
	for _, e := range events {
		assert.False(t, e.Duration != nil && *e.Duration < 0, "%s %s: negative duration", e.Type, e.ScenarioID)
	}
}
