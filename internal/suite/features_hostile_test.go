package suite

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A line over 64 KiB is a one-line error, not a panic in
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

// A feature file starting with a UTF-8 byte-order mark
// parses as without it.
func TestFeatureWithByteOrderMark(t *testing.T) {
	t.Parallel()
	res, out := run(t, map[string]string{"bom.feature": "\xEF\xBB\xBF" + addApplication}, nil)
	require.False(t, res.Failed, out)
	assert.Positive(t, res.Run.Count().Total)
}

// A features folder outside the working directory, named by
// an absolute path, runs as go test and make conformance name it.
func TestFeaturesFolderAnywhere(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.feature"), []byte(addApplication), 0o600))
	files, err := loadFeatures(os.DirFS("."), []string{dir}, "")
	require.NoError(t, err)
	require.Len(t, files, 1)
	assert.Equal(t, filepath.ToSlash(filepath.Join(dir, "a.feature")), files[0].URI)

	var out bytes.Buffer
	res, err := Run(Config{Paths: []string{dir}, Output: &out, Seed: 1})
	require.NoError(t, err, out.String())
	assert.False(t, res.Failed, out.String())
	assert.Equal(t, 1, res.Run.Count().Total)
}
