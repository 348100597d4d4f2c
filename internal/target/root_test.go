package target

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRootRequestsLeaveTheBasePath(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		root bool
		want string
	}{
		"below the base": {false, "/4.0/profiles"},
		"from the root":  {true, "/profiles"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got string
			c, err := New(Config{BaseURL: "http://mock.test/4.0", Transport: InProcess(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = r.URL.Path
			}))})
			require.NoError(t, err)
			_, err = c.Do(context.Background(), Request{Method: "GET", Path: "/profiles", Root: tc.root})
			require.NoError(t, err)
			require.Equal(t, tc.want, got, "path:")
		})
	}
}
