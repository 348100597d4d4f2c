package lifecycle

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reject forexo_basic, add it again, revert the old rejection: a target
// that answers the revert leaves two open forexo_basic applications, which
// one-open-application-per-product catches wherever the profile's
// applications show together (decision D87, docs/decisions.md).
func TestOneOpenApplicationPerProduct(t *testing.T) {
	t.Parallel()
	const second = "aaaaaaaa-0000-0000-0000-000000000000"
	open1, open2 := newApp(appID), newApp(second)
	rejected := newApp(appID).move("REJECTED", "DECIDED")
	hidden := newApp(appID)
	hidden.Hidden = true
	other := newApp(second).product("forexo_premium", "c0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8")
	list := func(apps ...*tApp) []byte {
		b := []byte("[")
		for i, a := range apps {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, a.json()...)
		}
		return append(b, ']')
	}
	tests := map[string]struct {
		ex      obs
		pointer string // "": no finding
	}{
		"two open in a list":       {obs{xch("GET", "/profiles/"+profileID+"/applications", "", 200, list(open1, open2)), opListApps}, "/1"},
		"two open in a profile":    {obs{xch("GET", "/profiles/"+profileID, "", 200, []byte(`{"id":"`+profileID+`","applications":`+string(list(open1, open2))+`}`)), opGetProf}, "/applications/1"},
		"one rejected, one open":   {obs{xch("GET", "/profiles/"+profileID+"/applications", "", 200, list(rejected, open2)), opListApps}, ""},
		"one hidden, one open":     {obs{xch("GET", "/profiles/"+profileID+"/applications", "", 200, list(hidden, open2)), opListApps}, ""},
		"two products":             {obs{xch("GET", "/profiles/"+profileID+"/applications", "", 200, list(open1, other)), opListApps}, ""},
		"two profiles in the list": {obs{xch("GET", "/profiles?limit=2", "", 200, []byte(`{"count":2,"limit":2,"offset":0,"results":[{"id":"p1","applications":`+string(list(open1))+`},{"id":"p2","applications":`+string(list(open2))+`}]}`)), opListProfs}, ""},
	}
	m := model(t)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fs := m.NewChecker().Observe(tc.ex.ex, tc.ex.op)
			if tc.pointer == "" {
				wantRules(t, m, fs)
				return
			}
			wantRules(t, m, fs, invOneOpenPerProduct)
			require.Len(t, fs, 1)
			assert.Equal(t, tc.pointer, fs[0].Pointer)
			assert.Contains(t, fs[0].Message, "forexo_basic")
		})
	}
}
