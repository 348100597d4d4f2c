package boundedfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.yaml")
	require.NoError(t, os.WriteFile(small, []byte("openapi: 3.0.0\n"), 0o600))
	big := filepath.Join(dir, "big.yaml")
	require.NoError(t, os.WriteFile(big, make([]byte, 101), 0o600))
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))

	data, err := Read(small, 100)
	require.NoError(t, err)
	assert.Equal(t, "openapi: 3.0.0\n", string(data))

	for path, want := range map[string]string{
		"/dev/zero": "got a device, want a regular file",
		fifo:        "got a named pipe, want a regular file",
		dir:         "got a folder, want a regular file",
		big:         "got 101 bytes, want at most 100",
	} {
		_, err := Read(path, 100)
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), want, path)
		assert.Contains(t, err.Error(), path)
		assert.False(t, strings.Contains(err.Error(), "\n"), path)
	}
	_, err = Read(filepath.Join(dir, "missing"), 100)
	assert.ErrorIs(t, err, os.ErrNotExist)
}
