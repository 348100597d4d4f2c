package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestNDJSON(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteNDJSON(&buf, sampleRun()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(buf.String(), "}\n") {
		t.Errorf("stream does not end with a complete line")
	}
	var events []Event
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		// Each line alone is one JSON object, with unknown fields refused.
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var e Event
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("line %d does not parse alone: %v\n%s", n, err, sc.Bytes())
		}
		if dec.More() {
			t.Fatalf("line %d holds more than one value", n)
		}
		events = append(events, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

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
	if !slices.Equal(seq, want) {
		t.Errorf("events =\n%s\nwant\n%s", strings.Join(seq, "\n"), strings.Join(want, "\n"))
	}

	first, last := events[0], events[len(events)-1]
	if first.Seed == nil || *first.Seed != 42 || first.Target != "embedded mock" || first.RunID != "run-1" || first.Time == nil {
		t.Errorf("run-started = %+v", first)
	}
	if last.Counts == nil || *last.Counts != (CountsJSON{Total: 8, Passed: 1, Failed: 4, Flaky: 1, Skipped: 1, Undefined: 1}) ||
		last.Duration == nil || *last.Duration != 1_420_000_000 {
		t.Errorf("run-finished = %+v", last)
	}
	// The failing step: exchange summarised, findings in full.
	var step *Event
	for i := range events {
		if events[i].Type == EventStepFinished && events[i].ScenarioID == "p-2" {
			step = &events[i]
			break
		}
	}
	if step == nil {
		t.Fatal("no step-finished for p-2")
	}
	if len(step.Exchanges) != 1 || fmt.Sprint(step.Exchanges[0]) != "{GET /profiles/8e1c2a3b-0000-4000-8000-000000000001 200 12000000 1 }" {
		t.Errorf("exchanges = %+v", step.Exchanges)
	}
	if len(step.Findings) != 2 || step.Findings[0].String() != missingStatus.String() || step.Status != Failed {
		t.Errorf("step = %+v", step)
	}
	for _, e := range events {
		if e.Duration != nil && *e.Duration < 0 {
			t.Errorf("%s %s: negative duration", e.Type, e.ScenarioID)
		}
	}
}
