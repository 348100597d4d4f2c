package report

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/passfort-conformance/harness/internal/finding"
)

// The Cucumber JSON model of cucumber/json-formatter (the format cucumber-js,
// cucumber-jvm and godog write), used to decode our output with unknown
// fields refused. Pointers mark the fields the format requires, so a missing
// one is caught.
type cjFeature struct {
	URI         *string     `json:"uri"`
	ID          string      `json:"id"`
	Keyword     *string     `json:"keyword"`
	Name        *string     `json:"name"`
	Description string      `json:"description"`
	Line        *int        `json:"line"`
	Tags        []cjTag     `json:"tags"`
	Elements    []cjElement `json:"elements"`
}

type cjTag struct {
	Name *string `json:"name"`
	Line int     `json:"line"`
}

type cjElement struct {
	ID             string   `json:"id"`
	Keyword        *string  `json:"keyword"`
	Type           *string  `json:"type"`
	Name           *string  `json:"name"`
	Description    string   `json:"description"`
	Line           *int     `json:"line"`
	StartTimestamp string   `json:"start_timestamp"`
	Tags           []cjTag  `json:"tags"`
	Before         []cjHook `json:"before"`
	Steps          []cjStep `json:"steps"`
	After          []cjHook `json:"after"`
}

type cjStep struct {
	Keyword *string `json:"keyword"`
	Name    string  `json:"name"`
	Line    *int    `json:"line"`
	Match   *struct {
		Location string `json:"location"`
	} `json:"match"`
	Result    *cjResult `json:"result"`
	DocString *struct {
		Value       string `json:"value"`
		ContentType string `json:"content_type"`
		Line        int    `json:"line"`
	} `json:"doc_string"`
	Rows []struct {
		Cells []string `json:"cells"`
	} `json:"rows"`
	Embeddings []struct {
		MimeType string `json:"mime_type"`
		Data     string `json:"data"`
		Name     string `json:"name"`
	} `json:"embeddings"`
	Output []string `json:"output"`
}

type cjResult struct {
	Status       *string `json:"status"`
	Duration     int64   `json:"duration"`
	ErrorMessage string  `json:"error_message"`
}

type cjHook struct {
	Match struct {
		Location string `json:"location"`
	} `json:"match"`
	Result *cjResult `json:"result"`
}

var cukeStatuses = []string{"passed", "failed", "skipped", "undefined", "pending", "ambiguous"}

// checkCucumberRequired applies the rules of cucumber-json-schema: features
// need uri, keyword, name, line; elements keyword, type, name, line; steps
// keyword, line, a result with a known status, and an error message when failed.
func checkCucumberRequired(t *testing.T, feats []cjFeature) {
	t.Helper()
	checkResult := func(where string, r *cjResult) {
		if r == nil || r.Status == nil {
			t.Errorf("%s: no result status", where)
			return
		}
		if !slices.Contains(cukeStatuses, *r.Status) {
			t.Errorf("%s: status %q not a Cucumber status", where, *r.Status)
		}
		if *r.Status == "failed" && r.ErrorMessage == "" {
			t.Errorf("%s: failed without error_message", where)
		}
		if r.Duration < 0 {
			t.Errorf("%s: negative duration %d", where, r.Duration)
		}
	}
	for _, f := range feats {
		if f.URI == nil || f.Keyword == nil || f.Name == nil || f.Line == nil {
			t.Errorf("feature %q: missing uri, keyword, name or line", f.ID)
		}
		for _, tg := range f.Tags {
			if tg.Name == nil {
				t.Errorf("feature %q: tag without name", f.ID)
			}
		}
		for _, el := range f.Elements {
			if el.Keyword == nil || el.Type == nil || el.Name == nil || el.Line == nil {
				t.Errorf("element %q: missing keyword, type, name or line", el.ID)
			}
			for _, st := range el.Steps {
				if st.Keyword == nil || st.Line == nil {
					t.Errorf("element %q step %q: missing keyword or line", el.ID, st.Name)
				}
				checkResult(el.ID+" step "+st.Name, st.Result)
			}
			for _, h := range el.After {
				checkResult(el.ID+" after hook", h.Result)
			}
		}
	}
}

