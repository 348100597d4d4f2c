package suite

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/drift"
)

// committedBaseline is the embedded mock's drift baseline, which `make
// drift` gates a default run with.
var committedBaseline = filepath.Join("..", "..", "spec", "drift-baseline.yaml")

// A default run against the embedded mock passes `make drift` as committed:
// the baseline accepts every drift entry the run reports, and every
// acceptance is still needed (an unused one is drift the mock fixed, or an
// entry of an operation that is gone). Expiry is left to `make drift`: it is
// there to make a person look again on a date, and a test that starts
// failing on a date with nothing changed would fail everyone's build.
// The baseline once stayed at 19 operations while the API grew to 49 and a
// clean run failed the gate with 214 new entries; loading the file alone
// (drift's TestCommittedBaselineLoads) did not notice.
func TestDefaultRunDriftIsAccepted(t *testing.T) {
	t.Parallel()
	b, err := drift.LoadBaseline(committedBaseline)
	require.NoError(t, err)
	res, _ := defaultRun(t)
	require.False(t, res.Failed, "the default run failed: %s", strings.Join(res.Reasons, "; "))
	require.NotNil(t, res.Drift, "the run wrote no drift report")

	v := drift.Gate(res.Drift, b, drift.GateOptions{}, time.Now())
	assert.Empty(t, entryLines(v.New), "drift of a default run that %s does not accept (review, then `go run ./cmd/drift accept` after `make conformance`)", committedBaseline)
	assert.Empty(t, acceptanceLines(v.Unused), "acceptances in %s a default run does not need (remove them)", committedBaseline)
}

// entryLines is one line per drift entry, as the gate prints it.
func entryLines(es []drift.Entry) []string {
	lines := make([]string, 0, len(es))
	for _, e := range es {
		lines = append(lines, e.String())
	}
	return lines
}

// acceptanceLines is one line per acceptance, with its line in the baseline.
func acceptanceLines(as []drift.Accepted) []string {
	lines := make([]string, 0, len(as))
	for _, a := range as {
		lines = append(lines, fmt.Sprintf("%s (line %d)", a, a.Line))
	}
	return lines
}
