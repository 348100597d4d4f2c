package contract

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestUndocumentedOperationOneLine pins a fuzz find (FuzzCheckRequest,
// testdata/fuzz/FuzzCheckRequest/newline-in-path): a control character in
// the method or path of an undocumented operation broke the finding's line.
func TestUndocumentedOperationOneLine(t *testing.T) {
	t.Parallel()
	v := mini(t)
	for _, tc := range []struct{ method, path, want string }{
		{"0", "\n", `0 \n`},
		{"GET", "/nope\r\x00", `GET /nope\r\x00`},
		{"GET", "/nöpe", "GET /nöpe"},
	} {
		got := v.CheckRequest(tc.method, tc.path, http.Header{}, nil)
		if assert.Len(t, got, 1, "CheckRequest(%q, %q)", tc.method, tc.path) {
			assert.Equal(t, tc.want, got[0].Operation, "CheckRequest(%q, %q)", tc.method, tc.path)
			assert.False(t, strings.ContainsAny(got[0].String(), "\r\n\x00"), "CheckRequest(%q, %q): %q: want one line", tc.method, tc.path, got[0])
		}
		resp := v.CheckResponse(jsonExchange(tc.method, tc.path, 404, []byte(`{"errors":[{"code":1,"message":"x"}]}`)))
		if assert.Len(t, resp, 1, "CheckResponse(%q, %q)", tc.method, tc.path) {
			assert.Equal(t, tc.want, resp[0].Operation, "CheckResponse(%q, %q)", tc.method, tc.path)
		}
	}
}
