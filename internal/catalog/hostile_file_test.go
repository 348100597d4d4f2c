package catalog

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 16 item 13: -catalog reads a regular file of bounded size.
func TestLoadFileHostileFiles(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(17<<20)) // sparse
	require.NoError(t, f.Close())
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	for path, want := range map[string]string{big: "want at most", fifo: "want a regular file", "/dev/zero": "want a regular file"} {
		_, err := LoadFile(path)
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), want, path)
		assert.NotContains(t, err.Error(), "\n")
	}
}
