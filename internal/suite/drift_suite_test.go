package suite

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
)

// The whole default suite against cmd/passfort-mock -drift over HTTP (the
// same stack, mockstack with Drift) gets past the preflight, runs every
// scenario and reports the planted drift; only the planted undocumented
// status fails the scenarios that see it (decision D78, docs/decisions.md).
func TestWholeSuiteAgainstTheDriftSwitch(t *testing.T) {
	t.Parallel()
	m, err := mockstack.New(mockstack.Options{Drift: true})
	require.NoError(t, err)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	var out bytes.Buffer
	cfg := Config{Features: os.DirFS("../.."), Output: &out, Seed: 11, Concurrency: 4, ReportsDir: dir}
	cfg.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: mock.DefaultAPIKey}
	res, err := Run(cfg)
	require.NoError(t, err, "the run stopped: %v", err)
	// The planted undocumented status is a contract break the SDK can
	// break on: the scenarios that see it fail on it, and on nothing else.
	assert.Equal(t, VerdictContract, res.Verdict, "reasons %v\n%s", res.Reasons, lastBytes(out.String(), 5000))
	assert.Zero(t, res.Run.Count().Undefined+res.Run.Count().Skipped, "every scenario ran")
	failing := 0
	for _, f := range res.Run.Findings() {
		if f.Fails() {
			failing++
			assert.Equal(t, "contract undocumented-status GET /tags/search/{term}", string(f.Class)+" "+f.Kind+" "+f.Operation, "a failure the switch did not plant: %s", f)
		}
	}
	assert.Positive(t, failing, "the planted status fails the tag-search scenarios")
	// The console of a failing whole run: each failing scenario once, the
	// verdict last (decision D106, docs/decisions.md).
	assertConsoleListsEachOnce(t, res, out.String())
	md, err := os.ReadFile(filepath.Join(dir, report.SummaryFile))
	require.NoError(t, err)
	assert.Contains(t, string(md), "## ❌ PassFort conformance: contract")
	rep, err := drift.ReadReport(filepath.Join(dir, "drift.json"))
	require.NoError(t, err)
	kinds := map[string]bool{}
	for _, e := range rep.Entries {
		kinds[string(e.Class)+" "+e.Kind] = true
	}
	assert.True(t, kinds["drift undocumented-field"], "entries %v", kinds)
	assert.True(t, kinds["drift unknown-enum-value"], "entries %v", kinds)
	assert.True(t, kinds["contract undocumented-status"], "entries %v", kinds)
}
