package sdkgate

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mocktest"
)

func TestGateBounds(t *testing.T) {
	t.Parallel()
	srv, err := mock.New(mock.Options{AutomationDelay: -1, Validator: mocktest.Validator(t), Model: mocktest.Model(t)})
	require.NoError(t, err)
	g := New(srv)
	h := g.Wrap(srv)
	for i := range maxGateFindings + maxOperations + 50 {
		req := httptest.NewRequest("GET", "/4.0/nowhere/"+strings.Repeat("x", i%400+1), nil)
		req.Header.Set("apikey", mock.DefaultAPIKey)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	r := g.Report()
	assert.Len(t, r.Findings, maxGateFindings)
	assert.Equal(t, int64(maxOperations+50), r.DroppedFindings)
	assert.LessOrEqual(t, len(r.Operations), maxOperations+1)
}
