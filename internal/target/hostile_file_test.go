package target

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/boundedfile/hostile"
)

// -recheck reads a regular cassette of bounded size, with
// a one-line error otherwise (a FIFO would block, /dev/zero never ends).
func TestReadCassetteHostileFiles(t *testing.T) {
	for path, want := range hostile.Files(t, 257<<20) {
		_, err := ReadCassette(path)
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), want, path)
		assert.NotContains(t, err.Error(), "\n")
	}
}
