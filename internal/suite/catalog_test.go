package suite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	if err := os.WriteFile(path, []byte(account), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
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
	if c := res.Run.Count(); c.Passed != 1 || c.Skipped != 1 || res.Failed {
		t.Fatalf("got %+v failed=%v, want 1 passed and 1 skipped:\n%s", c, res.Failed, out)
	}
	skipped := res.Run.Features[0].Scenarios[1]
	if !strings.Contains(skipped.Error, "multi_task_individual") || !strings.Contains(out, "--- SKIP: the account has no multi-task product") {
		t.Errorf("skip reason: got %q, want it to name the missing role, and on the console:\n%s", skipped.Error, out)
	}
}
