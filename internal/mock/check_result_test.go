package mock

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// An externally run check's result is the provider's own word, any string
// (decision D110, docs/decisions.md): the request is valid, and the mock
// reads a decision off the words it knows, WARN for any other. The check
// it answers echoes the word; it is read unrecorded, since the response's
// extensible CheckResult reports a word outside it as drift, as it would
// from PassFort.
func TestExternalCheckTakesAnyResult(t *testing.T) {
	t.Parallel()
	v := mocktest.Validator(t)
	header := http.Header{"Content-Type": {"application/json"}, "Apikey": {"key"}}
	tests := map[string]struct{ result, decision string }{
		"a word of CheckResult": {result: "Pass", decision: "PASS"},
		"a partial match":       {result: "1+1", decision: "PARTIAL"},
		"a provider's own word": {result: "Refer to compliance", decision: "WARN"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body := `{"check_type":"PEPS_AND_SANCTIONS_SCREEN","instructed_externally":true,"result":"` + tc.result + `","output_data":{}}`
			got := v.JudgeRequest("POST", "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/checks", header, []byte(body))
			assert.Empty(t, got.Findings, "request with result %q", tc.result)
			assert.Equal(t, tc.decision, decisionOf(tc.result), "decision of result %q", tc.result)

			e := newEnv(t, Options{})
			pid := e.NewProfile()
			check := e.Unrecorded(http.MethodPost, "/profiles/"+pid+"/checks", body).Want(200)
			assert.Equal(t, tc.result, check.Str("result"), "the check answers the provider's word")
			assert.Equal(t, tc.decision, check.Str("decision"), "the check's decision")
			assert.Equal(t, "COMPLETE", check.Str("state"), "an externally run check is complete")
		})
	}
}
