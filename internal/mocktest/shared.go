package mocktest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/lifecycle"
)

// Building the contract validator parses the whole spec: do it once per test
// binary. Both values are immutable after construction.
var (
	sharedValidator = sync.OnceValues(contract.Default)
	sharedModel     = sync.OnceValues(lifecycle.Default)
)

// Validator returns the default contract, parsed once per test binary.
func Validator(t testing.TB) *contract.Validator {
	t.Helper()
	v, err := sharedValidator()
	require.NoError(t, err, "contract.Default")
	return v
}

// Model returns the default lifecycle model, parsed once per test binary.
func Model(t testing.TB) *lifecycle.Model {
	t.Helper()
	m, err := sharedModel()
	require.NoError(t, err, "lifecycle.Default")
	return m
}

// ProfileWithApplication is the body of a settled individual profile with
// one application (forexo_basic): the benchmarks' hot path.
const ProfileWithApplication = `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL","personal_details":{"name":{"given_names":["Ada"],"family_name":"Lovelace"},"dob":"1990-12-10","nationality":"GBR"}},"applications":[{"product":{"alias":"forexo_basic"}}]}`

// Serve sends h one request with the default API key, unrecorded: for
// benchmarks, which check nothing but the status.
func Serve(h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	var req *http.Request
	if body == "" {
		req = httptest.NewRequest(method, path, nil)
	} else {
		req = httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("apikey", APIKey)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// LockedBuffer is a log written from several goroutines.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write adds to the log.
func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns the log so far.
func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
