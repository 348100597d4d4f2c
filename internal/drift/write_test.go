package drift_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/finding"
)

func TestWriteMarkdown(t *testing.T) {
	t.Parallel()
	r := drift.Analyze(driftingRun(t, "one_more"), mustValidator(t))
	v := drift.Gate(r, mustBaseline(t, baselineYAML("2026-12-31", threeFindings...)+strings.TrimPrefix(
		baselineYAML("2026-12-31", entryID{finding.Drift, finding.UndocumentedField, getApp, 200, "/gone", ""}), "accepted:\n")),
		drift.GateOptions{}, today)
	r.Verdict = &v

	var b bytes.Buffer
	require.NoError(t, drift.WriteMarkdown(&b, r))
	md := b.String()
	for _, want := range []string{
		"Gate: FAIL: 1 new, 0 expired, 3 accepted, 1 unused acceptances.",
		"## Drift (3)",
		"## Contract findings an SDK can break on (1)",
		"| undocumented-field | `" + getApp + "` | 200 | `/one_more` | `42` | 1 | I read the application | **new** |",
		"| undocumented-field | `" + getApp + "` | 200 | `/extra_field` | `\"surprise\"` | 1 | I read the application | accepted |",
		"| unknown-enum-value | `" + getApp + "` | 200 | `/flag` | `\"BRAND_NEW_FLAG\"` | 1 | I read the application | accepted |",
		"| undocumented-status | `" + getApp + "` | 418 | - | `application/json (50 bytes)` | 1 | I read it again | accepted |",
		"- `drift undocumented-field " + getApp + " 200 /gone` (line 23)",
	} {
		assert.Contains(t, md, want)
	}
}

func TestWriteMarkdownUngatedAndEscaped(t *testing.T) {
	t.Parallel()
	r := &drift.Report{Run: "r|1", Target: "http://x", Entries: []drift.Entry{{
		Class: finding.Contract, Kind: finding.WrongContentType, Operation: "GET /a", Status: 200,
		Value: "text/x|y", Example: "text/x|y; `q`", Count: 1, FirstScenario: "pipes | everywhere\nand lines",
	}}}
	var b bytes.Buffer
	require.NoError(t, drift.WriteMarkdown(&b, r))
	md := b.String()
	assert.Contains(t, md, "Not gated")
	assert.Contains(t, md, "## Drift (0)\n\nFields the spec does not document, documented fields the target never returned, and values new to an extensible enum. Reported; the gate fails on new entries.\n\nNone.")
	assert.Contains(t, md, "| wrong-content-type | `GET /a` | 200 | - | `` text/x\\|y (text/x\\|y; `q`) `` | 1 | pipes \\| everywhere and lines | - |")
}

func TestWriteJSONShape(t *testing.T) {
	t.Parallel()
	r := drift.Analyze(driftingRun(t), mustValidator(t))
	var b bytes.Buffer
	require.NoError(t, drift.WriteJSON(&b, r))
	var back map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &back))
	for _, k := range []string{"run", "target", "generated", "entries"} {
		assert.Contains(t, back, k)
	}
	assert.NotContains(t, back, "observations", "they have their own file")
	e := back["entries"].([]any)[0].(map[string]any)
	for _, k := range []string{"class", "kind", "operation", "status", "pointer", "example", "count", "first_scenario", "key"} {
		assert.Contains(t, e, k)
	}
}

func TestGateNilBaselineAndReport(t *testing.T) {
	t.Parallel()
	v := drift.Gate(nil, nil, drift.GateOptions{Strict: true}, today)
	assert.True(t, v.Pass)
	assert.Equal(t, []string{"drift gate (strict): PASS: 0 new, 0 expired, 0 accepted, 0 unused acceptances"}, v.Lines)

	r := drift.Analyze(driftingRun(t), mustValidator(t))
	v = drift.Gate(r, nil, drift.GateOptions{}, today)
	assert.False(t, v.Pass)
	assert.Len(t, v.New, 3)
}
