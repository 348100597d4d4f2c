package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

// A finding a fault scenario provoked on purpose is marked expected in the
// console, the HTML, JUnit, findings.json and SARIF, and is counted neither as drift
// nor as a failure (decision D76, docs/decisions.md).
func TestExpectedFindingsAreMarkedEverywhere(t *testing.T) {
	t.Parallel()
	expected := finding.Finding{Class: finding.Infrastructure, Kind: finding.Timeout, Operation: "GET /profiles", Message: "no answer within 1s", Expected: true}
	drift := finding.Finding{Class: finding.Drift, Kind: finding.UndocumentedField, Operation: "GET /profiles", Pointer: "/x", Message: "undocumented field"}
	run := &Run{
		ID: "run-1", Suite: "s", Target: "embedded mock", SpecHash: "abcdef0123456789", Started: time.Unix(0, 0), Finished: time.Unix(1, 0),
		Features: []Feature{{URI: "features/f.feature", Name: "f", Scenarios: []Scenario{{
			ID: "features/f.feature:3", Name: "a fault", Line: 3, Status: Passed,
			Steps: []Step{{Keyword: "When ", Text: "x", Line: 4, Status: Passed, Findings: []finding.Finding{expected, drift}}},
		}}}},
	}
	var console bytes.Buffer
	require.NoError(t, WriteSummary(&console, run))
	assert.Contains(t, console.String(), "drift: 1 finding (not failures; see findings.json)")
	assert.Contains(t, console.String(), "expected: 1 finding provoked on purpose by fault scenarios (not failures)")

	dir := t.TempDir()
	require.NoError(t, Write(dir, run, HTMLExtras{}))
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return string(b)
	}
	html := read("report.html")
	assert.Contains(t, html, `data-expected="true"`)
	assert.Contains(t, html, `<span class="badge expected">expected</span>`)
	assert.Contains(t, read("junit.xml"), "infrastructure: GET /profiles no answer within 1s [timeout] (expected)")
	assert.Contains(t, read("findings.json"), `"expected": true`)
	assert.Contains(t, read(SARIFFile), "no answer within 1s [timeout] (expected)")
}
