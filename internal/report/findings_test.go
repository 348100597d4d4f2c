package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFindingsFile(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, WriteFindings(&buf, sampleRun()))
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	var doc FindingsFile
	require.NoError(t, dec.Decode(&doc), "decode findings.json")
	run := doc.Run
	assert.Equal(t, "run-1", run.ID)
	assert.Equal(t, "embedded mock", run.Target)
	assert.EqualValues(t, 42, run.Seed)
	assert.True(t, strings.HasPrefix(run.SpecHash, "0123"), "spec hash %q", run.SpecHash)
	assert.Equal(t, "allowed: embedded mock", run.Guard)
	assert.True(t, run.Started.Equal(t0), "started %s, want %s", run.Started, t0)
	assert.InDelta(t, 1.42, run.Finished.Sub(run.Started).Seconds(), 1e-9)
	wantCounts := CountsJSON{Total: 8, Passed: 1, Failed: 4, Flaky: 1, Skipped: 1, Undefined: 1}
	assert.Equal(t, wantCounts, run.Counts, "counts")
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
	assert.Equal(t, want, got, "findings =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	assert.Equal(t, "When I list profiles", doc.Findings[1].Step, "located step")
}

func TestFindingsFileEmptyRun(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, WriteFindings(&buf, &Run{}))
	assert.Contains(t, buf.String(), `"findings": []`)
}
