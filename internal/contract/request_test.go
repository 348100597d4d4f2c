package contract

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

func TestCheckRequest(t *testing.T) {
	t.Parallel()
	v := mini(t)
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	type rule struct{ kind, pointer, rule string }
	invalid := func(ptr, r string) rule { return rule{finding.InvalidRequest, ptr, r} }

	tests := map[string]struct {
		method, path string
		header       http.Header
		body         string
		want         []rule
		message      string // of the first finding, when set
	}{
		"valid alias":           {"POST", createPath, jsonHeader, `{"product":{"alias":"forexo_basic"}}`, []rule{}, ""},
		"valid id, base path":   {"POST", "/4.0" + createPath, jsonHeader, `{"product":{"id":"` + profileID + `"}}`, []rule{}, ""},
		"charset is fine":       {"POST", createPath, http.Header{"Content-Type": {"application/json; charset=utf-8"}}, `{"product":{"alias":"a"}}`, []rule{}, ""},
		"missing product":       {"POST", createPath, jsonHeader, `{}`, []rule{invalid("/product", "required")}, "value is required"},
		"product without alias": {"POST", createPath, jsonHeader, `{"product":{}}`, []rule{invalid("/product", "required")}, "value is required: one of alias, id"},
		"wrong type":            {"POST", createPath, jsonHeader, `{"product":"forexo_basic"}`, []rule{invalid("/product", "type")}, "got string, want object"},
		"outside enum":          {"POST", createPath, jsonHeader, `{"product":{"alias":"a"},"associated_role":"CEO"}`, []rule{invalid("/associated_role", "enum")}, ""},
		"bad id":                {"POST", createPath, jsonHeader, `{"product":{"id":"nope"}}`, []rule{invalid("/product/id", "pattern")}, ""},
		"bad JSON":              {"POST", createPath, jsonHeader, `{"product":`, []rule{invalid("", "json")}, ""},
		"not JSON at all":       {"POST", createPath, jsonHeader, "\x00\xff", []rule{invalid("", "json")}, ""},
		"no body":               {"POST", createPath, jsonHeader, ``, []rule{invalid("", "required")}, "request body is required"},
		"no content type":       {"POST", createPath, nil, `{"product":{"alias":"a"}}`, []rule{invalid("", "content-type")}, "no Content-Type, want application/json"},
		"wrong content type":    {"POST", createPath, http.Header{"Content-Type": {"text/plain"}}, `{}`, []rule{invalid("", "content-type")}, `got "text/plain", want application/json`},
		"body where none":       {"GET", "/profiles", jsonHeader, `{}`, []rule{invalid("", "body")}, ""},
		"query ok":              {"GET", "/profiles?limit=20&q=smith", nil, ``, []rule{}, ""},
		"query wrong type":      {"GET", "/profiles?limit=abc", nil, ``, []rule{invalid("", "type")}, `query parameter "limit": got "abc", want integer`},
		"query out of range":    {"GET", "/profiles?limit=201", nil, ``, []rule{invalid("", "maximum")}, ""},
		"path parameter":        {"GET", "/profiles/nope/applications", nil, ``, []rule{invalid("", "path-parameter")}, `path parameter "profile_id": got "nope", want a UUID (8-4-4-4-12 hex)`},
		"undocumented":          {"PUT", createPath, jsonHeader, `{}`, []rule{{finding.UndocumentedOperation, "", "operation"}}, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := v.CheckRequest(tc.method, tc.path, tc.header, []byte(tc.body))
			rules := make([]rule, 0, len(got))
			for _, f := range got {
				rules = append(rules, rule{f.Kind, f.Pointer, f.Rule})
				assert.Equal(t, finding.Contract, f.Class, "finding %q", f)
				assert.Zero(t, f.Status, "finding %q: no status", f)
				assertOneLine(t, f.Message)
			}
			require.Equal(t, tc.want, rules, lines(got))
			if tc.message != "" {
				assert.Equal(t, tc.message, got[0].Message)
			}
		})
	}
}

// TestJudgeRequest: the verdict names the operation and says whether the body
// was read as JSON, valid against its schema or not.
func TestJudgeRequest(t *testing.T) {
	t.Parallel()
	v := mini(t)
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	const create = "POST /profiles/{profile_id}/applications"
	tests := map[string]struct {
		method, path string
		header       http.Header
		body         string
		op           string
		findings     int
		jsonBody     bool
	}{
		"valid body":         {"POST", createPath, jsonHeader, `{"product":{"alias":"forexo_basic"}}`, create, 0, true},
		"schema broken":      {"POST", createPath, jsonHeader, `{"product":"forexo_basic"}`, create, 1, true},
		"not JSON":           {"POST", createPath, jsonHeader, `{"product":`, create, 1, false},
		"trailing data":      {"POST", createPath, jsonHeader, `{"product":{"alias":"a"}} x`, create, 1, false},
		"no body":            {"POST", createPath, jsonHeader, ``, create, 1, false},
		"wrong content type": {"POST", createPath, http.Header{"Content-Type": {"text/plain"}}, `{}`, create, 1, false},
		"no body to read":    {"GET", "/profiles?limit=3", nil, ``, "GET /profiles", 0, false},
		"undocumented":       {"PUT", createPath, jsonHeader, `{}`, "", 1, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := v.JudgeRequest(tc.method, tc.path, tc.header, []byte(tc.body))
			assert.Equal(t, tc.op, got.Operation)
			assert.Len(t, got.Findings, tc.findings, lines(got.Findings))
			assert.Equal(t, tc.jsonBody, got.JSONBody)
			assert.Equal(t, v.CheckRequest(tc.method, tc.path, tc.header, []byte(tc.body)), got.Findings, "the findings of CheckRequest")
		})
	}
}
