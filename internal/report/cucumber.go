package report

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/passfort-conformance/harness/internal/finding"
)

// Cucumber JSON, the legacy format every Cucumber report viewer reads
// (the shape of cucumber/json-formatter and cucumber-js --format json).

type cukeFeature struct {
	URI         string        `json:"uri"`
	ID          string        `json:"id"`
	Keyword     string        `json:"keyword"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Line        int           `json:"line"`
	Tags        []cukeTag     `json:"tags,omitempty"`
	Elements    []cukeElement `json:"elements"`
}

type cukeTag struct {
	Name string `json:"name"`
	Line int    `json:"line"`
}

type cukeElement struct {
	ID             string     `json:"id"`
	Keyword        string     `json:"keyword"`
	Type           string     `json:"type"`
	Name           string     `json:"name"`
	Description    string     `json:"description"`
	Line           int        `json:"line"`
	StartTimestamp string     `json:"start_timestamp,omitempty"`
	Tags           []cukeTag  `json:"tags,omitempty"`
	Steps          []cukeStep `json:"steps"`
	After          []cukeHook `json:"after,omitempty"`
}

type cukeStep struct {
	Keyword    string          `json:"keyword"`
	Name       string          `json:"name"`
	Line       int             `json:"line"`
	Match      *cukeMatch      `json:"match,omitempty"`
	Result     cukeResult      `json:"result"`
	DocString  *cukeDocString  `json:"doc_string,omitempty"`
	Embeddings []cukeEmbedding `json:"embeddings,omitempty"`
	Output     []string        `json:"output,omitempty"`
}

type cukeMatch struct {
	Location string `json:"location"`
}

type cukeResult struct {
	Status       string `json:"status"`
	Duration     int64  `json:"duration,omitempty"` // nanoseconds
	ErrorMessage string `json:"error_message,omitempty"`
}

type cukeDocString struct {
	Value       string `json:"value"`
	ContentType string `json:"content_type,omitempty"`
	Line        int    `json:"line"`
}

type cukeEmbedding struct {
	MimeType string `json:"mime_type"`
	Data     string `json:"data"`
	Name     string `json:"name,omitempty"`
}

type cukeHook struct {
	Match  cukeMatch  `json:"match"`
	Result cukeResult `json:"result"`
}

// WriteCucumber writes the run as Cucumber JSON. Each step's findings are
// attached twice, so every viewer shows them: as an application/json
// embedding (the findings, base64) and as their one-line text in "output".
// Flaky becomes passed (Cucumber has no such status). A scenario that failed
// without a failed step (an After hook, a retry budget) gets a failed "after"
// hook carrying its error, so viewers still count it as failed.
//
// Tag lines are not kept in the Run record; each tag is given the line above
// its keyword, where Gherkin tags usually stand.
func WriteCucumber(w io.Writer, r *Run) error {
	out := make([]cukeFeature, 0, len(r.Features))
	for _, f := range r.Features {
		cf := cukeFeature{
			URI:         f.URI,
			ID:          slug(f.Name),
			Keyword:     "Feature",
			Name:        f.Name,
			Description: f.Description,
			Line:        f.Line,
			Tags:        cukeTags(f.Tags, f.Line),
			Elements:    make([]cukeElement, 0, len(f.Scenarios)),
		}
		seen := map[string]int{}
		for _, s := range f.Scenarios {
			el, err := cukeScenario(cf.ID, &s)
			if err != nil {
				return err
			}
			// Outline rows share a name: number the repeats, as cucumber-js does.
			seen[el.ID]++
			if n := seen[el.ID]; n > 1 {
				el.ID = fmt.Sprintf("%s;;%d", el.ID, n)
			}
			cf.Elements = append(cf.Elements, el)
		}
		out = append(out, cf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write cucumber json: %w", err)
	}
	return nil
}

func cukeScenario(featureID string, s *Scenario) (cukeElement, error) {
	el := cukeElement{
		ID:      featureID + ";" + slug(s.Name),
		Keyword: "Scenario",
		Type:    "scenario",
		Name:    s.Name,
		Line:    s.Line,
		Tags:    cukeTags(s.Tags, s.Line),
		Steps:   make([]cukeStep, 0, len(s.Steps)),
	}
	if !s.Started.IsZero() {
		el.StartTimestamp = s.Started.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	stepFailed := false
	for _, st := range s.Steps {
		cs := cukeStep{
			Keyword: st.Keyword,
			Name:    st.Text,
			Line:    st.Line,
			Result: cukeResult{
				Status:       cukeStatus(st.Status),
				Duration:     int64(nonNegative(st.Duration)),
				ErrorMessage: st.Error,
			},
		}
		if st.Location != "" {
			cs.Match = &cukeMatch{Location: st.Location}
		}
		if st.DocString != "" {
			cs.DocString = &cukeDocString{Value: st.DocString, Line: st.Line + 1}
		}
		if len(st.Findings) > 0 {
			data, err := json.Marshal(st.Findings)
			if err != nil {
				return cukeElement{}, fmt.Errorf("write cucumber json: findings of %q: %w", st.Text, err)
			}
			cs.Embeddings = []cukeEmbedding{{
				MimeType: "application/json",
				Data:     base64.StdEncoding.EncodeToString(data),
				Name:     "findings",
			}}
			cs.Output = findingLines(st.Findings)
		}
		if cs.Result.Status == string(Failed) {
			stepFailed = true
		}
		el.Steps = append(el.Steps, cs)
	}
	if s.Status == Failed && !stepFailed {
		msg := s.Error
		if msg == "" {
			msg = "scenario failed"
		}
		el.After = []cukeHook{{
			Match:  cukeMatch{Location: "harness"},
			Result: cukeResult{Status: string(Failed), ErrorMessage: msg},
		}}
	}
	return el, nil
}

func findingLines(fs []finding.Finding) []string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = f.String()
	}
	return lines
}

func cukeTags(tags []string, line int) []cukeTag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]cukeTag, len(tags))
	for i, t := range tags {
		if !strings.HasPrefix(t, "@") {
			t = "@" + t
		}
		out[i] = cukeTag{Name: t, Line: max(line-1, 1)}
	}
	return out
}

// cukeStatus maps a status to Cucumber's words; flaky, which Cucumber lacks,
// passed in the end.
func cukeStatus(s Status) string {
	switch s {
	case Flaky:
		return string(Passed)
	case "":
		return string(Skipped)
	}
	return string(s)
}

// slug makes a Cucumber id from a name: lower case, spaces to dashes.
func slug(name string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(name) {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte('-')
		case r == ';':
			// The separator between feature and scenario ids.
			b.WriteByte('-')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
