package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

// sarifSchema compiles testdata/sarif-schema-2.1.0.json once for all tests.
var sarifSchemaOnce = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "file:///testdata/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
})

func validateSARIF(t *testing.T, raw []byte) error {
	t.Helper()
	sch, err := sarifSchemaOnce()
	require.NoError(t, err, "compile SARIF schema")
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err, "sarif output is not JSON")
	return sch.Validate(inst)
}

type sarifDoc struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID               string `json:"id"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFValidAgainstSchema(t *testing.T) {
	t.Parallel()
	tests := map[string]*Run{
		"sample":    sampleRun(),
		"empty run": {},
		"finding without location": {ID: "r", Features: []Feature{{Scenarios: []Scenario{{Steps: []Step{{
			Findings: []finding.Finding{{Class: finding.Drift, Kind: "some-new-kind", Message: "m"}},
		}}}}}}},
	}
	for name, r := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			require.NoError(t, WriteSARIF(&buf, r))
			assert.NoError(t, validateSARIF(t, buf.Bytes()), "SARIF does not validate against the 2.1.0 schema\n%s", buf.Bytes())
		})
	}
}

// The schema check must be able to fail, or the test above proves nothing.
func TestSARIFSchemaRejectsBrokenLogs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, WriteSARIF(&buf, sampleRun()))
	good := buf.String()
	tests := map[string]string{
		"wrong version":    strings.Replace(good, `"version": "2.1.0"`, `"version": "2.0.0"`, 1),
		"unknown level":    strings.Replace(good, `"level": "error"`, `"level": "fatal"`, 1),
		"line zero":        strings.Replace(good, `"startLine": 11`, `"startLine": 0`, 1),
		"unknown property": strings.Replace(good, `"ruleId":`, `"rule_id": "x", "ruleId":`, 1),
	}
	for name, doc := range tests {
		require.NotEqual(t, good, doc, name)
		assert.Error(t, validateSARIF(t, []byte(doc)), name)
	}
}

func TestSARIFContent(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, WriteSARIF(&buf, sampleRun()))
	var doc sarifDoc
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	require.Equal(t, "2.1.0", doc.Version)
	require.Len(t, doc.Runs, 1)
	run := doc.Runs[0]
	assert.Equal(t, "passfort-conformance", run.Tool.Driver.Name)
	var ruleIDs []string
	for _, r := range run.Tool.Driver.Rules {
		ruleIDs = append(ruleIDs, r.ID)
		assert.NotEmpty(t, r.ShortDescription.Text, "rule %s has no short description", r.ID)
	}
	wantRules := []string{"contract/missing-required", "drift/undocumented-field", "infrastructure/timeout", "lifecycle/illegal-transition"}
	assert.Equal(t, wantRules, ruleIDs, "rules")
	type row struct {
		rule, level, uri string
		line             int
		text             string
	}
	var got []row
	for _, res := range run.Results {
		assert.Equal(t, res.RuleID, ruleIDs[res.RuleIndex])
		loc := res.Locations[0].PhysicalLocation
		assert.Equal(t, "%SRCROOT%", loc.ArtifactLocation.URIBaseID)
		got = append(got, row{res.RuleID, res.Level, loc.ArtifactLocation.URI, loc.Region.StartLine, res.Message.Text})
	}
	want := []row{
		{"lifecycle/illegal-transition", "error", "features/applications.feature", 5, illegalMove.String()},
		{"infrastructure/timeout", "error", "features/applications.feature", 9, timedOut.String()},
		{"drift/undocumented-field", "warning", "features/profiles.feature", 7, extraField.String()},
		{"contract/missing-required", "error", "features/profiles.feature", 11, missingStatus.String()},
		{"drift/undocumented-field", "warning", "features/profiles.feature", 11, extraField.String()},
	}
	assert.Equal(t, want, got)
	p := run.Results[3].Properties
	assert.Equal(t, "GET /profiles/{profile_id}", p["operation"])
	assert.Equal(t, float64(200), p["status"])
	assert.Equal(t, "/status", p["pointer"])
	assert.Equal(t, `Profile has a "status" & <role>`, p["scenario"])
}
