package sdkgate_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mocktest"
	"github.com/passfort-conformance/harness/internal/sdkgate"
)

// fakeAPI stands for the mock: the gate needs its contract and its error
// answers only.
type fakeAPI struct{ v *contract.Validator }

func (a fakeAPI) Validator() *contract.Validator { return a.v }
func (a fakeAPI) MaxBodyBytes() int64            { return 1 << 20 }
func (a fakeAPI) MethodNotAllowed(w http.ResponseWriter, _ *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	w.WriteHeader(http.StatusMethodNotAllowed)
}
func (a fakeAPI) WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// The gate follows the whole contract: a request to any operation of the
// parsed document is recorded under that operation's name, with the
// status the API answered, without a per-operation list. The API here is
// a fake answering 200 to everything, so the test does not wait on the
// mock serving each operation.
func TestGateNamesEveryOperation(t *testing.T) {
	t.Parallel()
	v := mocktest.Validator(t) // parsed once for the package's tests
	g := sdkgate.New(fakeAPI{v})
	h := g.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	}))
	ops := v.Document().Operations()
	for _, o := range ops {
		path := apispec.FillTemplate(o.Template, "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9")
		var body []byte
		if rb := o.Op.RequestBody; rb != nil && rb.Value != nil {
			if ex := apispec.MediaTypeExamples(rb.Value.Content.Get("application/json")); len(ex) > 0 {
				b, err := json.Marshal(ex[0].Value)
				require.NoError(t, err)
				body = b
			} else {
				body = []byte("{}")
			}
		}
		r := httptest.NewRequest(o.Method, "/4.0"+path, bytes.NewReader(body))
		if body == nil {
			r = httptest.NewRequest(o.Method, "/4.0"+path, nil)
		} else {
			r.Header.Set("Content-Type", "application/json")
		}
		r.Header.Set("apikey", mock.DefaultAPIKey)
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	rep := g.Report()
	assert.EqualValues(t, len(ops), rep.Requests)
	for _, o := range ops {
		rec, ok := rep.Operations[o.Key()]
		if assert.True(t, ok, "%s: not recorded by name; recorded %q", o.Key(), rep.OperationNames()) {
			assert.Equal(t, map[int]int64{200: 1}, rec.Statuses, o.Key())
		}
	}
	assert.Len(t, rep.Operations, len(ops), "recorded %q", rep.OperationNames())
}
