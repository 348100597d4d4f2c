package mock

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/passfort-conformance/harness/internal/mocktest"
	"github.com/stretchr/testify/require"
)

// BenchmarkHandler serves each operation of the mock once per iteration,
// through ServeHTTP (authentication, routing, request validation, the
// lifecycle and the encoding of the answer), on one goroutine. Names are
// benchstat-friendly: BenchmarkHandler/GET_application and so on.
func BenchmarkHandler(b *testing.B) {
	s := benchServer(b)
	var p struct {
		ID           string `json:"id"`
		Applications []struct {
			ID            string `json:"id"`
			RequiredTasks []struct {
				ID string `json:"id"`
			} `json:"required_tasks"`
		} `json:"applications"`
	}
	rec := mocktest.Serve(s, "POST", "/4.0/profiles", mocktest.ProfileWithApplication)
	require.False(b, rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &p) != nil || len(p.Applications) != 1 || len(p.Applications[0].RequiredTasks) == 0, "create: %d %s", rec.Code, rec.Body)
	prof := "/4.0/profiles/" + p.ID
	app := prof + "/applications/" + p.Applications[0].ID
	task := prof + "/tasks/" + p.Applications[0].RequiredTasks[0].ID
	rec = mocktest.Serve(s, "POST", prof+"/events", `{"data":{"event_type":"PEP_FLAG","match_name":"Ada Lovelace"}}`)
	var ev struct {
		ID string `json:"id"`
	}
	require.False(b, rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &ev) != nil, "event: %d %s", rec.Code, rec.Body)
	event := prof + "/events/" + ev.ID

	tests := []struct {
		name, method, path, body string
	}{
		{"GET_whoami", "GET", "/4.0/whoami", ""},
		{"GET_profiles_search", "GET", "/4.0/profiles?q=ada&limit=10", ""},
		{"GET_profile", "GET", prof, ""},
		{"GET_profile_status", "GET", prof + "/status", ""},
		{"POST_profile_status", "POST", prof + "/status", `"NORMAL"`},
		{"GET_applications", "GET", prof + "/applications", ""},
		{"GET_application", "GET", app, ""},
		{"GET_tasks", "GET", prof + "/tasks", ""},
		{"GET_task", "GET", task, ""},
		{"POST_task", "POST", task, `{"state":"COMPLETED_PASS","is_complete":true}`},
		{"GET_events", "GET", prof + "/events", ""},
		{"GET_event", "GET", event, ""},
		{"POST_profile", "POST", "/4.0/profiles", mocktest.ProfileWithApplication},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			rec := mocktest.Serve(s, tt.method, tt.path, tt.body)
			require.False(b, rec.Code != 200, "%s %s: %d %s", tt.method, tt.path, rec.Code, rec.Body)
			b.ReportAllocs()
			for b.Loop() {
				serveBench(b, s, tt.method, tt.path, tt.body)
			}
		})
	}
	// Adding an application needs a profile without it: one new profile per
	// iteration, created outside the timer.
	b.Run("POST_application", func(b *testing.B) {
		const noApps = `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL","personal_details":{"name":{"given_names":["Ada"],"family_name":"Lovelace"},"dob":"1990-12-10","nationality":"GBR"}},"applications":[]}`
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			var np struct {
				ID string `json:"id"`
			}
			rec := mocktest.Serve(s, "POST", "/4.0/profiles", noApps)
			if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &np) != nil {
				// Inside the loop: the message's arguments are built only on failure.
				require.Failf(b, "create", "%d %s", rec.Code, rec.Body)
			}
			b.StartTimer()
			serveBench(b, s, "POST", "/4.0/profiles/"+np.ID+"/applications", `{"product":{"alias":"forexo_basic"}}`)
		}
	})
}

// serveBench serves one request and fails the benchmark on a non-200.
func serveBench(b *testing.B, s *Server, method, path, body string) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("apikey", DefaultAPIKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 200 {
		// Called in the timed loop: the message's arguments are built only on failure.
		require.Failf(b, "request", "%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
}
