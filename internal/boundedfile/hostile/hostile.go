// Package hostile makes, for tests, the files a reader of bounded regular
// files (internal/boundedfile) must refuse with a one-line error: a sparse
// file over the reader's limit, a FIFO (opening it would block) and
// /dev/zero (reading it never ends).
package hostile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// Files creates, in a temporary folder of t, a sparse file of size bytes
// and a FIFO, and returns them with /dev/zero, each mapped to the part of
// the error that must name why it is refused. size should exceed the
// reader's limit; sparse, it takes no disk.
func Files(t testing.TB, size int64) map[string]string {
	t.Helper()
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(size))
	require.NoError(t, f.Close())
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	return map[string]string{big: "want at most", fifo: "want a regular file", "/dev/zero": "want a regular file"}
}
