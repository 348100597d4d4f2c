package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestFindingsFile(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteFindings(&buf, sampleRun()); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	var doc FindingsFile
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decode findings.json: %v", err)
	}
	run := doc.Run
	if run.ID != "run-1" || run.Target != "embedded mock" || run.Seed != 42 || !strings.HasPrefix(run.SpecHash, "0123") ||
		run.Guard != "allowed: embedded mock" || !run.Started.Equal(t0) || run.Finished.Sub(run.Started).Seconds() != 1.42 {
		t.Errorf("run = %+v", run)
	}
	wantCounts := CountsJSON{Total: 8, Passed: 1, Failed: 4, Flaky: 1, Skipped: 1, Undefined: 1}
	if run.Counts != wantCounts {
		t.Errorf("counts = %+v; want %+v", run.Counts, wantCounts)
	}
	var got []string
	for _, f := range doc.Findings {
		got = append(got, fmt.Sprintf("%s:%d %s %s", f.Feature, f.Line, f.Kind, f.Scenario))
	}
	want := []string{
		"features/applications.feature:5 illegal-transition Approve twice",
		// Located from its step: the runner left feature, scenario and line empty.
		"features/applications.feature:9 timeout Target down",
		"features/profiles.feature:7 undocumented-field Read a profile",
		`features/profiles.feature:11 missing-required Profile has a "status" & <role>`,
		`features/profiles.feature:11 undocumented-field Profile has a "status" & <role>`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if doc.Findings[1].Step != "When I list profiles" {
		t.Errorf("located step = %q; want %q", doc.Findings[1].Step, "When I list profiles")
	}
}

func TestFindingsFileEmptyRun(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteFindings(&buf, &Run{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"findings": []`) {
		t.Errorf("empty run: %s; want an empty findings array, not null", buf.String())
	}
}
