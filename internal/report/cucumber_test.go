package report

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
		if !assert.NotNil(t, r, "%s: no result", where) || !assert.NotNil(t, r.Status, "%s: no result status", where) {
			return
		}
		assert.True(t, slices.Contains(cukeStatuses, *r.Status), "%s: status %q not a Cucumber status", where, *r.Status)
		assert.False(t, *r.Status == "failed" && r.ErrorMessage == "", "%s: failed without error_message", where)
		assert.GreaterOrEqual(t, r.Duration, int64(0), "%s: negative duration", where)
	}
	for _, f := range feats {
		assert.NotNil(t, f.URI, "feature %q: missing uri, keyword, name or line", f.ID)
		assert.NotNil(t, f.Keyword, "feature %q: missing uri, keyword, name or line", f.ID)
		assert.NotNil(t, f.Name, "feature %q: missing uri, keyword, name or line", f.ID)
		assert.NotNil(t, f.Line, "feature %q: missing uri, keyword, name or line", f.ID)
		for _, tg := range f.Tags {
			assert.NotNil(t, tg.Name, "feature %q: tag without name", f.ID)
		}
		for _, el := range f.Elements {
			assert.NotNil(t, el.Keyword, "element %q: missing keyword, type, name or line", el.ID)
			assert.NotNil(t, el.Type, "element %q: missing keyword, type, name or line", el.ID)
			assert.NotNil(t, el.Name, "element %q: missing keyword, type, name or line", el.ID)
			assert.NotNil(t, el.Line, "element %q: missing keyword, type, name or line", el.ID)
			for _, st := range el.Steps {
				assert.NotNil(t, st.Keyword, "element %q step %q: missing keyword or line", el.ID, st.Name)
				assert.NotNil(t, st.Line, "element %q step %q: missing keyword or line", el.ID, st.Name)
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
	require.NoError(t, WriteCucumber(&buf, r), "WriteCucumber")
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	var feats []cjFeature
	require.NoError(t, dec.Decode(&feats), "decode cucumber json")
	checkCucumberRequired(t, feats)
	return feats
}

func TestCucumberStructure(t *testing.T) {
	t.Parallel()
	feats := decodeCucumber(t, sampleRun())
	require.Len(t, feats, 2)
	f := feats[0]
	assert.Equal(t, "features/profiles.feature", *f.URI)
	assert.Equal(t, "profiles", f.ID)
	assert.Equal(t, "Feature", *f.Keyword)
	assert.Equal(t, "Profiles", *f.Name)
	assert.EqualValues(t, 2, *f.Line)
	assert.Equal(t, "Create and read profiles.", f.Description)
	assert.Len(t, f.Tags, 1)
	assert.Equal(t, "@smoke", *f.Tags[0].Name)
	assert.EqualValues(t, 1, f.Tags[0].Line)
	require.Len(t, f.Elements, 4)
	el := f.Elements[1]
	assert.Equal(t, `profiles;profile-has-a-"status"-&-<role>`, el.ID)
	assert.Equal(t, "Scenario", *el.Keyword)
	assert.Equal(t, "scenario", *el.Type)
	assert.Equal(t, `Profile has a "status" & <role>`, *el.Name)
	assert.EqualValues(t, 10, *el.Line)
	assert.Equal(t, "2025-03-04T10:00:00.100Z", el.StartTimestamp)
	st := el.Steps[0]
	assert.Equal(t, "When ", *st.Keyword)
	assert.Equal(t, "I read the profile", st.Name)
	assert.EqualValues(t, 11, *st.Line)
	assert.Equal(t, "failed", *st.Result.Status)
	assert.EqualValues(t, 12_000_000, st.Result.Duration)
	assert.Equal(t, "GET /profiles/{profile_id} 200: 1 contract finding", st.Result.ErrorMessage)
	doc := f.Elements[0].Steps[0]
	assert.NotNil(t, doc.DocString)
	assert.Equal(t, `{"role":"INDIVIDUAL_CUSTOMER"}`, doc.DocString.Value)
	assert.EqualValues(t, 7, doc.DocString.Line)
	assert.NotNil(t, doc.Match)
	assert.Equal(t, "steps/profiles.go:20", doc.Match.Location)
}

func TestCucumberFindingsAttached(t *testing.T) {
	t.Parallel()
	run := sampleRun()
	feats := decodeCucumber(t, run)
	st := feats[0].Elements[1].Steps[0]
	want := run.Features[0].Scenarios[1].Steps[0].Findings

	wantLines := []string{missingStatus.String(), extraField.String()}
	assert.Equal(t, wantLines, st.Output, "output")
	require.Len(t, st.Embeddings, 1)
	require.Equal(t, "application/json", st.Embeddings[0].MimeType)
	raw, err := base64.StdEncoding.DecodeString(st.Embeddings[0].Data)
	require.NoError(t, err, "embedding data not base64")
	var got []finding.Finding
	require.NoError(t, json.Unmarshal(raw, &got), "embedding is not JSON findings")
	assert.Equal(t, want, got, "embedded findings")
	// A step without findings has neither.
	clean := feats[0].Elements[1].Steps[1]
	assert.Nil(t, clean.Embeddings)
	assert.Nil(t, clean.Output)
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
			assert.Equal(t, tt.stepsWant, *el.Steps[0].Result.Status, "step status")
			assert.Len(t, el.After, 0)
		})
	}
	// A scenario failed with every step passed keeps its failure in an after hook.
	r := &Run{Features: []Feature{{URI: "f.feature", Name: "F", Line: 1, Scenarios: []Scenario{
		{Name: "S", Line: 2, Status: Failed, Error: "after hook: mock did not stop",
			Steps: []Step{{Keyword: "When ", Text: "x", Line: 3, Status: Passed}}},
		{Name: "S", Line: 5, Status: Passed},
	}}}}
	els := decodeCucumber(t, r)[0].Elements
	require.Len(t, els[0].After, 1, "one after hook with the scenario's error")
	assert.Equal(t, "failed", *els[0].After[0].Result.Status)
	assert.Equal(t, "after hook: mock did not stop", els[0].After[0].Result.ErrorMessage)
	assert.Equal(t, "f;s", els[0].ID)
	assert.Equal(t, "f;s;;2", els[1].ID)
	assert.NotNil(t, els[1].Steps, "steps of a scenario without steps = null")
}
