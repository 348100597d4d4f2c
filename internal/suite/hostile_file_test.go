package suite

import (
	"bytes"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/boundedfile/hostile"
)

// PASSFORT_SPEC (Config.SpecPath) reads a regular file of
// bounded size: a one-line usage error, before any scenario.
func TestSpecPathHostileFiles(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"features/a.feature": &fstest.MapFile{Data: []byte(addApplication)}}
	for path, want := range hostile.Files(t, 17<<20) {
		_, err := Run(Config{Features: fsys, Output: &bytes.Buffer{}, SpecPath: path})
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), want, path)
		assert.NotContains(t, err.Error(), "\n")
	}
}

// ReadRun (fidelity, merge) reads a regular file of bounded size, with a
// one-line error.
func TestReadRunHostileFiles(t *testing.T) {
	t.Parallel()
	for path, want := range hostile.Files(t, 257<<20) {
		_, err := ReadRun(path)
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), want, path)
		assert.NotContains(t, err.Error(), "\n")
	}
}
