package suite

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 16 item 13: PASSFORT_SPEC (Config.SpecPath) reads a regular file of
// bounded size: a one-line usage error, before any scenario.
func TestSpecPathHostileFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(17<<20)) // sparse
	require.NoError(t, f.Close())
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	fsys := fstest.MapFS{"features/a.feature": &fstest.MapFile{Data: []byte(addApplication)}}
	for path, want := range map[string]string{big: "want at most", fifo: "want a regular file", "/dev/zero": "want a regular file"} {
		_, err := Run(Config{Features: fsys, Output: &bytes.Buffer{}, SpecPath: path})
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), want, path)
		assert.NotContains(t, err.Error(), "\n")
	}
}
