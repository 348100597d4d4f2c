package drift

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/boundedfile/hostile"
)

// A drift baseline, an observations file and a drift report are read as
// regular files of bounded size, with a one-line error.
func TestReadersRefuseHostileFiles(t *testing.T) {
	t.Parallel()
	readers := map[string]struct {
		read func(string) error
		size int64
	}{
		"baseline":     {func(p string) error { _, err := LoadBaseline(p); return err }, 17 << 20},
		"observations": {func(p string) error { _, err := ReadObservations(p); return err }, 257 << 20},
		"report":       {func(p string) error { _, err := ReadReport(p); return err }, 257 << 20},
	}
	for name, r := range readers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for path, want := range hostile.Files(t, r.size) {
				err := r.read(path)
				require.Error(t, err, path)
				assert.Contains(t, err.Error(), want, path)
				assert.NotContains(t, err.Error(), "\n")
			}
		})
	}
}
