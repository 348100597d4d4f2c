package target

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The in-process transport fails like a socket: a handler that hijacks and
// closes the connection reads as refused; an answer after the client gave up
// reads as a timeout.
func TestInProcessFailsLikeASocket(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		h    http.HandlerFunc
		want string
	}{
		"dropped connection": {func(w http.ResponseWriter, r *http.Request) {
			c, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				c.Close()
			}
		}, "refused"},
		"answer after the timeout": {func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
			w.Write([]byte("{}"))
		}, "timeout"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := New(Config{BaseURL: "http://mock.test/4.0", Transport: InProcess(tc.h), Timeout: 100 * time.Millisecond, MaxRetries: -1})
			require.NoError(t, err)
			_, err = c.Do(context.Background(), Request{Method: "GET", Path: "/whoami"})
			terr, ok := err.(*Error)
			require.True(t, ok)
			require.Equal(t, tc.want, terr.Kind)
		})
	}
}
