package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			assert.GreaterOrEqual(t, time.Since(start), spin, "answered faster than the spin")
			got, err := io.ReadAll(rec.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.status, rec.Code, "%s: status", tt.method)
			assert.Equal(t, tt.want, string(got), "%s: body", tt.method)
			if tt.status == http.StatusOK {
				assert.Equal(t, "application/json", rec.Header().Get("Content-Type"), "content type")
			}
		})
	}
}
