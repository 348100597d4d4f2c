package suite

import (
	"bytes"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/fidelity"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/target"
)

// make fidelity between the embedded and the standalone run of the same
// mock finds no difference: what differs by design (ids, timestamps, run
// ids, scopes) is normalised (decision D77, docs/decisions.md).
func TestFidelityOfTheSameMockIsEqual(t *testing.T) {
	t.Parallel()
	cfg := func(out *bytes.Buffer) Config {
		return Config{Features: os.DirFS("../.."), Output: out, Seed: 7, Concurrency: 4}
	}
	var o1, o2 bytes.Buffer
	embedded, err := Run(cfg(&o1))
	require.NoError(t, err)
	require.Equal(t, VerdictPass, embedded.Verdict, "embedded: %v", embedded.Reasons)
	m, err := mockstack.New(mockstack.Options{})
	require.NoError(t, err)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	c := cfg(&o2)
	c.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: mock.DefaultAPIKey}
	standalone, err := Run(c)
	require.NoError(t, err)
	require.Equal(t, VerdictPass, standalone.Verdict, "standalone: %v", standalone.Reasons)
	res := fidelity.Compare(embedded.Run, standalone.Run)
	var text bytes.Buffer
	require.NoError(t, fidelity.WriteText(&text, res))
	assert.Empty(t, res.Differences, "%s", lastBytes(text.String(), 6000))
	assert.Greater(t, res.Compared, 100)
}
