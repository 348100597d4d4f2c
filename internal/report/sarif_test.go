package report

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

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
	if err != nil {
		t.Fatalf("compile SARIF schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("sarif output is not JSON: %v", err)
	}
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
			if err := WriteSARIF(&buf, r); err != nil {
				t.Fatal(err)
			}
			if err := validateSARIF(t, buf.Bytes()); err != nil {
				t.Errorf("SARIF does not validate against the 2.1.0 schema: %v\n%s", err, buf.Bytes())
			}
		})
	}
}

// The schema check must be able to fail, or the test above proves nothing.
func TestSARIFSchemaRejectsBrokenLogs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, sampleRun()); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	tests := map[string]string{
		"wrong version":    strings.Replace(good, `"version": "2.1.0"`, `"version": "2.0.0"`, 1),
		"unknown level":    strings.Replace(good, `"level": "error"`, `"level": "fatal"`, 1),
		"line zero":        strings.Replace(good, `"startLine": 11`, `"startLine": 0`, 1),
		"unknown property": strings.Replace(good, `"ruleId":`, `"rule_id": "x", "ruleId":`, 1),
	}
	for name, doc := range tests {
		if doc == good {
			t.Fatalf("%s: mutation did not apply", name)
		}
		if err := validateSARIF(t, []byte(doc)); err == nil {
			t.Errorf("%s: schema accepted a broken log", name)
		}
	}
}

func TestSARIFContent(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, sampleRun()); err != nil {
		t.Fatal(err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 {
		t.Fatalf("version %q with %d runs; want 2.1.0 with 1", doc.Version, len(doc.Runs))
	}
	run := doc.Runs[0]
	if run.Tool.Driver.Name != "passfort-conformance" {
		t.Errorf("driver = %q", run.Tool.Driver.Name)
	}
	var ruleIDs []string
	for _, r := range run.Tool.Driver.Rules {
		ruleIDs = append(ruleIDs, r.ID)
		if r.ShortDescription.Text == "" {
			t.Errorf("rule %s has no short description", r.ID)
		}
	}
	wantRules := []string{"contract/missing-required", "drift/undocumented-field", "infrastructure/timeout", "lifecycle/illegal-transition"}
	if !slices.Equal(ruleIDs, wantRules) {
		t.Errorf("rules = %v; want %v", ruleIDs, wantRules)
	}
	type row struct {
		rule, level, uri string
		line             int
		text             string
	}
	var got []row
	for _, res := range run.Results {
		if ruleIDs[res.RuleIndex] != res.RuleID {
			t.Errorf("result %s has ruleIndex %d pointing at %s", res.RuleID, res.RuleIndex, ruleIDs[res.RuleIndex])
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("uriBaseId = %q", loc.ArtifactLocation.URIBaseID)
		}
		got = append(got, row{res.RuleID, res.Level, loc.ArtifactLocation.URI, loc.Region.StartLine, res.Message.Text})
	}
	want := []row{
		{"lifecycle/illegal-transition", "error", "features/applications.feature", 5, illegalMove.String()},
		{"infrastructure/timeout", "error", "features/applications.feature", 9, timedOut.String()},
		{"drift/undocumented-field", "warning", "features/profiles.feature", 7, extraField.String()},
		{"contract/missing-required", "error", "features/profiles.feature", 11, missingStatus.String()},
		{"drift/undocumented-field", "warning", "features/profiles.feature", 11, extraField.String()},
	}
	if !slices.Equal(got, want) {
		t.Errorf("results =\n%v\nwant\n%v", got, want)
	}
	p := run.Results[3].Properties
	if p["operation"] != "GET /profiles/{profile_id}" || p["status"] != float64(200) || p["pointer"] != "/status" ||
		p["scenario"] != `Profile has a "status" & <role>` {
		t.Errorf("properties = %v", p)
	}
}
