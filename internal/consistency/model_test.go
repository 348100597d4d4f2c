package consistency

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/spec"
)

// TestLoadRefusesABadModel: a model whose rules and this package's checks
// differ, or a rule without its source, is refused in one line.
func TestLoadRefusesABadModel(t *testing.T) {
	t.Parallel()
	good := string(spec.Consistency)
	cases := map[string]struct {
		model, want string
	}{
		"a rule without a check":   {good + "  - {name: no-such-rule, description: x, decided: D66}\n", `rule "no-such-rule" has no check`},
		"a check without a rule":   {without(good, "immutable-role"), `check "immutable-role" is not in the model`},
		"documented and decided":   {strings.Replace(good, "decided: D69", "decided: D69\n    documented: x", 1), "want exactly one of documented and decided"},
		"neither":                  {strings.Replace(good, "    decided: D68\n", "", 1), "want exactly one of documented and decided"},
		"a decision that is no id": {strings.Replace(good, "decided: D67", "decided: sixty-seven", 1), "is not a decision id"},
		"a rule named twice":       {good + "  - {name: immutable-id, description: x, decided: D66}\n", `rule "immutable-id" named twice`},
		"not yaml":                 {"rules: [", "consistency model:"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Load([]byte(tc.model))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "\n")
		})
	}
	_, err := Load(spec.Consistency)
	require.NoError(t, err)
}

// TestObserveJudgesOnlySuccesses: an error answer or a transport failure
// says nothing about the resource, so it is neither judged nor remembered.
func TestObserveJudgesOnlySuccesses(t *testing.T) {
	t.Parallel()
	m, err := Default()
	require.NoError(t, err)
	c := m.NewChecker()
	wrongID := `{"id":"` + xid + `"}`
	for _, ex := range []*exchange.Exchange{
		{Method: "GET", Path: "/profiles/" + pid + "/tasks/" + tid, Status: 404, ResponseBody: []byte(wrongID)},
		{Method: "GET", Path: "/profiles/" + pid + "/tasks/" + tid, Err: "timeout: no answer", ResponseBody: []byte(wrongID)},
		{Method: "GET", Path: "/profiles/" + pid + "/tasks/" + tid, Status: 200, ResponseBody: []byte("{not json")},
	} {
		assert.Empty(t, c.Observe(ex, getTask))
	}
	assert.Empty(t, c.res)
}

// without returns the model without the rule of that name.
func without(model, name string) string {
	start := strings.Index(model, "  - name: "+name+"\n")
	end := strings.Index(model[start+1:], "  - name: ") + start + 1
	return model[:start] + model[end:]
}
