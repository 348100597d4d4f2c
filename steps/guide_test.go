package steps

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/target"
)

// The guide's JSON expectations, failing with what they got and what they
// wanted (decision D79, docs/decisions.md).
func TestGuideJSONExpectations(t *testing.T) {
	t.Parallel()
	body := `{"status":"REJECTED","tags":["watch","vip"],"name":"Jane Doe","n":3,"obj":{}}`
	tests := map[string]struct {
		step    func(context.Context, string, string) error
		path    string
		literal string
		wantErr string // "" for a pass
	}{
		"differs":                  {jsonNotEquals, "status", `"APPLIED"`, ""},
		"equal is refused":         {jsonNotEquals, "status", `"REJECTED"`, `got "REJECTED", want anything else`},
		"nothing is not a value":   {jsonNotEquals, "missing", `"x"`, "got nothing"},
		"array has":                {jsonContains, "tags", `"vip"`, ""},
		"array lacks":              {jsonContains, "tags", `"gold"`, `want it to contain "gold"`},
		"text has":                 {jsonContains, "name", `"Doe"`, ""},
		"text lacks":               {jsonContains, "name", `"Smith"`, `want it to contain "Smith"`},
		"number is not a list":     {jsonContains, "n", `3`, "want a string or an array"},
		"array does not have":      {jsonDoesNotContain, "tags", `"gold"`, ""},
		"array has, refused":       {jsonDoesNotContain, "tags", `"watch"`, `want it not to contain "watch"`},
		"text does not have":       {jsonDoesNotContain, "name", `"Smith"`, ""},
		"not JSON":                 {jsonContains, "tags", `vip`, "not JSON"},
		"non-string in text":       {jsonContains, "name", `1`, "want an array"},
		"absent path for contains": {jsonDoesNotContain, "missing", `"x"`, "got nothing"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := NewWorld(&Env{})
			c, err := target.New(target.Config{BaseURL: "http://127.0.0.1:9/4.0"}) // never sent to
			require.NoError(t, err)
			w.Attach(c)
			w.last = &exchange.Exchange{Status: 200, ResponseBody: []byte(body)}
			err = tc.step(WithWorld(context.Background(), w), tc.path, tc.literal)
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}
