package target

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkDoInProcess is the client's own cost per exchange: a GET to a
// trivial in-process handler, redaction and all.
func BenchmarkDoInProcess(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"9f3b1c2e-0000-4000-8000-000000000000","status":"APPLIED"}`)
	})
	c, err := New(Config{BaseURL: "http://mock/4.0", APIKey: testKey, Transport: InProcess(h)})
	require.NoError(b, err)
	ctx := context.Background()
	req := Request{Method: "GET", Path: "/profiles/9f3b1c2e-0000-4000-8000-000000000000/applications"}
	b.ReportAllocs()
	for b.Loop() {
		_, err := c.Do(ctx, req)
		require.NoError(b, err)
	}
}

// BenchmarkRedact redacts a 1 KB JSON body holding no secret (the common
// case) and one holding the key.
func BenchmarkRedact(b *testing.B) {
	r := NewRedactor(testKey, "second-secret-value")
	clean := []byte(`{"items":[` + strings.Repeat(`{"id":"9f3b1c2e-0000-4000","status":"APPLIED"},`, 21) + `{}]}`)
	dirty := []byte(strings.Replace(string(clean), "APPLIED", testKey, 1))
	for name, body := range map[string][]byte{"clean-1KB": clean, "with-key-1KB": dirty} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				r.Bytes(body)
			}
		})
	}
}
