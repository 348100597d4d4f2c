package exchange

import (
	"net/http"
	"testing"
)

func TestContentType(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		header http.Header
		want   string
	}{
		"with parameters": {http.Header{"Content-Type": {"application/json; charset=utf-8"}}, "application/json"},
		"bare":            {http.Header{"Content-Type": {"text/plain"}}, "text/plain"},
		"none":            {http.Header{}, ""},
		"nil header":      {nil, ""},
	}
	for name, tc := range tests {
		ex := &Exchange{ResponseHeader: tc.header}
		if got := ex.ContentType(); got != tc.want {
			t.Errorf("%s: ContentType() = %q, want %q", name, got, tc.want)
		}
	}
}
