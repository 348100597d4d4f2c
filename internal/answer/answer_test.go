package answer_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/answer"
	"github.com/passfort-conformance/harness/internal/contract"
)

// marker adds a field to every object answer and answers 202.
type marker struct{ ops []string }

func (m *marker) Rewrite(_ *http.Request, op string, _ int, doc any) (int, any) {
	m.ops = append(m.ops, op)
	if o, ok := doc.(map[string]any); ok {
		o["marked"] = true
	}
	return http.StatusAccepted, doc
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	v, err := contract.Default()
	require.NoError(t, err)
	tests := map[string]struct {
		path, body     string
		status         int
		wantStatus     int
		wantBody, opIs string
	}{
		"2xx of an operation":      {"/4.0/whoami", `{"n":1.50}`, 200, 202, `{"marked":true,"n":1.50}` + "\n", "GET /whoami"},
		"error passes as it is":    {"/4.0/whoami", `{"errors":[]}`, 401, 401, `{"errors":[]}`, ""},
		"outside the contract":     {"/4.0/nothing", `{}`, 200, 200, `{}`, ""},
		"not JSON passes as it is": {"/4.0/whoami", `nope`, 200, 200, `nope`, ""},
		"HTML is not escaped":      {"/4.0/whoami", `{"s":"<a>"}`, 200, 202, `{"marked":true,"s":"<a>"}` + "\n", "GET /whoami"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := &marker{}
			api := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			rec := httptest.NewRecorder()
			answer.Middleware(v, m)(api).ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
			assert.Equal(t, tc.wantStatus, rec.Code)
			assert.Equal(t, tc.wantBody, rec.Body.String())
			assert.Equal(t, strconv.Itoa(len(tc.wantBody)), rec.Header().Get("Content-Length"))
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"), "headers go straight through")
			if tc.opIs != "" {
				assert.Equal(t, []string{tc.opIs}, m.ops)
			} else {
				assert.Empty(t, m.ops)
			}
		})
	}
}
