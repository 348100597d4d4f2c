package contract

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/spec"
)

// embedded returns the Validator of our own spec, skipping while the spec is
// still a placeholder.
func embedded(t *testing.T) *Validator {
	t.Helper()
	if isPlaceholder(spec.OpenAPI) {
		t.Skip("spec/passfort-4.0.yaml is still a placeholder")
	}
	v, err := defaultValidator()
	require.NoError(t, err)
	return v
}

func TestEmbeddedSpec(t *testing.T) {
	t.Parallel()
	v := embedded(t)
	assert.Empty(t, v.Warnings(), "Warnings of our own spec")
	for _, want := range []string{
		"GET /profiles/{profile_id}/applications",
		"POST /profiles/{profile_id}/applications",
		"GET /profiles/{profile_id}/applications/{application_id}",
		"POST /profiles/{profile_id}/applications/{application_id}",
		"POST /profiles/{profile_id}/applications/{application_id}/revert_decision",
	} {
		found := false
		for _, op := range v.Operations() {
			found = found || op.String() == want
		}
		assert.True(t, found, "Operations: %s missing", want)
	}
}

// TestEmbeddedExamples checks every JSON example of our spec against the
// spec itself: responses through CheckResponse (contract and drift), request
// bodies through CheckRequest. An example the checks refuse is a bug in the
// spec or in the checks.
func TestEmbeddedExamples(t *testing.T) {
	t.Parallel()
	v := embedded(t)
	checked := 0
	for _, op := range v.Operations() {
		e := v.router.byOp[op.String()]
		path := fillPath(op.Path)
		if rb := e.kin.RequestBody; rb != nil && rb.Value != nil {
			for name, body := range examples(rb.Value.Content["application/json"]) {
				checked++
				got := v.CheckRequest(op.Method, path, http.Header{"Content-Type": {"application/json"}}, body)
				assert.Empty(t, got, "%s request example %s: %s", op, name, lines(got))
			}
		}
		for code, r := range e.kin.Responses.Map() {
			status, err := strconv.Atoi(code)
			if err != nil || r.Value == nil {
				continue
			}
			for name, body := range examples(r.Value.Content["application/json"]) {
				checked++
				ex := jsonExchange(op.Method, "/4.0"+path, status, body)
				got := v.CheckResponse(ex)
				assert.Empty(t, got, "%s %d example %s:\n%s", op, status, name, lines(got))
			}
		}
	}
	t.Logf("checked %d examples", checked)
	assert.GreaterOrEqual(t, checked, 10, "the spec's examples")
}

// TestEmbeddedProductApplication is the drift rule on our ProductApplication:
// one extra key inside approval_blockers[1] is one drift finding.
func TestEmbeddedProductApplication(t *testing.T) {
	t.Parallel()
	v := embedded(t)
	app := specApplication(t, v)
	blockers := app["approval_blockers"].([]any)
	app["approval_blockers"] = append(blockers, map[string]any{"blocker_type": "UNRESOLVED_EVENT", "event_id": profileID, "extra": 1})
	got := v.CheckResponse(jsonExchange("POST", "/4.0"+createPath, 200, mustJSON(t, app)))
	want := []summary{{finding.Drift, finding.UndocumentedField, "/approval_blockers/1/extra", "properties"}}
	assert.Equal(t, want, summarize(got), lines(got))

	app = specApplication(t, v)
	app["status"], app["id"] = "FOO", "not-a-uuid"
	got = v.CheckResponse(jsonExchange("POST", "/4.0"+createPath, 200, mustJSON(t, app)))
	want = []summary{{finding.Contract, finding.BadFormat, "/id", "pattern"}, {finding.Contract, finding.OutsideEnum, "/status", "enum"}}
	s := summarize(got)
	assert.True(t, sameSummaries(s, want), "findings: got %v, want %v\n%s", s, want, lines(got))

	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	for body, wantRule := range map[string]string{`{}`: "required", `{"product":{}}`: "required", `{"product":"x"}`: "type", `{"product":`: "json"} {
		got := v.CheckRequest("POST", "/4.0"+createPath, jsonHeader, []byte(body))
		if assert.Len(t, got, 1, "CheckRequest(%s)", body) {
			assert.Equal(t, wantRule, got[0].Rule, "CheckRequest(%s)", body)
			assert.Equal(t, finding.InvalidRequest, got[0].Kind, "CheckRequest(%s)", body)
		}
	}
}

// specApplication is the spec's own example of the create-application response.
func specApplication(t *testing.T, v *Validator) map[string]any {
	t.Helper()
	e := v.router.byOp["POST /profiles/{profile_id}/applications"]
	require.NotNil(t, e, "the spec has no POST /profiles/{profile_id}/applications")
	for _, body := range examples(e.kin.Responses.Status(200).Value.Content["application/json"]) {
		var m map[string]any
		require.NoError(t, json.Unmarshal(body, &m))
		return m
	}
	require.FailNow(t, "the spec has no example of the create-application response")
	return nil
}

// examples returns a media type's example(s) as JSON.
func examples(mt *openapi3.MediaType) map[string][]byte {
	out := map[string][]byte{}
	if mt == nil {
		return out
	}
	if mt.Example != nil {
		if b, err := json.Marshal(mt.Example); err == nil {
			out["example"] = b
		}
	}
	for name, ex := range mt.Examples {
		if ex != nil && ex.Value != nil && ex.Value.Value != nil {
			if b, err := json.Marshal(ex.Value.Value); err == nil {
				out[name] = b
			}
		}
	}
	return out
}

// fillPath puts an id into every parameter of a path template.
func fillPath(template string) string {
	var b strings.Builder
	for i := 0; i < len(template); i++ {
		if template[i] != '{' {
			b.WriteByte(template[i])
			continue
		}
		j := strings.IndexByte(template[i:], '}')
		if j < 0 {
			b.WriteString(template[i:])
			break
		}
		b.WriteString(profileID)
		i += j
	}
	return b.String()
}

func sameSummaries(a, b []summary) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slicesContains(b, x) {
			return false
		}
	}
	return true
}

func slicesContains(list []summary, s summary) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
