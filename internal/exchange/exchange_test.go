package exchange

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
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
		assert.Equal(t, tc.want, ex.ContentType(), name)
	}
}
