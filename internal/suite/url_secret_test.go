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

// A password in PASSFORT_BASE_URL is a secret like the key: it reaches no
// console line, report or recording.
func TestBaseURLPasswordIsRedacted(t *testing.T) {
	t.Parallel()
	const key, pw = "url-canary-key-1234", "s3cret-pass-99"
	srv, _, _ := countingServer(t, key)
	dir := t.TempDir()
	base := strings.Replace(srv.URL, "http://", "http://user:"+pw+"@", 1) + "/4.0"
	res, out := run(t, map[string]string{"a.feature": addApplication}, func(c *Config) {
		c.Target.Client = target.Config{BaseURL: base, APIKey: key}
		c.Target.Record = filepath.Join(dir, "run.cassette.json")
		c.ReportsDir = dir
	})
	require.False(t, res.Failed, "run failed:\n%s", out)
	assert.NotContains(t, out, pw)
	assert.NotContains(t, res.Run.Target, pw)
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, string(data), pw, "%s: contains the password", filepath.Base(f))
	}
}
