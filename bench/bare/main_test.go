package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHandler(t *testing.T) {
	for _, spin := range []time.Duration{0, time.Millisecond} {
		t.Run(spin.String(), func(t *testing.T) { testHandler(t, spin) })
	}
}

func testHandler(t *testing.T, spin time.Duration) {
	h := handler([]byte(`{"get":1}`), []byte(`{"post":2}`), spin)
	tests := []struct {
		method, body string
		status       int
		want         string
	}{
		{"GET", "", 200, `{"get":1}`},
		{"POST", `{"x":1}`, 200, `{"post":2}`},
		{"DELETE", "", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			rec := httptest.NewRecorder()
			start := time.Now()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, "/4.0/profiles", strings.NewReader(tt.body)))
			if took := time.Since(start); took < spin {
				t.Errorf("answered in %v, want a spin of at least %v", took, spin)
			}
			got, _ := io.ReadAll(rec.Body)
			if rec.Code != tt.status || string(got) != tt.want {
				t.Errorf("%s: got %d %q, want %d %q", tt.method, rec.Code, got, tt.status, tt.want)
			}
			if tt.status == http.StatusOK && rec.Header().Get("Content-Type") != "application/json" {
				t.Errorf("content type: got %q, want application/json", rec.Header().Get("Content-Type"))
			}
		})
	}
}
