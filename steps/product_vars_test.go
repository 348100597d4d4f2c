package steps

import (
	"errors"
	"testing"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/catalog"
)

// accountCatalog is an account that offers one product, under its own names,
// for the suite's basic_individual role.
const accountCatalog = `products:
  - alias: acme_basic
    id: 11111111-2222-3333-4444-555555555555
    name: ACME Basic
    roles: [basic_individual]
    entity_type: INDIVIDUAL
    automatically_apply: false
    automatically_approve: false
    outcome: MANUAL_REVIEW
    required_tasks:
      - task_type: INDIVIDUAL_VERIFY_IDENTITY
        variant_id: 11111111-2222-3333-4444-666666666666
        name: Verify identity
`

// productEnv is a suite's Env on an account whose catalogue is the YAML
// account, with the mock's default catalogue beside it.
func productEnv(t *testing.T, account string) *Env {
	t.Helper()
	acct, err := catalog.Load([]byte(account))
	require.NoError(t, err)
	mockCat, err := catalog.Default()
	require.NoError(t, err)
	return &Env{Catalog: acct, MockCatalog: mockCat}
}

// {{product.ROLE.FIELD}} names the target's product of the role, in any
// text a step expands; a role or field nobody knows is a usage error naming
// the known ones, and a role only the suite's catalogue has skips the
// scenario as the domain steps do.
func TestProductVariables(t *testing.T) {
	t.Parallel()
	w := NewWorld(productEnv(t, accountCatalog))
	w.setVar("profile_id", "p1")
	tests := map[string]struct {
		in, want string
		usage    bool // the error wraps ErrUsage
		skip     bool // the error wraps godog.ErrSkip
		err      string
	}{
		"alias":                  {in: `{"product": {"alias": "{{product.basic_individual.alias}}"}}`, want: `{"product": {"alias": "acme_basic"}}`},
		"id":                     {in: "{{ product.basic_individual.id }}", want: "11111111-2222-3333-4444-555555555555"},
		"name":                   {in: "{{product.basic_individual.name}}", want: "ACME Basic"},
		"with a saved one":       {in: "/profiles/{{profile_id}}?p={{product.basic_individual.alias}}", want: "/profiles/p1?p=acme_basic"},
		"unknown role":           {in: "{{product.gold.alias}}", usage: true, err: `variable {{product.gold.alias}}: got role "gold", want one of basic_individual`},
		"unknown field":          {in: "{{product.basic_individual.colour}}", usage: true, err: `got field "colour", want alias, id, name`},
		"no field":               {in: "{{product.basic_individual}}", usage: true, err: "want {{product.ROLE.FIELD}} with a role of basic_individual and a field of alias, id, name"},
		"too deep":               {in: "{{product.basic_individual.alias.x}}", usage: true, err: "want {{product.ROLE.FIELD}}"},
		"role the account lacks": {in: "{{product.escalation.alias}}", skip: true, err: "the target's catalogue has no product for role escalation"},
		"unset variable":         {in: "{{nope}}", err: "variable {{nope}}: not set; set: profile_id"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := w.expand(tc.in)
			if tc.err == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
			assert.Equal(t, tc.usage, errors.Is(err, ErrUsage), "wraps ErrUsage: %v", err)
			assert.Equal(t, tc.skip, errors.Is(err, godog.ErrSkip), "wraps godog.ErrSkip: %v", err)
		})
	}
}

// With the default catalogue the variables are the mock's own products.
func TestProductVariablesOnTheMock(t *testing.T) {
	t.Parallel()
	mockCat, err := catalog.Default()
	require.NoError(t, err)
	w := NewWorld(&Env{Catalog: mockCat, MockCatalog: mockCat})
	got, err := w.expand("{{product.company.alias}} {{product.basic_individual.id}}")
	require.NoError(t, err)
	assert.Equal(t, "forexo_business b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8", got)
}

// A generated body names the spec example's mock product; on an account
// with its own catalogue it is sent with the account's product of the same
// role, and nothing else in it changes.
func TestTargetProducts(t *testing.T) {
	t.Parallel()
	w := NewWorld(productEnv(t, accountCatalog))
	tests := map[string]struct{ in, want string }{
		"by alias": {`{"applications": [{"product": {"alias": "forexo_basic"}}], "x": "forexo_basic "}`,
			`{"applications": [{"product": {"alias": "acme_basic"}}], "x": "forexo_basic "}`},
		"by id": {`{"product": {"id": "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8"}}   `,
			`{"product": {"id": "11111111-2222-3333-4444-555555555555"}}   `},
		"unknown alias kept": {`{"product": {"alias": "forexo_gold"}}`, `{"product": {"alias": "forexo_gold"}}`},
		"not a product":      {`{"alias": "forexo_basic"}`, `{"alias": "forexo_basic"}`},
		"not JSON":           {`{"product": {"alias": "forexo_basic"`, `{"product": {"alias": "forexo_basic"`},
	}
	for name, tc := range tests {
		got, err := w.targetProducts([]byte(tc.in))
		require.NoError(t, err, name)
		assert.Equal(t, tc.want, string(got), name)
	}
	_, err := w.targetProducts([]byte(`{"product": {"alias": "forexo_private"}}`))
	assert.ErrorIs(t, err, godog.ErrSkip, "a product whose role the account lacks")
}

// swappedCatalog is an account whose aliases are the mock's, each on the
// other's role: a feature's "forexo_basic" means the account's product for
// basic_individual, which the account calls forexo_instant.
const swappedCatalog = `products:
  - alias: forexo_instant
    id: 11111111-2222-3333-4444-555555555555
    name: Swapped Basic
    roles: [basic_individual]
    entity_type: INDIVIDUAL
    automatically_apply: false
    automatically_approve: false
    outcome: MANUAL_REVIEW
    required_tasks:
      - task_type: INDIVIDUAL_VERIFY_IDENTITY
        variant_id: 11111111-2222-3333-4444-666666666666
        name: Verify identity
  - alias: forexo_basic
    id: 11111111-2222-3333-4444-777777777777
    name: Swapped Instant
    roles: [auto_approve]
    entity_type: INDIVIDUAL
    automatically_apply: false
    automatically_approve: true
    outcome: AUTOMATIC_APPROVAL
    required_tasks:
      - task_type: INDIVIDUAL_VERIFY_IDENTITY
        variant_id: 11111111-2222-3333-4444-888888888888
        name: Verify identity
`

// A mock alias is mapped by its role even where the account uses the same
// alias for another role, and a generated body naming two products swaps
// each once: replacing one after the other would turn the first product
// into the second and back.
func TestTargetProductsMapByRole(t *testing.T) {
	t.Parallel()
	w := NewWorld(productEnv(t, swappedCatalog))
	p, err := w.product("forexo_basic")
	require.NoError(t, err)
	assert.Equal(t, "forexo_instant", p.Alias, "the account's product for forexo_basic's role")
	got, err := w.targetProducts([]byte(`{"applications": [{"product": {"alias": "forexo_basic"}}, {"product": {"alias": "forexo_instant"}}]}`))
	require.NoError(t, err)
	assert.Equal(t, `{"applications": [{"product": {"alias": "forexo_instant"}}, {"product": {"alias": "forexo_basic"}}]}`, string(got))
}
