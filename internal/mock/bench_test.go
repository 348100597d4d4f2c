package mock

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/passfort-conformance/harness/internal/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchServer is a mock for benchmarks: no recording, no contract check of
// the answers (the tests do that), a shared validator and model.
func benchServer(b *testing.B) *Server {
	b.Helper()
	// No store limits: a benchmark that creates profiles makes more than
	// the default -max-profiles allows, and would measure 507s.
	s, err := New(Options{Validator: mocktest.Validator(b), Model: mocktest.Model(b), AutomationDelay: -1,
		MaxProfiles: -1, MaxStoredBytes: -1})
	require.NoError(b, err)
	return s
}

// BenchmarkGetApplication reads one settled application, the hot path of a
// conformance run (the README's section "Speed" compares it with a bare
// net/http server).
func BenchmarkGetApplication(b *testing.B) {
	s := benchServer(b)
	rec := mocktest.Serve(s, "POST", "/4.0/profiles", mocktest.ProfileWithApplication)
	var p struct {
		ID           string `json:"id"`
		Applications []struct {
			ID string `json:"id"`
		} `json:"applications"`
	}
	require.False(b, rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &p) != nil || len(p.Applications) != 1, "create: %d %s", rec.Code, rec.Body)
	path := "/4.0/profiles/" + p.ID + "/applications/" + p.Applications[0].ID
	rec = mocktest.Serve(s, "GET", path, "")
	require.False(b, rec.Code != 200, "get: %d %s", rec.Code, rec.Body)
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("apikey", DefaultAPIKey)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != 200 {
				assert.Failf(b, "get", "%d", rec.Code)
				return
			}
		}
	})
}

// BenchmarkCreateProfileWithApplication creates a profile applied for
// forexo_basic in one call, contract validation of the request included.
func BenchmarkCreateProfileWithApplication(b *testing.B) {
	s := benchServer(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if rec := mocktest.Serve(s, "POST", "/4.0/profiles", mocktest.ProfileWithApplication); rec.Code != 200 {
				assert.Failf(b, "create", "%d %s", rec.Code, rec.Body)
				return
			}
		}
	})
}

// BenchmarkBareNetHTTP is the yardstick: a handler that answers a fixed JSON
// body of the same size as a settled application.
func BenchmarkBareNetHTTP(b *testing.B) {
	s := benchServer(b)
	rec := mocktest.Serve(s, "POST", "/4.0/profiles", mocktest.ProfileWithApplication)
	var p struct {
		Applications []json.RawMessage `json:"applications"`
	}
	require.False(b, json.Unmarshal(rec.Body.Bytes(), &p) != nil || len(p.Applications) != 1, "create failed")
	body := []byte(p.Applications[0])
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	req := httptest.NewRequest("GET", "/4.0/x", nil)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
	})
}
