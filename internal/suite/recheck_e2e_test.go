package suite

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/target"
)

// PASSFORT_RECORD=c.json make conformance && make recheck CASSETTE=c.json:
// the re-check of a passing default run passes (decision D77,
// docs/decisions.md).
func TestRecheckOfPassingDefaultRunPasses(t *testing.T) {
	t.Parallel()
	cassette := filepath.Join(t.TempDir(), "c.json")
	var out bytes.Buffer
	res, err := Run(Config{Features: os.DirFS("../.."), Output: &out, Seed: 5, Concurrency: 4, Target: Target{Record: cassette}})
	require.NoError(t, err)
	require.Equal(t, VerdictPass, res.Verdict, "the recorded run: %v", res.Reasons)
	c, err := target.ReadCassette(cassette)
	require.NoError(t, err)
	var console bytes.Buffer
	again, err := Recheck(c, Config{Output: &console})
	require.NoError(t, err)
	assert.Equal(t, VerdictPass, again.Verdict, "reasons %v\n%s", again.Reasons, lastBytes(console.String(), 4000))
	assert.Equal(t, int64(5), again.Run.Seed, "the re-check names the recorded run's seed")
	for _, e := range c.Exchanges {
		assert.NotContains(t, e.Path, "/__mock/", "the cassette holds a control call of the mock")
	}
}

func lastBytes(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
