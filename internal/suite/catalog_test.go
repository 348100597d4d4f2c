package suite

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/catalog"
)

// A real account's catalogue (PASSFORT_CATALOG) maps the suite's product
// roles to the account's aliases; a scenario needing a role the account
// lacks is skipped with the reason.
func TestAccountCatalogMapsRoles(t *testing.T) {
	t.Parallel()
	const account = `products:
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
	path := filepath.Join(t.TempDir(), "account.yaml")
	require.NoError(t, os.WriteFile(path, []byte(account), 0o644))
	cat, err := catalog.LoadFile(path)
	require.NoError(t, err)
	const feature = `Feature: roles
  @mutating
  Scenario: the basic product is the account's own
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then the status is 200
    And the JSON at "product.alias" equals "acme_basic"

  @mutating
  Scenario: the account has no multi-task product
    Given an INDIVIDUAL profile
    When I add the product "forexo_plus" to the profile
    Then the status is 200
`
	res, out := run(t, map[string]string{"r.feature": feature}, func(c *Config) {
		c.CatalogPath = path
		c.Target.Mock.Catalog = cat // the "account" behind the target
	})
	c := res.Run.Count()
	require.EqualValues(t, 1, c.Passed, "console:\n%s", out)
	require.EqualValues(t, 1, c.Skipped, "console:\n%s", out)
	require.False(t, res.Failed, "got %+v failed=%v, want 1 passed and 1 skipped:\n%s", c, res.Failed, out)
	skipped := res.Run.Features[0].Scenarios[1]
	assert.Contains(t, skipped.Error, "multi_task_individual")
	assert.Contains(t, out, "--- SKIP: the account has no multi-task product")
}
