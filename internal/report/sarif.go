package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/passfort-conformance/harness/internal/finding"
)

// SARIF 2.1.0, the format code-scanning tools (GitHub, GitLab, IDEs) read:
// one run, one rule per finding class and kind, one result per finding,
// located at the step's line in its feature file.

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	// SARIFToolName is the tool.driver.name of every SARIF file we write.
	SARIFToolName = "passfort-conformance"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool            `json:"tool"`
	AutomationDetails  *sarifAutomation     `json:"automationDetails,omitempty"`
	OriginalURIBaseIDs map[string]sarifBase `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult        `json:"results"`
	Properties         map[string]any       `json:"properties,omitempty"`
}

type sarifBase struct {
	Description sarifText `json:"description"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name  string      `json:"name"`
	Rules []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

// kindDescriptions are the rules' short descriptions.
var kindDescriptions = map[string]string{
	finding.MissingRequired:       "A required field is missing from the body.",
	finding.WrongType:             "A value has a type the contract does not allow.",
	finding.BadFormat:             "A value breaks its declared format.",
	finding.OutsideEnum:           "A value is outside its declared enum.",
	finding.UndocumentedStatus:    "The response status is not documented for the operation.",
	finding.WrongContentType:      "The response content type is not the documented one.",
	finding.BadErrorEnvelope:      "An error response does not use the documented error envelope.",
	finding.MissingHeader:         "A documented response header is missing.",
	finding.SchemaViolation:       "The body breaks a schema rule.",
	finding.InvalidRequest:        "The request breaks the contract.",
	finding.UndocumentedOperation: "The operation is not in the contract.",
	finding.InvariantBroken:       "An application snapshot breaks a lifecycle invariant.",
	finding.IllegalTransition:     "An application moved between statuses the lifecycle model does not connect.",
	finding.DecidedRuleBroken:     "A decided lifecycle rule was broken.",
	finding.UndocumentedField:     "The response holds a field the contract does not describe.",
	finding.NeverReturned:         "A documented field was never returned.",
	finding.UnknownEnumValue:      "A value outside a vendor-extensible enum: new to the contract, not a break.",
	finding.Timeout:               "The target did not answer in time.",
	finding.Refused:               "The target refused the connection.",
	finding.RetriesExhausted:      "The target kept failing after the retry budget.",
	finding.TruncatedBody:         "The response body was cut short.",
	finding.ResponseTooLarge:      "The response headers were over the client's limit.",
	finding.ServerError:           "The target answered with a server error.",
	finding.Guarded:               "The production guard refused to send the request.",
}

// sarifLevel maps a class to a result level: drift is reported, the rest fail.
func sarifLevel(c finding.Class) string {
	if c == finding.Drift {
		return "warning"
	}
	return "error"
}

// WriteSARIF writes the run's findings as a SARIF 2.1.0 log. Rule ids are
// "class/kind" (e.g. "contract/missing-required"); each result points at the
// step's line in the feature file, relative to %SRCROOT% (the repository
// root), and carries the finding's key as a partial fingerprint so code
// scanning follows it across runs.
func WriteSARIF(w io.Writer, r *Run) error {
	findings := r.LocatedFindings()

	// Rules, sorted by id, and each result's index into them.
	ruleIndex := map[string]int{}
	var ids []string
	byID := map[string]finding.Finding{}
	for _, f := range findings {
		id := ruleID(f)
		if _, ok := byID[id]; !ok {
			byID[id] = f
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	rules := make([]sarifRule, len(ids))
	for i, id := range ids {
		f := byID[id]
		ruleIndex[id] = i
		desc := kindDescriptions[f.Kind]
		if desc == "" {
			desc = fmt.Sprintf("A %s finding of kind %s.", f.Class, f.Kind)
		}
		rules[i] = sarifRule{
			ID: id, Name: f.Kind,
			ShortDescription:     sarifText{Text: desc},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(f.Class)},
			Properties:           map[string]any{"class": string(f.Class)},
		}
	}

	results := make([]sarifResult, 0, len(findings))
	for _, f := range findings {
		id := ruleID(f)
		level := sarifLevel(f.Class)
		if f.Expected {
			level = "note" // provoked on purpose: nothing to fix
		}
		res := sarifResult{
			RuleID: id, RuleIndex: ruleIndex[id], Level: level,
			Message:             sarifText{Text: findingText(f)},
			PartialFingerprints: map[string]string{"findingKey/v1": f.Key()},
			Properties:          sarifProperties(f),
		}
		if f.Feature != "" {
			loc := sarifLocation{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: f.Feature, URIBaseID: "%SRCROOT%"},
			}}
			if f.Line > 0 {
				loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line}
			}
			res.Locations = []sarifLocation{loc}
		}
		results = append(results, res)
	}

	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{Name: SARIFToolName, Rules: rules}},
		OriginalURIBaseIDs: map[string]sarifBase{
			"%SRCROOT%": {Description: sarifText{Text: "The repository root, where features/ is."}},
		},
		Results: results,
		Properties: map[string]any{
			"target": r.Target, "seed": r.Seed, "specHash": r.SpecHash,
		},
	}
	if r.Guard != "" {
		run.Properties["guard"] = r.Guard
	}
	if r.ID != "" {
		run.AutomationDetails = &sarifAutomation{ID: SARIFToolName + "/" + r.ID}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

func ruleID(f finding.Finding) string {
	return string(f.Class) + "/" + f.Kind
}

// sarifProperties are the finding's fields a SARIF result has no place for;
// encoding/json sorts map keys, so the output stays deterministic.
func sarifProperties(f finding.Finding) map[string]any {
	p := map[string]any{"class": string(f.Class), "kind": f.Kind}
	for k, v := range map[string]string{
		"operation": f.Operation, "pointer": f.Pointer, "rule": f.Rule,
		"scenario": f.Scenario, "step": f.Step, "example": f.Example,
	} {
		if v != "" {
			p[k] = v
		}
	}
	if f.Status != 0 {
		p["status"] = f.Status
	}
	return p
}
