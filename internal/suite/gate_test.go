package suite

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/report"
)

// A tag nobody wrote (a typo such as @smok) selects nothing: a usage error
// in one line, not a green run of 0 scenarios.
func TestNoScenarioSelectedIsUsageError(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"features/a.feature": &fstest.MapFile{Data: []byte(addApplication)}}
	_, err := Run(Config{Features: fsys, Output: &bytes.Buffer{}, Tags: "@smok", Seed: 1})
	require.Error(t, err, "a run that selected no scenario passed")
	assert.NotContains(t, err.Error(), "\n")
	assert.Contains(t, err.Error(), "@smok")
}

// An undefined step after a failing one is still a usage error: a typo must
// not hide behind a failure.
func TestUndefinedStepAfterFailureIsUndefined(t *testing.T) {
	t.Parallel()
	feature := "Feature: u\n  Scenario: u\n    When I send a GET request to \"/whoami\"\n    Then the status is 418\n    And a step nobody wrote\n"
	res, out := run(t, map[string]string{"u.feature": feature}, nil)
	require.True(t, res.Failed, out)
	assert.Equal(t, VerdictUndefined, res.Verdict, "reasons: %v\n%s", res.Reasons, out)
	assert.True(t, strings.Contains(strings.Join(res.Reasons, "\n"), "undefined"), "reasons: %v", res.Reasons)
}

// Merge refuses shards that do not make one whole run: a missing shard, a
// repeated one, shards of another split or another selection
// (decision D75, docs/decisions.md).
func TestMergeRefusesIncompleteShards(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	b, err := prepare(Config{Output: &out})
	require.NoError(t, err)
	hash := b.env.Validator.Hash()
	mk := func(id string, shard, tags string, line int) *report.Run {
		sc := report.Scenario{ID: fmt.Sprintf("features/a.feature:%d", line), Name: id, Line: line, Status: report.Passed}
		return &report.Run{ID: id, SpecHash: hash, Target: "m", Selection: &report.Selection{Shard: shard, Tags: tags},
			Features: []report.Feature{{URI: "features/a.feature", Scenarios: []report.Scenario{sc}}}}
	}
	tests := map[string]struct {
		runs []*report.Run
		want string
	}{
		"2 of 3 shards":       {[]*report.Run{mk("r1", "1/3", "", 3), mk("r2", "2/3", "", 4)}, "shard 3/3 is missing"},
		"a shard twice":       {[]*report.Run{mk("r1", "1/2", "", 3), mk("r2", "1/2", "", 4), mk("r3", "2/2", "", 5)}, "shard 1/2 is in runs r1 and r2"},
		"another split":       {[]*report.Run{mk("r1", "1/2", "", 3), mk("r2", "2/3", "", 4)}, "shard 2/3"},
		"another selection":   {[]*report.Run{mk("r1", "1/2", "@smoke", 3), mk("r2", "2/2", "", 4)}, "selected"},
		"a whole run and one": {[]*report.Run{mk("r1", "", "", 3), mk("r2", "2/2", "", 4)}, "no shard"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Merge(Config{Output: &bytes.Buffer{}}, tc.runs...)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "\n")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err = Merge(Config{Output: &bytes.Buffer{}}, mk("r2", "2/2", "", 4), mk("r1", "1/2", "", 3))
	assert.NoError(t, err, "every shard once, in any order")
}

// A shard's run.json records its shard and what selected its scenarios.
func TestRunJSONRecordsShardAndSelection(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fsys := fstest.MapFS{"features/a.feature": &fstest.MapFile{Data: []byte(addApplication)}}
	_, err := Run(Config{Features: fsys, Output: &bytes.Buffer{}, Seed: 1, Shard: Shard{1, 1}, Tags: "@mutating", Name: regexp.MustCompile("forexo"), ReportsDir: dir})
	require.NoError(t, err)
	r, err := ReadRun(dir)
	require.NoError(t, err)
	require.NotNil(t, r.Selection)
	assert.Equal(t, report.Selection{Shard: "1/1", Tags: "@mutating", Name: "forexo"}, *r.Selection)
}

// A write from a scenario without @mutating is the feature's mistake: a
// usage failure (exit 2) that names the tag, never an infrastructure
// failure and never retried (decision D76, docs/decisions.md).
func TestUntaggedWriteIsUsageNeverRetried(t *testing.T) {
	t.Parallel()
	feature := strings.Replace(addApplication, "  @mutating\n", "", 1)
	res, out := run(t, map[string]string{"m.feature": feature}, func(c *Config) { c.Retries = 2 })
	require.True(t, res.Failed, out)
	assert.Equal(t, VerdictUsage, res.Verdict, "reasons %v\n%s", res.Reasons, out)
	assert.Contains(t, out, "verdict: usage")
	assert.Contains(t, out, "tag the scenario @mutating")
	assert.NotContains(t, out, "retry 1 of 2")
	sc := res.Run.Features[0].Scenarios[0]
	assert.Equal(t, report.FailUsage, sc.FailureClass())
	assert.LessOrEqual(t, sc.Attempts, 1)
	for _, f := range sc.Findings() {
		assert.NotEqual(t, "infrastructure", string(f.Class), "finding %s", f)
	}
}

// A step's own assertion (a status the feature did not expect) is the
// verdict "assertion", not "contract" (decision D76, docs/decisions.md).
func TestAssertionVerdictSaysAssertion(t *testing.T) {
	t.Parallel()
	feature := "Feature: a\n  Scenario: a\n    When I send a GET request to \"/whoami\"\n    Then the status is 418\n"
	res, out := run(t, map[string]string{"a.feature": feature}, nil)
	assert.Equal(t, VerdictAssertion, res.Verdict, "reasons %v", res.Reasons)
	assert.Contains(t, out, "verdict: assertion")
}
