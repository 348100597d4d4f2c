package suite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/target"
)

// A key in a scenario or outline name reaches neither the
// names godog reports (go test -v subtests) nor the cassette.
func TestKeyInScenarioNameIsRedacted(t *testing.T) {
	t.Parallel()
	const key = "name-key-31337"
	feature := `Feature: named
  Scenario: Uses ` + key + ` in its name
    When I send a GET request to "/whoami"
    Then the status is 200

  Scenario Outline: Outline ` + key + ` row <n>
    When I send a GET request to "/whoami"
    Then the status is 200

    Examples: rows of ` + key + `
      | n |
      | 1 |
`
	dir := t.TempDir()
	cassette := filepath.Join(dir, "c.json")
	res, out := run(t, map[string]string{"a.feature": feature}, func(c *Config) {
		c.Target.Client = target.Config{APIKey: key}
		c.Target.Mock.APIKey = key
		c.Target.Record = cassette
	})
	require.False(t, res.Failed, out)
	assert.Equal(t, 2, res.Run.Count().Total)
	data, err := os.ReadFile(cassette)
	require.NoError(t, err)
	assert.False(t, strings.Contains(string(data), key), "the cassette holds the key")
	for _, sc := range res.Run.Features[0].Scenarios {
		assert.NotContains(t, sc.Name, key)
	}
	assert.NotContains(t, out, key)
}
