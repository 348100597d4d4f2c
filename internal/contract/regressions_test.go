package contract

import (
	"net/http"
	"strings"
	"testing"
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
		if len(got) != 1 || got[0].Operation != tc.want || strings.ContainsAny(got[0].String(), "\r\n\x00") {
			t.Errorf("CheckRequest(%q, %q): got %q, want one finding for operation %q on one line", tc.method, tc.path, got, tc.want)
		}
		resp := v.CheckResponse(jsonExchange(tc.method, tc.path, 404, []byte(`{"errors":[{"code":1,"message":"x"}]}`)))
		if len(resp) != 1 || resp[0].Operation != tc.want {
			t.Errorf("CheckResponse(%q, %q): got %q, want one finding for operation %q", tc.method, tc.path, resp, tc.want)
		}
	}
}
