package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/boundedfile/hostile"
)

// -catalog reads a regular file of bounded size.
func TestLoadFileHostileFiles(t *testing.T) {
	for path, want := range hostile.Files(t, 17<<20) {
		_, err := LoadFile(path)
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), want, path)
		assert.NotContains(t, err.Error(), "\n")
	}
}
