package suite

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The other key of "with the API key X" is redacted like
// the real one in every report, the console and the cassette, in step
// texts and in errors (here a failing step quotes it).
func TestOtherKeyIsRedacted(t *testing.T) {
	t.Parallel()
	const other = "other-key-4242"
	feature := `Feature: other key
  Scenario: A wrong key is refused
    When I send a GET request to "/whoami" with the API key "` + other + `"
    Then the status is 401

  Scenario: A failing step quotes the other key
    When I send a GET request to "/whoami" with the API key "` + other + `"
    Then the status is 200
`
	dir := t.TempDir()
	res, out := run(t, map[string]string{"a.feature": feature}, func(c *Config) {
		c.ReportsDir = dir
		c.Target.Record = filepath.Join(dir, "run.cassette.json")
	})
	require.True(t, res.Failed, "the second scenario fails:\n%s", out)
	assert.NotContains(t, out, other)
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	require.NotEmpty(t, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, string(data), other, "%s: holds the other key", filepath.Base(f))
	}
}
