package suite

import (
	"bytes"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/boundedfile/hostile"
	"github.com/passfort-conformance/harness/internal/report"
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

// ReadRun (fidelity, merge) and ReadPrevious (-previous) read a regular
// file of bounded size, with a one-line error.
func TestReadRunHostileFiles(t *testing.T) {
	t.Parallel()
	for path, want := range hostile.Files(t, 257<<20) {
		for reader, read := range map[string]func(string) (*report.Run, error){"ReadRun": ReadRun, "ReadPrevious": ReadPrevious} {
			_, err := read(path)
			require.Error(t, err, "%s %s", reader, path)
			assert.Contains(t, err.Error(), want, "%s %s", reader, path)
			assert.NotContains(t, err.Error(), "\n")
		}
	}
}
