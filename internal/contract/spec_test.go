package contract

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

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
	v, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEmbeddedSpec(t *testing.T) {
	t.Parallel()
	v := embedded(t)
	if w := v.Warnings(); len(w) != 0 {
		t.Errorf("Warnings of our own spec: %q", w)
	}
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
		if !found {
			t.Errorf("Operations: %s missing", want)
		}
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
				if len(got) != 0 {
					t.Errorf("%s request example %s: %s", op, name, lines(got))
				}
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
				if got := v.CheckResponse(ex); len(got) != 0 {
					t.Errorf("%s %d example %s:\n%s", op, status, name, lines(got))
				}
			}
		}
	}
	t.Logf("checked %d examples", checked)
	if checked < 10 {
		t.Errorf("checked %d examples, want the spec's examples (at least 10)", checked)
	}
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
	if s := summarize(got); !reflect.DeepEqual(s, want) {
		t.Errorf("findings: got %v, want %v\n%s", s, want, lines(got))
	}

	app = specApplication(t, v)
	app["status"], app["id"] = "FOO", "not-a-uuid"
	got = v.CheckResponse(jsonExchange("POST", "/4.0"+createPath, 200, mustJSON(t, app)))
	want = []summary{{finding.Contract, finding.BadFormat, "/id", "pattern"}, {finding.Contract, finding.OutsideEnum, "/status", "enum"}}
	if s := summarize(got); !sameSummaries(s, want) {
		t.Errorf("findings: got %v, want %v\n%s", s, want, lines(got))
	}

	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	for body, wantRule := range map[string]string{`{}`: "required", `{"product":{}}`: "required", `{"product":"x"}`: "type", `{"product":`: "json"} {
		got := v.CheckRequest("POST", "/4.0"+createPath, jsonHeader, []byte(body))
		if len(got) != 1 || got[0].Rule != wantRule || got[0].Kind != finding.InvalidRequest {
			t.Errorf("CheckRequest(%s): got %v, want one invalid-request finding with rule %q", body, got, wantRule)
		}
	}
}

// specApplication is the spec's own example of the create-application response.
func specApplication(t *testing.T, v *Validator) map[string]any {
	t.Helper()
	e := v.router.byOp["POST /profiles/{profile_id}/applications"]
	if e == nil {
		t.Fatal("the spec has no POST /profiles/{profile_id}/applications")
	}
	for _, body := range examples(e.kin.Responses.Status(200).Value.Content["application/json"]) {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	t.Fatal("the spec has no example of the create-application response")
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
