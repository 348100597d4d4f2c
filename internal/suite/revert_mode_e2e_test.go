package suite

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// PASSFORT_MODEL_OPTIONS=revert_mode=new_application make conformance: the
// embedded mock follows the same model, and the whole suite passes with
// every scenario run, as it does in the default mode (decisions D98 and
// D100, docs/decisions.md).
func TestWholeSuiteInNewApplicationMode(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	res, err := Run(Config{Features: os.DirFS("../.."), Output: &out, Seed: 11, Concurrency: 4,
		Target: Target{ModelOptions: "revert_mode=new_application"}})
	require.NoError(t, err)
	require.Equal(t, VerdictPass, res.Verdict, "reasons %v\n%s", res.Reasons, lastBytes(out.String(), 4000))
	c := res.Run.Count()
	assert.Zero(t, c.Skipped, "nothing skipped")
	assert.Positive(t, c.Passed)
	assert.Equal(t, map[string]string{"revert_mode": "new_application"}, res.Run.ModelOptions)
	assert.Contains(t, out.String(), ", model options revert_mode=new_application\n")
}
