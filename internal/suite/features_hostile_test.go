package suite

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 16 item 15: a line over 64 KiB is a one-line error, not a panic in
// the Gherkin parser.
func TestFeatureLongLineIsAnError(t *testing.T) {
	t.Parallel()
	long := "Feature: long\n  Scenario: s\n    When I send a GET request to \"/" + strings.Repeat("a", 70<<10) + "\"\n    Then the status is 404\n"
	fsys := fstest.MapFS{"features/long.feature": &fstest.MapFile{Data: []byte(long)}}
	var res *Result
	var err error
	require.NotPanics(t, func() { res, err = Run(Config{Features: fsys, Output: &bytes.Buffer{}}) })
	require.Error(t, err)
	assert.Nil(t, res)
	assert.Contains(t, err.Error(), "features/long.feature: line 3")
	assert.NotContains(t, err.Error(), "\n")
}

// Issue 16 item 15: a feature file starting with a UTF-8 byte-order mark
// parses as without it.
func TestFeatureWithByteOrderMark(t *testing.T) {
	t.Parallel()
	res, out := run(t, map[string]string{"bom.feature": "\xEF\xBB\xBF" + addApplication}, nil)
	require.False(t, res.Failed, out)
	assert.Positive(t, res.Run.Count().Total)
}
