package mockscope

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOf(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ header, want string }{
		"none":           {"", ""},
		"a scope":        {"run/scenario/1", "run/scenario/1"},
		"at the bound":   {strings.Repeat("s", MaxLen), strings.Repeat("s", MaxLen)},
		"over the bound": {strings.Repeat("s", MaxLen+1), ""},
	} {
		r := httptest.NewRequest("GET", "/4.0/whoami", nil)
		if tc.header != "" {
			r.Header.Set(Header, tc.header)
		}
		assert.Equal(t, tc.want, Of(r), name)
	}
}
