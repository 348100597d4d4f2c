package sdkgate_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mocktest"
	"github.com/passfort-conformance/harness/internal/sdkgate"
	"github.com/passfort-conformance/harness/internal/variants"
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

// okHandler stands for the API's handlers: 200 and an empty object to
// everything, so the tests do not wait on the mock serving each operation.
var okHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte("{}"))
})

// send serves variant x through h as an SDK would send it.
func send(h http.Handler, x variants.Variant) {
	var body io.Reader
	if x.Body != nil {
		body = bytes.NewReader(x.Body)
	}
	r := httptest.NewRequest(x.Method, "/4.0"+x.Path, body)
	for k, val := range x.Header {
		r.Header.Set(k, val)
	}
	switch {
	case x.OmitKey:
	case x.Key != "":
		r.Header.Set("apikey", x.Key)
	default:
		r.Header.Set("apikey", mock.DefaultAPIKey)
	}
	h.ServeHTTP(httptest.NewRecorder(), r)
}

// hasSomethingToGetWrong says whether an operation takes a request body or
// a required parameter (every path parameter is required).
func hasSomethingToGetWrong(o apispec.Operation) bool {
	if o.Op.RequestBody != nil {
		return true
	}
	for _, params := range []openapi3.Parameters{o.Item.Parameters, o.Op.Parameters} {
		for _, p := range params {
			if p != nil && p.Value != nil && p.Value.Required {
				return true
			}
		}
	}
	return false
}

// gateBlind are the invalid rules the gate cannot see in a request: the key
// (the API checks it, not the contract check), an id that is well-formed
// but names nothing (only the API's data knows), and a body over the limit
// (the API refuses it before the gate has all of it).
var gateBlind = map[string]bool{
	variants.RuleMissingAPIKey: true, variants.RuleWrongAPIKey: true,
	variants.RuleNotFound: true, variants.RuleTooLarge: true,
}

// The gate follows the whole contract: a request to any operation of the
// parsed document is recorded under that operation's name, with the
// status the API answered, without a per-operation list. The contract's
// valid requests (its examples, else its minimal request) are no bad
// request; one invalid request per operation that has something to get
// wrong (a body or a required parameter) is, with a finding under that
// operation.
func TestGateNamesEveryOperation(t *testing.T) {
	t.Parallel()
	v := mocktest.Validator(t) // parsed once for the package's tests
	ops := v.Document().Operations()
	set, err := variants.GenerateSet(v.Document().OpenAPI(), variants.Options{Seed: 1})
	require.NoError(t, err)
	valid := map[string]variants.Variant{} // operation → its example, else its minimal request
	for _, x := range set.Variants {
		if x.Rule == variants.RuleValidExample && valid[x.Operation].Rule != variants.RuleValidExample ||
			x.Rule == variants.RuleValidMinimal && valid[x.Operation].Rule == "" {
			valid[x.Operation] = x
		}
	}

	t.Run("valid requests", func(t *testing.T) {
		g := sdkgate.New(fakeAPI{v})
		h := g.Wrap(okHandler)
		for _, o := range ops {
			x, ok := valid[o.Key()]
			if assert.True(t, ok, "%s: no valid variant", o.Key()) {
				send(h, x)
			}
		}
		rep := g.Report()
		assert.EqualValues(t, len(ops), rep.Requests)
		assert.Zero(t, rep.BadRequests, "bad requests among the contract's own:\n%s", strings.Join(rep.Lines(), "\n"))
		for _, o := range ops {
			rec, ok := rep.Operations[o.Key()]
			if assert.True(t, ok, "%s: not recorded by name; recorded %q", o.Key(), rep.OperationNames()) {
				assert.Equal(t, map[int]int64{200: 1}, rec.Statuses, o.Key())
			}
		}
		assert.Len(t, rep.Operations, len(ops), "recorded %q", rep.OperationNames())
	})

	t.Run("invalid requests", func(t *testing.T) {
		var want, nothing []string
		for _, o := range ops {
			if hasSomethingToGetWrong(o) {
				want = append(want, o.Key())
			} else {
				nothing = append(nothing, o.Key())
			}
		}
		t.Logf("operations with no body and no required parameter: %q", nothing)
		covered := map[string]bool{}
		for _, x := range set.Variants {
			if x.Valid || gateBlind[x.Rule] {
				continue
			}
			g := sdkgate.New(fakeAPI{v}) // one record per request
			send(g.Wrap(okHandler), x)
			rep := g.Report()
			if !assert.EqualValues(t, 1, rep.BadRequests, "%s: bad requests: got %d, want 1", x.Name(), rep.BadRequests) {
				continue
			}
			named := map[string]bool{}
			for _, f := range rep.Findings {
				named[f.Operation] = true
			}
			if assert.Equal(t, map[string]bool{x.Operation: true}, named, "%s: operations of the findings", x.Name()) {
				covered[x.Operation] = true
			}
		}
		for _, key := range want {
			assert.True(t, covered[key], "%s: no invalid request recorded by the gate", key)
		}
	})
}