func decodeCucumber(t *testing.T, r *Run) []cjFeature {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCucumber(&buf, r); err != nil {
		t.Fatalf("WriteCucumber: %v", err)
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	var feats []cjFeature
	if err := dec.Decode(&feats); err != nil {
		t.Fatalf("decode cucumber json: %v", err)
	}
	checkCucumberRequired(t, feats)
	return feats
}

func TestCucumberStructure(t *testing.T) {
	t.Parallel()
	feats := decodeCucumber(t, sampleRun())
	if len(feats) != 2 {
		t.Fatalf("got %d features, want 2", len(feats))
	}
	f := feats[0]
	if *f.URI != "features/profiles.feature" || f.ID != "profiles" || *f.Keyword != "Feature" ||
		*f.Name != "Profiles" || *f.Line != 2 || f.Description != "Create and read profiles." {
		t.Errorf("feature = uri %q id %q keyword %q name %q line %d description %q",
			*f.URI, f.ID, *f.Keyword, *f.Name, *f.Line, f.Description)
	}
	if len(f.Tags) != 1 || *f.Tags[0].Name != "@smoke" || f.Tags[0].Line != 1 {
		t.Errorf("feature tags = %+v; want @smoke on line 1", f.Tags)
	}
	if len(f.Elements) != 4 {
		t.Fatalf("got %d elements, want 4", len(f.Elements))
	}
	el := f.Elements[1]
	if el.ID != `profiles;profile-has-a-"status"-&-<role>` || *el.Keyword != "Scenario" || *el.Type != "scenario" ||
		*el.Name != `Profile has a "status" & <role>` || *el.Line != 10 || el.StartTimestamp != "2025-03-04T10:00:00.100Z" {
		t.Errorf("element = id %q keyword %q type %q name %q line %d start %q",
			el.ID, *el.Keyword, *el.Type, *el.Name, *el.Line, el.StartTimestamp)
	}
	st := el.Steps[0]
	if *st.Keyword != "When " || st.Name != "I read the profile" || *st.Line != 11 ||
		*st.Result.Status != "failed" || st.Result.Duration != 12_000_000 ||
		st.Result.ErrorMessage != "GET /profiles/{profile_id} 200: 1 contract finding" {
		t.Errorf("step = %q %q line %d result %+v", *st.Keyword, st.Name, *st.Line, st.Result)
	}
	doc := f.Elements[0].Steps[0]
	if doc.DocString == nil || doc.DocString.Value != `{"role":"INDIVIDUAL_CUSTOMER"}` || doc.DocString.Line != 7 {
		t.Errorf("doc string = %+v; want the body on line 7", doc.DocString)
	}
	if doc.Match == nil || doc.Match.Location != "steps/profiles.go:20" {
		t.Errorf("match = %+v; want steps/profiles.go:20", doc.Match)
	}
}

func TestCucumberFindingsAttached(t *testing.T) {
	t.Parallel()
	run := sampleRun()
	feats := decodeCucumber(t, run)
	st := feats[0].Elements[1].Steps[0]
	want := run.Features[0].Scenarios[1].Steps[0].Findings

	wantLines := []string{missingStatus.String(), extraField.String()}
	if !slices.Equal(st.Output, wantLines) {
		t.Errorf("output = %q; want %q", st.Output, wantLines)
	}
	if len(st.Embeddings) != 1 || st.Embeddings[0].MimeType != "application/json" {
		t.Fatalf("embeddings = %+v; want one application/json", st.Embeddings)
	}
	raw, err := base64.StdEncoding.DecodeString(st.Embeddings[0].Data)
	if err != nil {
		t.Fatalf("embedding data not base64: %v", err)
	}
	var got []finding.Finding
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("embedding is not JSON findings: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("embedded findings = %+v; want %+v", got, want)
	}
	// A step without findings has neither.
	if clean := feats[0].Elements[1].Steps[1]; clean.Embeddings != nil || clean.Output != nil {
		t.Errorf("step without findings has embeddings %v output %v", clean.Embeddings, clean.Output)
	}
}

func TestCucumberStatuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status    Status
		stepsWant string
	}{
		{Passed, "passed"},
		{Flaky, "passed"},
		{Skipped, "skipped"},
		{Undefined, "undefined"},
		{Pending, "pending"},
		{Ambiguous, "ambiguous"},
		{Failed, "failed"},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			t.Parallel()
			st := Step{Keyword: "When ", Text: "x", Line: 3, Status: tt.status, Duration: -5}
			if tt.status == Failed {
				st.Error = "boom"
			}
			r := &Run{Features: []Feature{{URI: "f.feature", Name: "F", Line: 1, Scenarios: []Scenario{
				{Name: "S", Line: 2, Status: tt.status, Steps: []Step{st}},
			}}}}
			el := decodeCucumber(t, r)[0].Elements[0]
			if got := *el.Steps[0].Result.Status; got != tt.stepsWant {
				t.Errorf("step status = %q; want %q", got, tt.stepsWant)
			}
			if len(el.After) != 0 {
				t.Errorf("after hooks = %+v; want none", el.After)
			}
		})
	}
	// A scenario failed with every step passed keeps its failure in an after hook.
	r := &Run{Features: []Feature{{URI: "f.feature", Name: "F", Line: 1, Scenarios: []Scenario{
		{Name: "S", Line: 2, Status: Failed, Error: "after hook: mock did not stop",
			Steps: []Step{{Keyword: "When ", Text: "x", Line: 3, Status: Passed}}},
		{Name: "S", Line: 5, Status: Passed},
	}}}}
	els := decodeCucumber(t, r)[0].Elements
	if len(els[0].After) != 1 || *els[0].After[0].Result.Status != "failed" ||
		els[0].After[0].Result.ErrorMessage != "after hook: mock did not stop" {
		t.Errorf("after = %+v; want one failed hook with the scenario error", els[0].After)
	}
	if els[0].ID != "f;s" || els[1].ID != "f;s;;2" {
		t.Errorf("ids = %q, %q; want unique ids for repeated names", els[0].ID, els[1].ID)
	}
	if els[1].Steps == nil {
		t.Errorf("steps of a scenario without steps = null; want []")
	}
}
