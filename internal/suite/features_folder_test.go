package suite

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A features folder that is missing, holds no .feature file or no
// scenario is named in the error as the user gave it (cmd/conformance's
// -features reads it as the file system "." under that name), not as ".".
func TestFeaturesFolderErrorsNameTheFolder(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	noScenario := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(noScenario, "a.feature"), []byte("Feature: nothing yet\n"), 0o600))
	missing := filepath.Join(t.TempDir(), "nonexistent")
	tests := map[string]struct{ dir, want string }{
		"missing":     {missing, "features: " + filepath.ToSlash(missing) + ": no such file or directory"},
		"empty":       {empty, "features: got no .feature file under " + filepath.ToSlash(empty) + ", want at least one"},
		"no scenario": {noScenario, "features: got no scenario under " + filepath.ToSlash(noScenario) + ", want at least one"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			_, err := Run(Config{Features: os.DirFS(tc.dir), Paths: []string{"."}, FeatureBase: filepath.ToSlash(tc.dir), Output: &out, Seed: 1})
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// A run that selects nothing names only what was given to select with:
// no tags given is not `tags ""`.
func TestNoScenarioSelectedNamesTheSelection(t *testing.T) {
	t.Parallel()
	var errs []string
	for _, shard := range []Shard{{1, 2}, {2, 2}} {
		var out bytes.Buffer
		fsys := fstest.MapFS{"features/a.feature": &fstest.MapFile{Data: []byte(addApplication)}}
		_, err := Run(Config{Features: fsys, Output: &out, Seed: 1, Shard: shard})
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	require.Len(t, errs, 1, "one scenario: one of two shards is empty")
	assert.Regexp(t, `^features: got no scenario selected by shard [12]/2, want at least one$`, errs[0])
	assert.Equal(t, "features: got no scenario to run, want at least one", noScenarioRun(Config{}).Error())
	assert.Equal(t, `features: got no scenario selected by tags "@nope", want at least one`, noScenarioRun(Config{Tags: "@nope"}).Error())
	assert.NotContains(t, noScenarioRun(Config{Shard: Shard{1, 3}}).Error(), "tags")
}
