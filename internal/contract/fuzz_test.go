package contract

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/passfort-conformance/harness/internal/exchange"
)

// FuzzCheckResponse feeds any bytes as a response body, for a success, an
// error and an unknown operation: CheckResponse must never panic, and every
// finding must be one line with a kind. Seeds: testdata/fuzz/FuzzCheckResponse.
func FuzzCheckResponse(f *testing.F) {
	v := mini(f)
	f.Add(mustJSON(f, application(f)))
	f.Add([]byte(`{"errors":[{"code":201,"message":"x"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, ex := range []*exchange.Exchange{
			jsonExchange("POST", createPath, 200, body),
			jsonExchange("GET", "/profiles/"+profileID+"/applications", 200, body),
			jsonExchange("GET", "/profiles/"+profileID+"/status", 200, body),
			jsonExchange("POST", createPath, 409, body),
			jsonExchange("GET", "/nope", 404, body),
		} {
			for _, f := range v.CheckResponse(ex) {
				assert.NotEmpty(t, f.Kind, "finding %q", f)
				assert.NotEmpty(t, f.Class, "finding %q", f)
				assertOneLine(t, f.Message)
			}
		}
		for _, f := range v.CheckRequest("POST", createPath, http.Header{"Content-Type": {"application/json"}}, body) {
			assert.NotEmpty(t, f.Kind, "request finding %q", f)
			assertOneLine(t, f.Message)
		}
		ObservedFields(body)
	})
}
