package suite

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
