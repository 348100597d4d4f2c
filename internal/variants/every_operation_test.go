package variants_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/variants"
)

// Generation follows the whole contract: every operation of the parsed
// document (not only those NamesOf can name) gets a valid minimal variant,
// and the two authentication variants when it needs a key, whatever its
// age in the contract.
func TestVariantsCoverEveryOperation(t *testing.T) {
	t.Parallel()
	doc, err := apispec.Embedded()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(doc.Operations()), 49, "the contract's operations")
	set, err := variants.GenerateSet(doc.OpenAPI(), variants.Options{Seed: 1})
	require.NoError(t, err)
	rules := map[string]map[string]bool{} // operation → rules
	for _, v := range set.Variants {
		if rules[v.Operation] == nil {
			rules[v.Operation] = map[string]bool{}
		}
		rules[v.Operation][v.Rule] = true
	}
	for _, o := range doc.Operations() {
		got := rules[o.Key()]
		if !assert.NotEmpty(t, got, "%s: no variants", o.Key()) {
			continue
		}
		assert.True(t, got[variants.RuleValidMinimal], "%s: no %s variant", o.Key(), variants.RuleValidMinimal)
		assert.True(t, got[variants.RuleMissingAPIKey], "%s: no %s variant", o.Key(), variants.RuleMissingAPIKey)
		// Every operation that takes a body or a parameter gets an invalid
		// variant beyond the key.
		if o.Op.RequestBody != nil || len(o.Op.Parameters)+len(o.Item.Parameters) > 0 {
			invalid := false
			for _, v := range set.Variants {
				invalid = invalid || v.Operation == o.Key() && !v.Valid && v.Rule != variants.RuleMissingAPIKey && v.Rule != variants.RuleWrongAPIKey
			}
			assert.True(t, invalid, "%s: no invalid variant but the key's", o.Key())
		}
	}
	assert.Len(t, rules, len(doc.Operations()), "variants of operations the document does not have")
}
