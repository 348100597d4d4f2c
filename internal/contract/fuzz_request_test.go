package contract

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/passfort-conformance/harness/internal/finding"
)

// FuzzCheckRequest sends any method, path (with query), Content-Type and
// body to JudgeRequest: it must never panic, every finding must be a
// one-line contract finding of kind invalid-request (or
// undocumented-operation for an unknown path), the verdict's operation must
// be OperationName's, and a body it calls JSON must be valid JSON (the mock
// then skips its own syntax check). Seeds: testdata/fuzz/FuzzCheckRequest.
func FuzzCheckRequest(f *testing.F) {
	v := mini(f)
	f.Add("POST", "/4.0"+createPath, "application/json", []byte(`{"product":{"alias":"forexo_basic"}}`))
	f.Add("GET", "/4.0/profiles?limit=3&offset=x", "", []byte(nil))
	f.Add("POST", "/profiles/x/events/bulk_update", "application/json; charset=utf-8", []byte(`[{"id":1}]`))
	f.Fuzz(func(t *testing.T, method, path, contentType string, body []byte) {
		header := http.Header{}
		if contentType != "" {
			header.Set("Content-Type", contentType)
		}
		verdict := v.JudgeRequest(method, path, header, body)
		if verdict.JSONBody {
			assert.True(t, json.Valid(body), "JSONBody is true for %q, which is not valid JSON", body)
		}
		name, _ := v.OperationName(method, path)
		assert.Equal(t, name, verdict.Operation, "OperationName's")
		for _, f := range verdict.Findings {
			assert.Equal(t, finding.Contract, f.Class, "finding %q", f)
			assert.Contains(t, []string{finding.InvalidRequest, finding.UndocumentedOperation}, f.Kind, "finding %q", f)
			assert.NotEmpty(t, f.Rule, "finding %q", f)
			assertOneLine(t, f.Message)
		}
	})
}

// FuzzQuirkSpecs feeds any body, as a response, to every operation of the
// quirk specs (OpenAPI 3.1, composition, nullable, reference cycles,
// x-patternProperties, lookahead): CheckResponse must never panic nor hang,
// and every finding must be one line with a class and a kind.
func FuzzQuirkSpecs(f *testing.F) {
	var vs []*Validator
	for _, file := range []string{"openapi31.yaml", "allof.yaml", "oneof.yaml", "anyof.yaml", "nullable.yaml", "cycles.yaml", "x-pattern-properties.yaml", "required-undefined.yaml", "lookahead.yaml"} {
		v, err := LoadFile(filepath.Join("testdata", "quirks", file), Options{Lenient: true})
		if err != nil {
			f.Fatal(err)
		}
		vs = append(vs, v)
	}
	f.Add([]byte(`{"kind":"thing","name":null,"code":"ABC","labels":{"x-a":"1"}}`))
	f.Add([]byte(`{"pet_type":"cat","lives":30}`))
	f.Add([]byte(`[{"blocker_type":"INCOMPLETE_TASK","task_type":"x","z":1}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, v := range vs {
			for _, op := range v.Operations() {
				ex := jsonExchange(op.Method, fillPath(op.Path), 200, body)
				for _, f := range v.CheckResponse(ex) {
					assert.NotEmpty(t, f.Kind, "%s: finding %q", op, f)
					assert.NotEmpty(t, f.Class, "%s: finding %q", op, f)
					assertOneLine(t, f.Message)
				}
			}
		}
	})
}
